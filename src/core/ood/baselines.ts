/**
 * Label-free out-of-distribution baselines on the same activations as the information scores,
 * each a score per example (higher = more unusual):
 * - Mahalanobis distance (Lee et al. 2018, one class): d^2 = (x - mu)^T (Sigma + lambda I)^-1 (x - mu)
 *   with mu, Sigma the mean and covariance (1 / (S - 1)) of the reference's concatenated
 *   activations and lambda = `ridge` x the mean variance (a covariance of more neurons than
 *   examples, or of dead neurons, is singular); by a Cholesky factor and forward substitution.
 * - k-NN distance (Sun et al. 2022): the Euclidean distance from the example's L2-normalised
 *   activation vector to its k-th nearest among (a seeded sample of) the reference's, from
 *   ||x||^2 + ||r||^2 - 2 x.r (clamped at 0).
 */
import type { ActivationSet } from '../activations/activation-set.js';
import { neuronCount } from '../activations/activation-set.js';
import { choleskyInPlace } from '../linalg/cholesky.js';
import { lowerInverse, whitenedNorms2 } from '../linalg/whitened-norms.js';
import { dot2, GcmiWasmEngine, gcmiWasmAvailable } from '../mi/gcmi/index.js';
import { gramLower } from '../linalg/gram.js';
import { Rng } from '../random/rng.js';

/** Example-major copy (S x N, float64) of a neuron-major set. */
export function exampleRows(set: ActivationSet): Float64Array {
  const N = neuronCount(set);
  const S = set.samples;
  const out = new Float64Array(S * N);
  const v = set.values;
  for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) out[s * N + n] = v[n * S + s];
  return out;
}

export interface MahalanobisModel {
  readonly neurons: number;
  readonly mean: Float64Array;
  /** Lower-triangular Cholesky factor of Sigma + lambda I, row-major N x N. */
  readonly chol: Float64Array;
  readonly ridge: number;
}

/** Fits the mean and the Cholesky factor of the regularised covariance of the reference. */
export function fitMahalanobis(reference: ActivationSet, ridge = 1e-6): MahalanobisModel {
  const N = neuronCount(reference);
  const S = reference.samples;
  if (S < 2) throw new RangeError('Mahalanobis: the reference needs at least 2 examples');
  const v = reference.values;
  const mean = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let m = 0;
    for (let s = 0; s < S; s++) m += v[n * S + s];
    mean[n] = m / S;
  }
  // centred neuron-major rows, then the covariance by dot products
  const c = new Float64Array(N * S);
  for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) c[n * S + s] = v[n * S + s] - mean[n];
  const cov = gramLower(c, N, S);
  for (let i = 0; i < N; i++) for (let j = 0; j <= i; j++) cov[i * N + j] /= S - 1;
  let trace = 0;
  for (let i = 0; i < N; i++) trace += cov[i * N + i];
  const lambda = Math.max(ridge * (trace / N), 1e-300);
  for (let i = 0; i < N; i++) cov[i * N + i] += lambda;
  try {
    choleskyInPlace(cov, N);
  } catch {
    throw new RangeError('Mahalanobis: the covariance is not positive definite (raise the ridge)');
  }
  return { neurons: N, mean, chol: cov, ridge: lambda };
}

/** Squared Mahalanobis distance of every example of `set`. */
export function mahalanobisScores(model: MahalanobisModel, set: ActivationSet): Float64Array {
  const N = model.neurons;
  if (neuronCount(set) !== N) throw new RangeError(`Mahalanobis: ${neuronCount(set)} neurons, the model has ${N}`);
  const S = set.samples;
  const rows = exampleRows(set);
  for (let s = 0; s < S; s++) for (let i = 0; i < N; i++) rows[s * N + i] -= model.mean[i];
  return whitenedNorms2(lowerInverse(model.chol, N), N, rows, S);
}

