/**
 * Kendall's tau-b rank correlation (ties handled), as `scipy.stats.kendalltau` computes it:
 *   tau_b = (n_c - n_d) / sqrt((n_0 - n_1)(n_0 - n_2)),
 * n_c / n_d = concordant / discordant pairs, n_0 = n(n-1)/2, n_1 = sum_i t_i(t_i - 1)/2 over
 * groups of ties in x, n_2 likewise in y (a pair tied in x or y is neither concordant nor
 * discordant). NaN when either variable is constant or n < 2. O(n^2): meant for model sweeps.
 *
 * @example kendallTauB([1, 2, 3], [1, 3, 2]) // 1/3
 */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`kendallTauB: lengths differ (${n} vs ${y.length})`);
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i] - x[j]);
      const dy = Math.sign(y[i] - y[j]);
      if (dx === 0) tiesX++;
      if (dy === 0) tiesY++;
      if (dx !== 0 && dy !== 0) {
        if (dx === dy) concordant++;
        else discordant++;
      }
    }
  const n0 = (n * (n - 1)) / 2;
  const denom = Math.sqrt((n0 - tiesX) * (n0 - tiesY));
  return denom > 0 ? (concordant - discordant) / denom : NaN;
}
