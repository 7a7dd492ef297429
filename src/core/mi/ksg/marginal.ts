/**
 * Marginal counts of the KSG estimator on one neuron's sorted values.
 *
 * countWithin(...) = #{t != s : |a_t - v| <= rad}, where v = a[rank] is the point's own value
 * (so the point itself always qualifies and is subtracted) and rad >= 0.
 *
 * The window {t : |a_t - v| <= rad} is a contiguous range of ranks [l, u], because fl-subtraction
 * is monotone: a[t] >= a[w] >= v implies fl(a[t] - v) >= fl(a[w] - v). Along the sorted values
 * near(t) = (a[t] - v <= rad) is true then false (upper end), and near(t) = (v - a[t] <= rad)
 * false then true (lower end). Each end is located with exactly that predicate, so the result is
 * exact whatever the guess:
 * 1. guess: rank +- rad * (ranks per unit value of the point's column); inside a run of equal
 *    values that has a column of its own, from the run's end using the next column's density;
 * 2. a window of 64 ranks around the guess; if the predicate at its two borders shows the end
 *    inside it, a branch-free 4-ary search (3 rounds of 3 independent probes) finds it;
 * 3. otherwise a branch-free binary search over the whole side (rare).
 * The +-Infinity guards (layout.ts, pad >= 64) around each neuron's values keep reads in range.
 */

const HALF = 32; // window = 64 ranks = 4^3

/**
 * @param a      sorted values (with guards) of a store; this neuron's rank r is at a[base + r]
 * @param cs     colStart of the store; this neuron's column c starts at cs[cb + c]
 * @param sc     colScale of the store; this neuron's column c has sc[scb + c] (0: one value)
 * @param S      samples
 * @param rank   the point's rank, in column c
 * @param v      a[base + rank]
 * @param rad    counting radius (>= 0)
 */
export function countWithin(
  a: Float64Array,
  base: number,
  cs: Int32Array,
  cb: number,
  sc: Float64Array,
  scb: number,
  S: number,
  rank: number,
  c: number,
  v: number,
  rad: number,
): number {
  const own = sc[scb + c];
  // ---- upper end u: last rank with a[u] - v <= rad
  let g: number;
  if (own > 0) {
    g = rank + (Math.min(rad * own, S) | 0);
  } else {
    // a run of equal values: all of the column qualifies; guess on from its end
    const e = cs[cb + c + 1] - 1;
    g = e + (Math.min(rad * sc[scb + c + 1], S) | 0); // sc past the last column reads 0 or junk: a guess only
  }
  if (g > S - 1) g = S - 1;
  let lo = g - HALF;
  if (lo < rank) lo = rank;
  let u: number;
  if (a[base + lo] - v <= rad && a[base + lo + 64] - v > rad) {
    // answer in [lo, lo + 63], near(lo) holds
    let b = lo;
    b += 16 * (+(a[base + b + 16] - v <= rad) + +(a[base + b + 32] - v <= rad) + +(a[base + b + 48] - v <= rad));
    b += 4 * (+(a[base + b + 4] - v <= rad) + +(a[base + b + 8] - v <= rad) + +(a[base + b + 12] - v <= rad));
    b += +(a[base + b + 1] - v <= rad) + +(a[base + b + 2] - v <= rad) + +(a[base + b + 3] - v <= rad);
    u = b;
  } else {
    u = lastNear(a, base, rank, S - 1, v, rad);
  }
  // ---- lower end l: first rank with v - a[l] <= rad
  if (own > 0) {
    g = rank - (Math.min(rad * own, S) | 0);
  } else {
    const st = cs[cb + c];
    g = c > 0 ? st - (Math.min(rad * sc[scb + c - 1], S) | 0) : st;
  }
  if (g < 0) g = 0;
  let hi = g + HALF - 1;
  if (hi > rank) hi = rank;
  let l: number;
  if (v - a[base + hi] <= rad && v - a[base + hi - 64] > rad) {
    // answer in [hi - 63, hi], near(hi) holds
    let b = hi;
    b -= 16 * (+(v - a[base + b - 16] <= rad) + +(v - a[base + b - 32] <= rad) + +(v - a[base + b - 48] <= rad));
    b -= 4 * (+(v - a[base + b - 4] <= rad) + +(v - a[base + b - 8] <= rad) + +(v - a[base + b - 12] <= rad));
    b -= +(v - a[base + b - 1] <= rad) + +(v - a[base + b - 2] <= rad) + +(v - a[base + b - 3] <= rad);
    l = b;
  } else {
    l = firstNear(a, base, 0, rank, v, rad);
  }
  return u - l;
}

/** Last t in [lo, hi] with a[base+t] - v <= rad, given that it holds at lo (branch-free). */
function lastNear(a: Float64Array, base: number, lo: number, hi: number, v: number, rad: number): number {
  let b = lo;
  let n = hi - lo + 1; // answer in [b, b + n - 1]
  while (n > 1) {
    const h = n >>> 1;
    b += h * +(a[base + b + h] - v <= rad);
    n -= h;
  }
  return b;
}

/** First t in [lo, hi] with v - a[base+t] <= rad, given that it holds at hi (branch-free). */
function firstNear(a: Float64Array, base: number, lo: number, hi: number, v: number, rad: number): number {
  let b = hi;
  let n = hi - lo + 1; // answer in [b - n + 1, b]
  while (n > 1) {
    const h = n >>> 1;
    b -= h * +(v - a[base + b - h] <= rad);
    n -= h;
  }
  return b;
}
