/**
 * c ln c, with 0 ln 0 = 1 ln 1 = 0. Plug-in entropies and MI are sums of these:
 * H = ln S - (1/S) sum_bins c ln c for counts c over S samples.
 *
 * @example nLogN(4) // 4 ln 4 = 5.545...
 */
export function nLogN(c: number): number {
  return c < 2 ? 0 : c * Math.log(c);
}
