/**
 * Per-example information scores against reference statistics (reference.ts):
 * - `surprisal[s]`: the mean over neurons of -ln p_n(bin of a_n^s), the example's own term of the
 *   mean neuron entropy (higher = its activations fall where reference examples rarely do);
 * - `layerSurprisal[s * L + l]`: the same mean over layer l's neurons;
 * - `coactivation[s]`: the mean over the reference's high-MI pairs of -PMI of the example's joint
 *   bin, ln p(x) p(y) / p(x, y) (higher = the pair's values co-occur less than in the reference).
 * Every value is finite (smoothed tables, tail bins). The set must have the reference's layers
 * and neurons, in the same order.
 */
import type { ActivationSet } from '../activations/activation-set.js';
import { neuronCount } from '../activations/activation-set.js';
import { tailBin, type ReferenceStats } from './reference.js';

export interface ExampleScores {
  readonly samples: number;
  readonly surprisal: Float64Array;
  /** samples x layers, row-major. */
  readonly layerSurprisal: Float64Array;
  readonly layers: readonly string[];
  /** NaN per example when the reference has no pairs. */
  readonly coactivation: Float64Array;
}

export function scoreExamples(ref: ReferenceStats, set: ActivationSet): ExampleScores {
  const N = neuronCount(set);
  if (N !== ref.neurons) throw new RangeError(`scores: the set has ${N} neurons, the reference ${ref.neurons}`);
  const L = ref.layers.length;
  if (set.layers.length !== L || set.layers.some((l, i) => l.name !== ref.layers[i].name || l.size !== ref.layers[i].size)) {
    throw new RangeError(`scores: the set's layers (${set.layers.map((l) => `${l.name}:${l.size}`).join(', ')}) differ from the reference's (${ref.layers.map((l) => `${l.name}:${l.size}`).join(', ')})`);
  }
  const S = set.samples;
  const B = ref.bins;
  const v = set.values;
  const surprisal = new Float64Array(S);
  const layerSurprisal = new Float64Array(S * L);
  for (let l = 0; l < L; l++) {
    const { offset, size } = ref.layers[l];
    for (let n = offset; n < offset + size; n++) {
      const lo = ref.range[2 * n];
      const hi = ref.range[2 * n + 1];
      const base = n * (B + 2);
      for (let s = 0; s < S; s++) {
        const x = v[n * S + s];
        if (!Number.isFinite(x)) throw new RangeError(`scores: non-finite value at neuron ${n}, example ${s}`);
        layerSurprisal[s * L + l] -= ref.logp[base + tailBin(x, lo, hi, B)];
      }
    }
    for (let s = 0; s < S; s++) {
      surprisal[s] += layerSurprisal[s * L + l];
      layerSurprisal[s * L + l] /= size;
    }
  }
  for (let s = 0; s < S; s++) surprisal[s] /= N;
  const P = ref.pairs.length / 2;
  const coactivation = new Float64Array(S).fill(P > 0 ? 0 : NaN);
  const J = ref.jointBins;
  const W = J + 2;
  for (let p = 0; p < P; p++) {
    const i = ref.pairs[2 * p];
    const j = ref.pairs[2 * p + 1];
    const table = p * W * W;
    for (let s = 0; s < S; s++) {
      const a = tailBin(v[i * S + s], ref.range[2 * i], ref.range[2 * i + 1], J);
      const b = tailBin(v[j * S + s], ref.range[2 * j], ref.range[2 * j + 1], J);
      coactivation[s] -= ref.pmi[table + a * W + b];
    }
  }
  if (P > 0) for (let s = 0; s < S; s++) coactivation[s] /= P;
  return { samples: S, surprisal, layerSurprisal, layers: ref.layers.map((l) => l.name), coactivation };
}
