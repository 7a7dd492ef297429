/**
 * The variance that the sample's extremes put into the binned means (core/resample/extremes.ts),
 * for equal-width binning scopes (global, layer, neuron; quantile edges are smooth statistics
 * and need none).
 *
 * The edges are drawn from each edge group's minimum and maximum (global: one group, every
 * neuron; layer: each layer; neuron: each neuron). Per group, the maximum's and the minimum's
 * standard deviations come from their top spacings; the edges are then widened by that much
 * (one group's maximum raised, its minimum lowered) and each neuron's entropy, and each sampled
 * pair's MI, recomputed: the change is the group's effect at one standard deviation. A mean's
 * variance from the edges is sum over groups and ends of (its mean change from that group)^2, the
 * groups' extremes being independent. A pair across two groups gives half its change to each.
 */
import { type ActivationSet, neuronCount } from '../core/activations/activation-set.js';
import { binningStrategies, type BinEdges } from '../core/binning/strategy/index.js';
import { allocateCodes, binCodes } from '../core/binning/bin-codes.js';
import { PluginEntropyScratch } from '../core/entropy/plugin.js';
import { miEstimator } from '../core/mi/registry.js';
import { EXTREME_SPACINGS, extremeValues, maxStdDev } from '../core/resample/extremes.js';
import type { Settings } from './settings.js';

/** Per-neuron entropy changes and per-pair MI changes at one standard deviation of each end. */
export interface EdgeEffects {
  /** Edge group of each neuron. */
  group: Int32Array;
  groups: number;
  /** Entropy change of each neuron when its group's max (hi) / min (lo) moves out by one sd. */
  entropyHi: Float64Array;
  entropyLo: Float64Array;
  /** MI change of each listed pair, likewise (null without binned MI). */
  miHi: Float64Array | null;
  miLo: Float64Array | null;
}

/** Whether the analysis's binned measures have edge noise to add. */
export function hasEdgeNoise(s: Settings): boolean {
  return s.binning !== 'quantile' && (s.entropy === 'binned' || s.mi === 'binned');
}

/**
 * The effects for `set` (its extents `extents`), the binned entropies of all neurons and, with
 * binned MI, of the listed pairs [i0, j0, ...].
 */
export function edgeEffects(set: ActivationSet, s: Settings, extents: Float64Array, pairs: Int32Array | null): EdgeEffects {
  const N = neuronCount(set);
  const S = set.samples;
  const group = new Int32Array(N);
  let groups = 1;
  if (s.binning === 'layer') {
    set.layers.forEach((l, h) => group.fill(h, l.offset, l.offset + l.size));
    groups = set.layers.length;
  } else if (s.binning === 'neuron') {
    for (let n = 0; n < N; n++) group[n] = n;
    groups = N;
  }
  const members: number[][] = Array.from({ length: groups }, () => []);
  for (let n = 0; n < N; n++) members[group[n]].push(n);
  const hiExt = Float64Array.from(extents);
  const loExt = Float64Array.from(extents);
  const k = EXTREME_SPACINGS + 1;
  for (const ns of members) {
    if (ns.length === 0) continue;
    // only neurons whose own extreme reaches the k-th most extreme neuron's can hold one of the
    // group's k most extreme values (the k-th value overall is at least that far out)
    const candidatesHi = reaching(ns, extents, k, 1);
    const candidatesLo = reaching(ns, extents, k, 0);
    const readOf = (c: number[]) => (i: number): number => set.values[c[Math.floor(i / S)] * S + (i % S)];
    // k neurons or more sharing the extreme (ReLU units' minimum 0): the k extremes are that value
    const tied = (c: number[], end: 0 | 1): Float64Array | null => (c.length >= k && c.every((n) => extents[2 * n + end] === extents[2 * c[0] + end]) ? new Float64Array(k).fill(extents[2 * c[0] + end]) : null);
    const topValues = tied(candidatesHi, 1) ?? extremeValues(candidatesHi.length * S, readOf(candidatesHi), k);
    const bottom = tied(candidatesLo, 0) ?? extremeValues(candidatesLo.length * S, readOf(candidatesLo), k, true);
    const sdHi = maxStdDev(topValues);
    const sdLo = maxStdDev(bottom.map((v) => -v));
    // the group's extreme neurons get the widened extents (the strategy takes the group's min/max)
    let argHi = ns[0];
    let argLo = ns[0];
    for (const n of ns) {
      if (extents[2 * n + 1] > extents[2 * argHi + 1]) argHi = n;
      if (extents[2 * n] < extents[2 * argLo]) argLo = n;
    }
    hiExt[2 * argHi + 1] += sdHi;
    loExt[2 * argLo] -= sdLo;
  }
  const strategy = binningStrategies[s.binning];
  const base = strategy(set, s.bins, extents);
  const hi = strategy(set, s.bins, hiExt);
  const lo = strategy(set, s.bins, loExt);
  // the binned entropy estimator's own computation (core/entropy/registry.ts), its buffers reused
  const W = s.bins + 1;
  const codes = allocateCodes(s.bins, S);
  const plugin = new PluginEntropyScratch(S, s.bins);
  const entropyOf = (n: number, edges: BinEdges): number => {
    binCodes(set.values.subarray(n * S, (n + 1) * S), edges.edges.subarray(n * W, (n + 1) * W), s.bins, edges.equalWidth, codes, 0);
    return plugin.entropy(codes, 0, s.millerMadow);
  };
  const entropyHi = new Float64Array(N);
  const entropyLo = new Float64Array(N);
  if (s.entropy === 'binned')
    for (let n = 0; n < N; n++) {
      const h0 = entropyOf(n, base);
      entropyHi[n] = entropyOf(n, hi) - h0;
      entropyLo[n] = entropyOf(n, lo) - h0;
    }
  let miHi: Float64Array | null = null;
  let miLo: Float64Array | null = null;
  if (s.mi === 'binned' && pairs && pairs.length > 0) {
    const m0 = pairMi(set, s, base, pairs);
    miHi = pairMi(set, s, hi, pairs).map((v, p) => v - m0[p]);
    miLo = pairMi(set, s, lo, pairs).map((v, p) => v - m0[p]);
  }
  return { group, groups, entropyHi, entropyLo, miHi, miLo };
}

