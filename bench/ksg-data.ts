/**
 * Neurons for the KSG kernel benchmarks, `neurons` arrays of S values each:
 * - "gauss": linear mixtures of 8 shared latent Gaussians plus private noise (pairwise
 *   correlations spread over ~0..0.9, like pre-activations);
 * - "relu": max(0, .) of the same (~50% exact zeros);
 * - "trained": like trained ReLU MLP activations: a per-example scale (heavy tails), a sparse
 *   mixture, ReLU with a per-neuron bias (10-90% zeros), and float32 rounding (ties).
 */
import { Rng } from '../src/core/random/rng.js';

export type BenchNeuronKind = 'gauss' | 'relu' | 'trained';

export function mixedNeurons(kind: BenchNeuronKind, neurons: number, S: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  const L = 8;
  const latent: Float64Array[] = [];
  for (let l = 0; l < L; l++) latent.push(Float64Array.from({ length: S }, () => rng.normal()));
  const scale = Float64Array.from({ length: S }, () => Math.exp(0.5 * rng.normal()));
  const out: Float64Array[] = [];
  for (let n = 0; n < neurons; n++) {
    const w = Float64Array.from({ length: L }, () => (kind === 'trained' && rng.float() < 0.5 ? 0 : rng.normal() * 0.5));
    const noise = 0.3 + Math.abs(rng.normal());
    const bias = kind === 'gauss' ? rng.normal() : kind === 'trained' ? 1.2 * rng.normal() : 0;
    const v = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      let t = noise * rng.normal();
      for (let l = 0; l < L; l++) t += w[l] * latent[l][s];
      if (kind === 'trained') t *= scale[s];
      t += bias;
      v[s] = kind === 'gauss' ? t : kind === 'relu' ? Math.max(0, t) : Math.fround(Math.max(0, t));
    }
    out.push(v);
  }
  return out;
}
