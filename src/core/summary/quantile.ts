/**
 * The p-quantile of ascending `sorted` values by linear interpolation between closest ranks
 * (NumPy's default `np.quantile(..., method='linear')`): position h = (n - 1) p,
 * q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 * @example quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const i = Math.floor(h);
  if (i >= n - 1) return sorted[n - 1];
  const t = h - i;
  const a = sorted[i];
  const b = sorted[i + 1];
  return t === 0 ? a : a + t * (b - a);
}
