/**
 * KSG mutual information, brute force, O(S^2): the oracle for the fast kernel.
 *
 * Kraskov-Stoegbauer-Grassberger estimator, algorithm 1, max-norm, on the raw values:
 * - eps_s = the k-th smallest of d(s, t) = max(|x_t - x_s|, |y_t - y_s|) over t != s
 *   (duplicates of the point count, at distance 0);
 * - r_s = nextafter(eps_s, 0) ('reference' rule, see options.ts);
 *   n_x(s) = #{t != s : |x_t - x_s| <= r_s}, n_y(s) likewise
 *   ('strict' rule: #{t != s : |x_t - x_s| < eps_s}; differs only when eps_s = 0);
 * - I = psi(S) + psi(k) - mean_s psi(n_x(s) + 1) - mean_s psi(n_y(s) + 1), in nats, unclipped.
 */
import { digammaTable } from '../../special/digamma.js';
import { checkSizes, strictFlag, type KsgOptions } from './options.js';
import { prevDouble } from './ulp.js';

export function ksgBrute(x: Float64Array, y: Float64Array, k = 3, options?: KsgOptions): number {
  const S = x.length;
  if (y.length !== S) throw new RangeError(`ksgBrute: x and y differ in length (${S} vs ${y.length})`);
  checkSizes(S, k);
  const strict = strictFlag(options) === 1;
  const psi = digammaTable(S);
  // best[0..k-1]: the k smallest distances seen so far, ascending.
  const best = new Float64Array(k);
  let sumX = 0;
  let sumY = 0;
  for (let s = 0; s < S; s++) {
    const xs = x[s];
    const ys = y[s];
    best.fill(Infinity);
    for (let t = 0; t < S; t++) {
      if (t === s) continue;
      const d = Math.max(Math.abs(x[t] - xs), Math.abs(y[t] - ys));
      if (d >= best[k - 1]) continue;
      let i = k - 1;
      while (i > 0 && best[i - 1] > d) {
        best[i] = best[i - 1];
        i--;
      }
      best[i] = d;
    }
    const eps = best[k - 1];
    let nx = 0;
    let ny = 0;
    if (strict) {
      for (let t = 0; t < S; t++) {
        if (t === s) continue;
        if (Math.abs(x[t] - xs) < eps) nx++;
        if (Math.abs(y[t] - ys) < eps) ny++;
      }
    } else {
      const r = prevDouble(eps);
      for (let t = 0; t < S; t++) {
        if (t === s) continue;
        if (Math.abs(x[t] - xs) <= r) nx++;
        if (Math.abs(y[t] - ys) <= r) ny++;
      }
    }
    sumX += psi[nx + 1];
    sumY += psi[ny + 1];
  }
  return psi[S] + psi[k] - sumX / S - sumY / S;
}
