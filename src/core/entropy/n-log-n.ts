/**
 * Table of c ln c for c = 0..n (0 ln 0 = 0). Plug-in entropies and MI are sums of these:
 * H = ln S - (1/S) sum_bins c ln c for counts c over S samples.
 */
export function nLogNTable(n: number): Float64Array {
  const t = new Float64Array(n + 1);
  for (let c = 2; c <= n; c++) t[c] = c * Math.log(c);
  return t;
}