/**
 * The neurons of `ns` whose maximum (`end` 1) or minimum (`end` 0) is at least as extreme as the
 * k-th most extreme neuron's: the only ones that can hold the group's k most extreme values.
 */
function reaching(ns: number[], extents: Float64Array, k: number, end: 0 | 1): number[] {
  const sign = end === 1 ? 1 : -1;
  const ends = Float64Array.from(ns, (n) => sign * extents[2 * n + end]).sort();
  const bar = ends[Math.max(0, ends.length - k)];
  return ns.filter((n) => sign * extents[2 * n + end] >= bar);
}

/** Binned MI of listed pairs on `edges` (in process). */
function pairMi(set: ActivationSet, s: Settings, edges: BinEdges, pairs: Int32Array): Float64Array {
  const est = miEstimator('binned');
  const S = set.samples;
  const slot = new Map<number, number>();
  for (const n of pairs) if (!slot.has(n)) slot.set(n, slot.size);
  const store = est.createStore(slot.size, S, s, edges, false);
  for (const [n, q] of slot) est.prepareNeuron(store, q, { neuron: n, values: set.values.subarray(n * S, (n + 1) * S), id: 0, permutation: null }, s, edges);
  const mi = est.pairKernel(store, store);
  return Float64Array.from({ length: pairs.length / 2 }, (_, p) => mi(slot.get(pairs[2 * p])!, slot.get(pairs[2 * p + 1])!));
}

/** The edge variance of the mean entropy over neurons [from, to). */
export function entropyEdgeVariance(e: EdgeEffects, from: number, to: number, skip?: (n: number) => boolean): number {
  const hi = new Float64Array(e.groups);
  const lo = new Float64Array(e.groups);
  let count = 0;
  for (let n = from; n < to; n++) {
    if (skip?.(n)) continue;
    hi[e.group[n]] += e.entropyHi[n];
    lo[e.group[n]] += e.entropyLo[n];
    count++;
  }
  return count ? sumSquares(hi, count) + sumSquares(lo, count) : 0;
}

/** The edge variance of the mean MI over the listed pairs that `take` keeps. */
export function miEdgeVariance(e: EdgeEffects, pairs: Int32Array, take: (p: number) => boolean): number {
  if (!e.miHi || !e.miLo) return 0;
  const hi = new Float64Array(e.groups);
  const lo = new Float64Array(e.groups);
  let count = 0;
  for (let p = 0; p < pairs.length / 2; p++) {
    if (!take(p)) continue;
    const gi = e.group[pairs[2 * p]];
    const gj = e.group[pairs[2 * p + 1]];
    hi[gi] += e.miHi[p] / 2;
    hi[gj] += e.miHi[p] / 2;
    lo[gi] += e.miLo[p] / 2;
    lo[gj] += e.miLo[p] / 2;
    count++;
  }
  return count ? sumSquares(hi, count) + sumSquares(lo, count) : 0;
}

function sumSquares(v: Float64Array, divisor: number): number {
  let t = 0;
  for (const x of v) t += (x / divisor) ** 2;
  return t;
}