/** Row-normalised (unit L2 length; a zero row stays 0) example-major copy. */
function unitRows(set: ActivationSet): Float64Array {
  const N = neuronCount(set);
  const rows = exampleRows(set);
  for (let s = 0; s < set.samples; s++) {
    let q = 0;
    for (let n = 0; n < N; n++) q += rows[s * N + n] ** 2;
    const inv = q > 0 ? 1 / Math.sqrt(q) : 0;
    for (let n = 0; n < N; n++) rows[s * N + n] *= inv;
  }
  return rows;
}

export interface KnnModel {
  readonly neurons: number;
  readonly k: number;
  /** The reference sample's unit rows (R x N). */
  readonly rows: Float64Array;
  readonly count: number;
}

/** Keeps up to `maxReference` reference examples (seeded sample) as unit rows. */
export function fitKnn(reference: ActivationSet, k = 10, maxReference = 2000, seed = 0): KnnModel {
  const N = neuronCount(reference);
  const all = unitRows(reference);
  const S = reference.samples;
  if (!(Number.isInteger(k) && k >= 1 && k <= S)) throw new RangeError(`k-NN: k must be an integer in 1..${S}, got ${k}`);
  if (S <= maxReference) return { neurons: N, k, rows: all, count: S };
  const pick = new Rng(seed).permutation(S).subarray(0, maxReference).sort();
  const rows = new Float64Array(maxReference * N);
  pick.forEach((s, r) => rows.set(all.subarray(s * N, (s + 1) * N), r * N));
  return { neurons: N, k: Math.min(k, maxReference), rows, count: maxReference };
}

/**
 * Distance from each example's unit row to its k-th nearest reference row. Squared distances are
 * ||x||^2 + ||r||^2 - 2 x.r, the dot products in blocks of 64 x 64 rows on the GCMI WebAssembly
 * dot kernel where it runs (else in TypeScript, in the same dot2 order: the same bits).
 */
export function knnScores(model: KnnModel, set: ActivationSet): Float64Array {
  const N = model.neurons;
  if (neuronCount(set) !== N) throw new RangeError(`k-NN: ${neuronCount(set)} neurons, the model has ${N}`);
  const S = set.samples;
  const x = unitRows(set);
  const R = model.count;
  const k = model.k;
  const norm2 = (rows: Float64Array, i: number): number => dot2(rows, i * N, rows, i * N, N);
  const xn = Float64Array.from({ length: S }, (_, s) => norm2(x, s));
  const rn = Float64Array.from({ length: R }, (_, r) => norm2(model.rows, r));
  const engine = gcmiWasmAvailable() ? new GcmiWasmEngine() : null;
  const B = 64;
  const dots = new Float64Array(B * B);
  const best = new Float64Array(S * k).fill(Infinity);
  for (let s0 = 0; s0 < S; s0 += B) {
    const ns = Math.min(B, S - s0);
    for (let r0 = 0; r0 < R; r0 += B) {
      const nr = Math.min(B, R - r0);
      if (engine) engine.cross(x, s0, ns, model.rows, r0, nr, N, dots);
      else for (let i = 0; i < ns; i++) for (let j = 0; j < nr; j++) dots[i * nr + j] = dot2(x, (s0 + i) * N, model.rows, (r0 + j) * N, N);
      for (let i = 0; i < ns; i++) {
        const s = s0 + i;
        const kb = s * k;
        for (let j = 0; j < nr; j++) {
          const d = Math.max(0, xn[s] + rn[r0 + j] - 2 * dots[i * nr + j]);
          if (d < best[kb + k - 1]) {
            let m = k - 1;
            while (m > 0 && best[kb + m - 1] > d) {
              best[kb + m] = best[kb + m - 1];
              m--;
            }
            best[kb + m] = d;
          }
        }
      }
    }
  }
  return Float64Array.from({ length: S }, (_, s) => Math.sqrt(best[s * k + k - 1]));
}
