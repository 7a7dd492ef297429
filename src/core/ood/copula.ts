/**
 * The joint surprisal of an example beyond its neurons' marginals, under a Gaussian copula of
 * the reference (the model behind Gaussian-copula MI, core/mi/gcmi): with u_n the example's
 * mid-rank position among neuron n's reference values, u_n = (#{ref < x} + #{ref = x} / 2 + 1/2)
 * / (S + 1), and z_n = Phi^-1(u_n), the copula density of the reference's correlation R of z is
 *   c(u) = |R|^-1/2 exp(-1/2 z^T (R^-1 - I) z),
 * so -ln p(x) = sum_n -ln p_n(x_n) - ln c(u): the marginal surprisals (surprisal.ts) plus
 *   copula(x) = 1/2 (z^T R^-1 z - z^T z) + 1/2 ln |R|,
 * the information in how the example's neurons *co-vary* relative to the reference. R is shrunk
 * towards I, (1 - `shrink`) R + `shrink` I, so it is positive definite for any N and S. Values
 * are reported per neuron (divided by N), like the surprisal. Values outside a neuron's
 * reference range get its extreme positions (the marginal surprisal's tail bins carry the rest).
 */
import type { ActivationSet } from '../activations/activation-set.js';
import { neuronCount } from '../activations/activation-set.js';
import { choleskyInPlace, logDeterminant } from '../linalg/cholesky.js';
import { lowerInverse, whitenedNorms2 } from '../linalg/whitened-norms.js';
import { gramLower } from '../linalg/gram.js';
import { normalQuantile } from '../special/normal.js';

export interface CopulaModel {
  readonly neurons: number;
  readonly samples: number;
  /** Each neuron's reference values, sorted (N x S). */
  readonly sorted: Float64Array;
  /** Phi^-1(k / (2 (S + 1))) for k = 0 .. 2S + 2: every mid-rank position's normal score. */
  readonly quantiles: Float64Array;
  /** Cholesky factor of the shrunk correlation of the reference's normal scores. */
  readonly chol: Float64Array;
  readonly logDet: number;
  readonly shrink: number;
}

/**
 * Mid-rank normal score of x among the sorted values a[from .. from + S): Phi^-1 of
 * (less + equal / 2 + 1/2) / (S + 1) = k / (2 (S + 1)) with k = 2 less + equal + 1, read from the
 * table (the same double: both sides scale by 2 exactly).
 */
function score(a: Float64Array, from: number, S: number, x: number, quantiles: Float64Array): number {
  let lo = 0;
  let hi = S;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[from + m] < x) lo = m + 1;
    else hi = m;
  }
  const less = lo;
  hi = S;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[from + m] <= x) lo = m + 1;
    else hi = m;
  }
  const equal = lo - less;
  return quantiles[2 * less + equal + 1];
}

/** Normal scores of every example of `set` under the model's reference marginals (example-major S x N). */
function normalScores(model: CopulaModel, set: ActivationSet): Float64Array {
  const N = model.neurons;
  const S = set.samples;
  const R = model.samples;
  const z = new Float64Array(S * N);
  const v = set.values;
  const q = model.quantiles;
  for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) z[s * N + n] = score(model.sorted, n * R, R, v[n * S + s], q);
  return z;
}

/** Fits the reference's marginals (sorted values) and the shrunk correlation of its normal scores. */
export function fitCopula(reference: ActivationSet, shrink = 0.01): CopulaModel {
  if (!(shrink > 0 && shrink <= 1)) throw new RangeError(`copula: shrink must be in (0, 1], got ${shrink}`);
  const N = neuronCount(reference);
  const S = reference.samples;
  if (S < 2) throw new RangeError('copula: the reference needs at least 2 examples');
  const sorted = new Float64Array(N * S);
  for (let n = 0; n < N; n++) {
    const row = sorted.subarray(n * S, (n + 1) * S);
    for (let s = 0; s < S; s++) row[s] = reference.values[n * S + s];
    row.sort();
  }
  const quantiles = new Float64Array(2 * S + 3);
  for (let k = 1; k <= 2 * S + 1; k++) quantiles[k] = normalQuantile(k / (2 * (S + 1)));
  const partial: CopulaModel = { neurons: N, samples: S, sorted, quantiles, chol: new Float64Array(0), logDet: 0, shrink };
  const z = normalScores(partial, reference);
  // correlation of the scores (centred, unit variance), neuron by neuron
  const mean = new Float64Array(N);
  const sd = new Float64Array(N);
  for (let s = 0; s < S; s++) for (let n = 0; n < N; n++) mean[n] += z[s * N + n] / S;
  for (let s = 0; s < S; s++) for (let n = 0; n < N; n++) sd[n] += (z[s * N + n] - mean[n]) ** 2;
  for (let n = 0; n < N; n++) sd[n] = Math.sqrt(sd[n]);
  const cols = new Float64Array(N * S); // neuron-major standardised scores
  for (let n = 0; n < N; n++) {
    const inv = sd[n] > 0 ? 1 / sd[n] : 0;
    for (let s = 0; s < S; s++) cols[n * S + s] = (z[s * N + n] - mean[n]) * inv;
  }
  const c = gramLower(cols, N, S);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < i; j++) c[i * N + j] *= 1 - shrink;
    c[i * N + i] = 1;
  }
  choleskyInPlace(c, N);
  return { ...partial, chol: c, logDet: logDeterminant(c, N) };
}

/** The copula surprisal per neuron, (1/N)(1/2 (z^T R^-1 z - z^T z) + 1/2 ln |R|), of every example. */
export function copulaScores(model: CopulaModel, set: ActivationSet): Float64Array {
  const N = model.neurons;
  if (neuronCount(set) !== N) throw new RangeError(`copula: ${neuronCount(set)} neurons, the model has ${N}`);
  const S = set.samples;
  const z = normalScores(model, set);
  const out = whitenedNorms2(lowerInverse(model.chol, N), N, z, S);
  for (let s = 0; s < S; s++) {
    let zz = 0;
    for (let n = 0; n < N; n++) zz += z[s * N + n] * z[s * N + n];
    out[s] = (0.5 * (out[s] - zz) + 0.5 * model.logDet) / N;
  }
  return out;
}
