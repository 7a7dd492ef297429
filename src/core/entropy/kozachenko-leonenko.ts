import { digammaTable } from '../special/digamma.js';

/**
 * Kozachenko-Leonenko k-nearest-neighbour entropy of one variable (max-norm, which in 1-D is
 * |x - y|), in nats:
 *   H = psi(S) - psi(k) + ln 2 + (1/S) sum_s ln r_s,
 * r_s being the distance from x_s to its k-th nearest neighbour (itself excluded). This is
 * Kraskov et al. (2004) eq. 20 with d = 1 (ln 2 = log of the unit max-norm ball's volume).
 * Exact ties make some r_s = 0 and H = -Infinity, as the definition says: jitter breaks ties.
 *
 * Sorting costs O(S log S); each k-th distance is found by merging the two sides of the point
 * in sorted order, O(k).
 */
export function klEntropy(values: Float32Array | Float64Array, k = 3, psi: Float64Array = digammaTable(values.length)): number {
  const S = values.length;
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (S < k + 1) throw new RangeError(`Kozachenko-Leonenko entropy needs at least k + 1 = ${k + 1} samples, got ${S}`);
  const x = Float64Array.from(values).sort();
  let sumLog = 0;
  for (let s = 0; s < S; s++) {
    const v = x[s];
    let lo = s - 1;
    let hi = s + 1;
    let r = 0;
    for (let taken = 0; taken < k; taken++) {
      const dl = lo >= 0 ? v - x[lo] : Infinity;
      const dh = hi < S ? x[hi] - v : Infinity;
      if (dl <= dh) {
        r = dl;
        lo--;
      } else {
        r = dh;
        hi++;
      }
    }
    sumLog += Math.log(r);
  }
  return psi[S] - psi[k] + Math.LN2 + sumLog / S;
}
