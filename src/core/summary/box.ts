import { quantileSorted } from './quantile.js';

/**
 * The statistics of a notched box plot of `values` (non-finite values ignored):
 * quartiles by linear interpolation (NumPy's default), IQR = q3 - q1, the notch
 * median +- 1.57 IQR / sqrt(n) (an approximate 95% interval for the median, McGill et al. 1978,
 * as matplotlib draws it), whiskers at the most extreme data within 1.5 IQR of the box, and the
 * points beyond them as outliers.
 */
export interface BoxStats {
  n: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
  notchLow: number;
  notchHigh: number;
  whiskerLow: number;
  whiskerHigh: number;
  outliers: number[];
}

export function boxStats(values: ArrayLike<number>): BoxStats {
  const v = Float64Array.from(values).filter(Number.isFinite).sort();
  const n = v.length;
  if (n === 0) {
    return { n, min: NaN, q1: NaN, median: NaN, q3: NaN, max: NaN, mean: NaN, notchLow: NaN, notchHigh: NaN, whiskerLow: NaN, whiskerHigh: NaN, outliers: [] };
  }
  const q1 = quantileSorted(v, 0.25);
  const median = quantileSorted(v, 0.5);
  const q3 = quantileSorted(v, 0.75);
  const iqr = q3 - q1;
  const half = (1.57 * iqr) / Math.sqrt(n);
  const lowFence = q1 - 1.5 * iqr;
  const highFence = q3 + 1.5 * iqr;
  let whiskerLow = q1;
  let whiskerHigh = q3;
  const outliers: number[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    sum += x;
    if (x < lowFence || x > highFence) outliers.push(x);
    else {
      if (x < whiskerLow) whiskerLow = x;
      if (x > whiskerHigh) whiskerHigh = x;
    }
  }
  return { n, min: v[0], q1, median, q3, max: v[n - 1], mean: sum / n, notchLow: median - half, notchHigh: median + half, whiskerLow, whiskerHigh, outliers };
}
