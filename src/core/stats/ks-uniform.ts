/**
 * The one-sample Kolmogorov-Smirnov test of uniformity on [0, 1]: the statistic
 * D = max_i max(i / n - x_(i), x_(i) - (i - 1) / n) and its asymptotic p-value
 * P(K > sqrt(n) D), K the Kolmogorov distribution: 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 z^2)
 * (scipy.stats.kstest(x, 'uniform', method='asymp')).
 */
export function ksUniform(x: ArrayLike<number>): { statistic: number; p: number } {
  const n = x.length;
  if (n === 0) throw new RangeError('ksUniform: no values');
  const v = Float64Array.from(x).sort();
  let d = 0;
  for (let i = 0; i < n; i++) d = Math.max(d, (i + 1) / n - v[i], v[i] - i / n);
  return { statistic: d, p: kolmogorovTail(Math.sqrt(n) * d) };
}

/** P(K > z) for the Kolmogorov distribution. */
export function kolmogorovTail(z: number): number {
  if (z <= 0) return 1;
  if (z < 0.27) return 1; // the series' terms do not decay yet; the tail is 1 to 1e-15 there
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const t = Math.exp(-2 * k * k * z * z);
    s += (k % 2 ? 1 : -1) * t;
    if (t < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}
