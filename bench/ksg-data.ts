/**
 * Neurons for the KSG kernel benchmarks, `neurons` arrays of S values each:
 * - "gauss": linear mixtures of 8 shared latent Gaussians plus private noise (pairwise
 *   correlations spread over ~0..0.9, like pre-activations);
 * - "relu": max(0, .) of the same (~50% exact zeros);
 * - "trained": like trained ReLU MLP activations: a per-example scale (heavy tails), a sparse
 *   mixture, ReLU with a per-neuron bias (10-90% zeros), and float32 rounding (ties);
 * - "outliers": "gauss" with 0.1% of the values 1000 times larger (like a transformer's outlier
 *   units);
 * - "cauchy": "gauss" plus Cauchy noise of scale 0.3 (heavy tails at every scale).
 */
import type { ActivationSet } from '../src/core/activations/activation-set.js';
import { createKsgStore, prepareKsgNeuron, type KsgStore } from '../src/core/mi/ksg/index.js';
import { Rng } from '../src/core/random/rng.js';

export type BenchNeuronKind = 'gauss' | 'relu' | 'trained' | 'outliers' | 'cauchy';

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
    const bias = kind === 'relu' ? 0 : kind === 'trained' ? 1.2 * rng.normal() : rng.normal();
    const v = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      let t = noise * rng.normal();
      for (let l = 0; l < L; l++) t += w[l] * latent[l][s];
      if (kind === 'trained') t *= scale[s];
      t += bias;
      if (kind === 'outliers' && rng.float() < 0.001) t *= 1000;
      if (kind === 'cauchy') t += 0.3 * Math.tan(Math.PI * (rng.float() - 0.5));
      v[s] = kind === 'relu' ? Math.max(0, t) : kind === 'trained' ? Math.fround(Math.max(0, t)) : t;
    }
    out.push(v);
  }
  return out;
}

/** A data set of the kernel A/B benches: the synthetic kinds, or "mnist" (a trained MLP's activations). */
export type KernelBenchKind = BenchNeuronKind | 'mnist';

/**
 * The kinds to run: gauss, relu, trained; "outliers" and "cauchy" with `tails`; "mnist" when
 * the trained activations are given.
 */
export function kernelBenchKinds(mnist: ActivationSet | null, tails = false): KernelBenchKind[] {
  return [...(['gauss', 'relu', 'trained'] as const), ...(tails ? (['outliers', 'cauchy'] as const) : []), ...(mnist ? (['mnist'] as const) : [])];
}

/**
 * 16 neurons of `kind` on S examples, prepared in a k = 3 KSG store, and the first `pairsWanted`
 * ordered pairs (i, j), i != j, in row order. "mnist": every 48th of the trained MLP's neurons
 * (`mnist`, 768 of them), on their first S examples; the others: mixedNeurons(kind, 16, S, 77 + S).
 */
export function kernelBenchCase(kind: KernelBenchKind, S: number, pairsWanted: number, mnist: ActivationSet | null): { store: KsgStore; pairs: [number, number][] } {
  const neurons = 16;
  let data: Float64Array[];
  if (kind === 'mnist') {
    if (mnist === null) throw new Error('kernelBenchCase: "mnist" needs the trained activations');
    data = [];
    for (let n = 0; n < 768 && data.length < neurons; n += 48) data.push(Float64Array.from(mnist.values.subarray(n * mnist.samples, n * mnist.samples + S)));
  } else data = mixedNeurons(kind, neurons, S, 77 + S);
  const store = createKsgStore(neurons, S, 3);
  for (let n = 0; n < neurons; n++) prepareKsgNeuron(store, n, data[n]);
  const pairs: [number, number][] = [];
  for (let i = 0; i < neurons; i++) for (let j = 0; j < neurons; j++) if (i !== j && pairs.length < pairsWanted) pairs.push([i, j]);
  return { store, pairs };
}

/** The median (the mean of the two middle values for an even count). */
export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Same-process A/B: `rounds` rounds, each timing every pair with runA and with runB (the order
 * alternating between rounds); the medians over the rounds of ms per pair, [A, B].
 */
export function interleavedMsPerPair(rounds: number, pairs: [number, number][], runA: (i: number, j: number) => void, runB: (i: number, j: number) => void): [number, number] {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [run, times] of r % 2 ? ([[runB, tb], [runA, ta]] as const) : ([[runA, ta], [runB, tb]] as const)) {
      const t0 = performance.now();
      for (const [i, j] of pairs) run(i, j);
      times.push((performance.now() - t0) / pairs.length);
    }
  }
  return [median(ta), median(tb)];
}
