/**
 * The noise that a sample's extreme values put into equal-width bins. Edges drawn from the data's
 * minimum and maximum (the paper's global binning, or per layer, per neuron) move with the two
 * most extreme examples, and every binned entropy and MI moves with them; the resampling of
 * examples cannot see this (a bootstrap or a subsample almost never goes beyond the sample's
 * own extremes). Its size is estimated from extreme-value theory instead: for a maximum in the
 * Gumbel domain of attraction (Gaussian-like tails), the spacings of the top order statistics
 * D_i = X_(n-i+1) - X_(n-i) satisfy i D_i ~ Exp(a) approximately independently for i = 1..k
 * (de Haan & Ferreira 2006, "Extreme Value Theory", ch. 3 and 4), a being the maximum's scale, and
 * the maximum's standard deviation is a pi / sqrt(6). Exact ties at the extreme (the zeros of ReLU
 * units) give spacings 0: a minimum that every sample has (0) does not move.
 */

/**
 * Spacings used: the top k. Fewer spacings are less biased, more are less noisy: for the maximum
 * of n normals, k = 8 overestimates its spread by 25-34% for n from 500 to 20,000 (k = 32: 38-60%;
 * test/resample.test.ts), on the safe side for an interval.
 */
export const EXTREME_SPACINGS = 8;

/**
 * The standard deviation of a sample maximum from the k + 1 largest values `top`, in descending
 * order (k >= 1): (pi / sqrt 6) x mean_i i (top[i-1] - top[i]).
 * @example maxStdDev(Float64Array.of(3, 2, 1)) // (pi / sqrt 6) x (1 + 2) / 2
 */
export function maxStdDev(top: Float64Array): number {
  const k = top.length - 1;
  if (k < 1) return 0;
  let a = 0;
  for (let i = 1; i <= k; i++) a += i * (top[i - 1] - top[i]);
  return (Math.PI / Math.sqrt(6)) * (a / k);
}

/**
 * The `count` largest values of `read(0..n-1)` in descending order (or, with `lowest`, the
 * smallest in ascending order).
 */
export function extremeValues(n: number, read: (i: number) => number, count: number, lowest = false): Float64Array {
  const k = Math.min(count, n);
  const out = new Float64Array(k).fill(lowest ? Infinity : -Infinity);
  for (let i = 0; i < n; i++) {
    const x = lowest ? -read(i) : read(i);
    const last = lowest ? -out[k - 1] : out[k - 1];
    if (!(x > last)) continue;
    let p = k - 1;
    while (p > 0 && x > (lowest ? -out[p - 1] : out[p - 1])) {
      out[p] = out[p - 1];
      p--;
    }
    out[p] = lowest ? -x : x;
  }
  return out;
}
