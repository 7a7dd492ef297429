/**
 * Marginal counts of the KSG estimator on one neuron's sorted values.
 *
 * countWithin(...) = #{t != s : |a_t - v| <= rad}, where v = a[rank] is the point's own value
 * (so the point itself always qualifies and is subtracted) and rad >= 0.
 *
 * The window {t : |a_t - v| <= rad} is a contiguous range of ranks, because fl-subtraction is
 * monotone: a[t] >= a[u] >= v implies fl(a[t] - v) >= fl(a[u] - v). Its ends are found fast
 * (walk the neuron's columns outward from the point's own column using the column min values,
 * then interpolate inside the boundary column) and then fixed with exactly the distance
 * predicate `a[t] - v <= rad` / `v - a[t] <= rad`, so the result never depends on the guess.
 */

/**
 * @param a       sorted values of all neurons of a store; this neuron occupies a[base .. base+S-1]
 * @param cs      colStart of the store; this neuron's columns are cs[cb + c] .. (numCols + 1 entries)
 * @param sc      colScale of the store; this neuron's entries start at scb
 * @param nc      number of columns of this neuron
 * @param rank    the point's rank
 * @param c       the column of that rank
 * @param v       a[base + rank]
 * @param rad     counting radius (>= 0)
 */
export function countWithin(
  a: Float64Array,
  base: number,
  cs: Int32Array,
  cb: number,
  sc: Float64Array,
  scb: number,
  nc: number,
  rank: number,
  c: number,
  v: number,
  rad: number,
): number {
  // ---- upper end u: last rank with a[u] - v <= rad
  let cc = c;
  while (cc + 1 < nc && a[base + cs[cb + cc + 1]] - v <= rad) cc++;
  let lo = cs[cb + cc];
  const hi = cs[cb + cc + 1] - 1;
  let g: number;
  let s = sc[scb + cc];
  if (s === 0) {
    g = hi; // all values of column cc are equal, and within the radius
  } else {
    g = lo + Math.floor((v + rad - a[base + lo]) * s);
    if (g > hi) g = hi;
    if (g < rank) g = rank;
    if (g < lo) g = lo;
  }
  while (g < hi && a[base + g + 1] - v <= rad) g++;
  while (a[base + g] - v > rad) g--;
  const u = g;
  // ---- lower end l: first rank with v - a[l] <= rad
  cc = c;
  while (cc > 0 && v - a[base + cs[cb + cc] - 1] <= rad) cc--;
  lo = cs[cb + cc];
  let top = cs[cb + cc + 1] - 1;
  if (top > rank) top = rank;
  s = sc[scb + cc];
  if (s === 0) {
    g = lo;
  } else {
    g = lo + Math.ceil((v - rad - a[base + lo]) * s);
    if (g < lo) g = lo;
    if (g > top) g = top;
  }
  while (g > lo && v - a[base + g - 1] <= rad) g--;
  while (v - a[base + g] > rad) g++;
  return u - g;
}
