/**
 * Marginal counts of the KSG estimator on one neuron's sorted values.
 *
 * countWithin(...) = #{t != s : |a_t - v| <= rad}, where v = a[rank] is the point's own value
 * (so the point itself always qualifies and is subtracted) and rad >= 0.
 *
 * The window {t : |a_t - v| <= rad} is a contiguous range of ranks [l, u], because fl-subtraction
 * is monotone: a[t] >= a[w] >= v implies fl(a[t] - v) >= fl(a[w] - v). Each end is found by
 * - a guess: the radius times the local density of ranks per unit value (colScale of the point's
 *   column, or of the next column outward when the point sits in a run of equal values);
 * - a window of WINDOW ranks around the guess, checked with the exact predicate at its two
 *   borders (if the end is not inside, the window widens to the whole side: always correct,
 *   only slower);
 * - a branch-free binary search inside the window with exactly the distance predicate
 *   `a[t] - v <= rad` (upper end) / `v - a[t] <= rad` (lower end).
 * So the result never depends on the guess.
 */

const HALF = 32; // window = [guess - HALF, guess + HALF)

/**
 * @param a       sorted values of all neurons of a store; this neuron occupies a[base .. base+S-1]
 * @param cs      colStart of the store; this neuron's column starts are cs[cb + c]
 * @param sc      colScale of the store; this neuron's entries start at scb
 * @param nc      number of columns of this neuron
 * @param S       samples
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
  S: number,
  rank: number,
  c: number,
  v: number,
  rad: number,
): number {
  const own = sc[scb + c];
  // ---- upper end u: last rank with a[u] - v <= rad (a[rank] qualifies)
  let g: number;
  if (own > 0) {
    g = rank + Math.floor(Math.min(rad * own, S));
  } else {
    const e = cs[cb + c + 1] - 1;
    g = c + 1 < nc ? e + Math.floor(Math.min(rad * sc[scb + c + 1], S)) : e;
  }
  if (g > S - 1) g = S - 1;
  let lo = g - HALF;
  if (lo < rank) lo = rank;
  let hi = lo + 2 * HALF - 1;
  if (hi > S - 1) hi = S - 1;
  if (a[base + lo] - v > rad) lo = rank;
  if (hi < S - 1 && a[base + hi + 1] - v <= rad) hi = S - 1;
  // invariant: pred(b) true, answer in [b, b + n - 1]
  let b = lo;
  let n = hi - lo + 1;
  while (n > 1) {
    const h = n >>> 1;
    b += h * +(a[base + b + h] - v <= rad);
    n -= h;
  }
  const u = b;
  // ---- lower end l: first rank with v - a[l] <= rad
  if (own > 0) {
    g = rank - Math.floor(Math.min(rad * own, S));
  } else {
    const st = cs[cb + c];
    g = c > 0 ? st - Math.floor(Math.min(rad * sc[scb + c - 1], S)) : st;
  }
  if (g < 0) g = 0;
  hi = g + HALF - 1;
  if (hi > rank) hi = rank;
  lo = hi - 2 * HALF + 1;
  if (lo < 0) lo = 0;
  if (v - a[base + hi] > rad) hi = rank;
  if (lo > 0 && v - a[base + lo - 1] <= rad) lo = 0;
  // invariant: pred(b) true, answer in [b - n + 1, b]
  b = hi;
  n = hi - lo + 1;
  while (n > 1) {
    const h = n >>> 1;
    b -= h * +(v - a[base + b - h] <= rad);
    n -= h;
  }
  return u - b;
}
