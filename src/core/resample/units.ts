/**
 * Which units (neurons for the entropy, pairs for the MI) the resampling recomputes: all of them
 * when they number at most `cap`, else a stratified sample (stratified.ts), seeded. Strata: each
 * layer's neurons; each layer's own pairs and, last, the pairs across layers.
 */
import { Rng } from '../random/rng.js';
import type { Strata } from './stratified.js';

export interface LayerSpan {
  readonly offset: number;
  readonly size: number;
}

/** Sample sizes per stratum: all when the population fits `cap`; else half of `cap` shared equally, half in proportion. */
export function allocate(population: Float64Array, cap: number): Float64Array {
  const H = population.length;
  let total = 0;
  let nonEmpty = 0;
  for (const p of population) {
    total += p;
    if (p > 0) nonEmpty++;
  }
  if (total <= cap) return Float64Array.from(population);
  const floor = Math.ceil(cap / (2 * Math.max(1, nonEmpty)));
  const n = new Float64Array(H);
  for (let h = 0; h < H; h++) n[h] = population[h] === 0 ? 0 : Math.min(population[h], Math.max(floor, Math.round((cap * population[h]) / total)));
  return n;
}

/** Neurons: a stratified sample of at most about `cap` (all when N <= cap), ascending. */
export function sampleNeuronUnits(layers: readonly LayerSpan[], cap: number, seed: number): { units: Int32Array; strata: Strata } {
  const population = Float64Array.from(layers, (l) => l.size);
  const n = allocate(population, cap);
  const rng = new Rng(seed);
  const units: number[] = [];
  const of: number[] = [];
  layers.forEach((l, h) => {
    const picked = n[h] >= l.size ? Int32Array.from({ length: l.size }, (_, i) => i) : rng.sample(l.size, n[h]);
    for (const i of picked) {
      units.push(l.offset + i);
      of.push(h);
    }
  });
  return { units: Int32Array.from(units), strata: { of: Int32Array.from(of), population } };
}

/**
 * Pairs i < j: a stratified sample of at most about `cap` ([i0, j0, i1, j1, ...]); strata 0..L-1
 * are the layers' own pairs, stratum L the pairs across layers. With `measured` (the pairs an
 * analysis of sampled pairs measured, a uniform sample of all pairs), units are drawn from those
 * (`index` then gives each unit's position in `measured`).
 */
export function samplePairUnits(layers: readonly LayerSpan[], cap: number, seed: number, measured?: Int32Array): { pairs: Int32Array; index: Int32Array | null; strata: Strata } {
  const L = layers.length;
  const N = layers.reduce((a, l) => Math.max(a, l.offset + l.size), 0);
  const layerOf = new Int32Array(N);
  layers.forEach((l, h) => layerOf.fill(h, l.offset, l.offset + l.size));
  const population = new Float64Array(L + 1);
  let within = 0;
  layers.forEach((l, h) => {
    population[h] = (l.size * (l.size - 1)) / 2;
    within += population[h];
  });
  population[L] = (N * (N - 1)) / 2 - within;
  const stratum = (i: number, j: number): number => (layerOf[i] === layerOf[j] ? layerOf[i] : L);
  const rng = new Rng(seed);
  const pairs: number[] = [];
  const index: number[] = [];
  const of: number[] = [];
  if (measured) {
    const byStratum: number[][] = Array.from({ length: L + 1 }, () => []);
    for (let p = 0; p < measured.length / 2; p++) byStratum[stratum(measured[2 * p], measured[2 * p + 1])].push(p);
    const n = allocate(Float64Array.from(byStratum, (b) => b.length), cap);
    byStratum.forEach((list, h) => {
      const picked = n[h] >= list.length ? Int32Array.from(list.keys()) : rng.sample(list.length, n[h]);
      for (const k of picked) {
        const p = list[k];
        pairs.push(measured[2 * p], measured[2 * p + 1]);
        index.push(p);
        of.push(h);
      }
    });
    return { pairs: Int32Array.from(pairs), index: Int32Array.from(index), strata: { of: Int32Array.from(of), population } };
  }
  const n = allocate(population, cap);
  for (let h = 0; h <= L; h++) {
    if (n[h] === 0) continue;
    const keys = new Set<number>();
    const add = (i: number, j: number): void => void keys.add(Math.min(i, j) * N + Math.max(i, j));
    if (n[h] >= population[h] / 4) {
      // enumerate the stratum, then a partial shuffle
      const all: number[] = [];
      for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) if (stratum(i, j) === h) all.push(i * N + j);
      for (let k = 0; k < n[h]; k++) {
        const t = k + rng.int(all.length - k);
        [all[k], all[t]] = [all[t], all[k]];
        keys.add(all[k]);
      }
    } else if (h < L) {
      const l = layers[h];
      while (keys.size < n[h]) {
        const i = rng.int(l.size);
        const j = rng.int(l.size);
        if (i !== j) add(l.offset + i, l.offset + j);
      }
    } else {
      while (keys.size < n[h]) {
        const i = rng.int(N);
        const j = rng.int(N);
        if (layerOf[i] !== layerOf[j]) add(i, j);
      }
    }
    for (const k of [...keys].sort((a, b) => a - b)) {
      pairs.push(Math.floor(k / N), k % N);
      of.push(h);
    }
  }
  return { pairs: Int32Array.from(pairs), index: null, strata: { of: Int32Array.from(of), population } };
}
