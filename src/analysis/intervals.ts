/**
 * 95% intervals of the means that rank models (mean entropy, mean MI, median MI: overall and per
 * layer), from resampling the examples.
 *
 * Each estimator says how its examples are resampled (core/resample/scheme.ts): the binned ones
 * by the bootstrap, the k-NN and copula ones by subsampling (the delete-d jackknife), which
 * never duplicates an example. The estimator is recomputed on R replicates for a stratified
 * sample of units (every neuron for the binned entropy; up to `resamplePairs` pairs, each
 * layer's own and across layers), each unit's replicate values minus its full-data value give
 * the deviations, and the mean's deviation over replicates is estimated with the unit-sampling
 * noise taken off (core/resample/stratified.ts). The interval is value +- 1.96 se, with se the
 * deviations' standard deviation: it covers the estimator's expectation at this S (what a model
 * compared at the same S is ranked by), not the bias-free quantity.
 *
 * The replicate draws depend only on (scheme, S, R, seed): analyses of the same examples with the
 * same seed share them, so their deviations pair, and `compare` decides a difference from the
 * paired deviations (which is what makes small differences decidable).
 */
import { type ActivationSet, neuronCount } from '../core/activations/activation-set.js';
import { binningStrategies } from '../core/binning/strategy/index.js';
import { allocateCodes, binCodes } from '../core/binning/bin-codes.js';
import { PluginEntropyScratch } from '../core/entropy/plugin.js';
import { entropyEstimator } from '../core/entropy/registry.js';
import { miEstimator, miEstimatorModule } from '../core/mi/registry.js';
import { drawReplicates, type ResamplingScheme } from '../core/resample/scheme.js';
import { meanDeviations, medianDeviations, type Deviations, type Strata } from '../core/resample/stratified.js';
import { sampleNeuronUnits, samplePairUnits } from '../core/resample/units.js';
import { mixSeed } from '../core/transform/jitter.js';
import { sampleStdErr } from '../core/summary/sample-std-err.js';
import type { WorkerPool } from '../engine/pool.js';
import { AbortError, type ProgressCallback } from '../engine/progress.js';
import type { Settings } from './settings.js';
import { edgeEffects, entropyEdgeVariance, hasEdgeNoise, miEdgeVariance } from './edge-noise.js';

/** z of a two-sided 95% normal interval. */
export const Z95 = 1.959963984540054;

/** A statistic with its 95% interval and its replicate deviations (for paired comparisons). */
export interface IntervalStat {
  value: number;
  /** Standard error: of the examples' resampling, plus (sampled pairs) of the pair sample. */
  se: number;
  /** value -+ 1.96 se. */
  low: number;
  high: number;
  /**
   * What se is made of (added in quadrature): the examples' resampling; the pair sample's
   * standard error (sampled pairs); the bins' noise from the sample's extremes (binned
   * estimators on equal-width edges: edge-noise.ts); for seeds combined (`compare --group`), the
   * seeds' spread.
   */
  parts: { resampling: number; pairs?: number; edges?: number; seeds?: number };
  /** The R replicate deviations (mean 0, variance: the examples' part of se^2). */
  deviations: number[];
}

export interface StatSet {
  meanEntropy: IntervalStat | null;
  meanMI: IntervalStat | null;
  medianMI: IntervalStat | null;
}

/** `results.json`'s `intervals`. */
export interface Intervals {
  level: 0.95;
  /** Replicates R and the seed their draws come from. */
  resamples: number;
  seed: number;
  entropy: { scheme: ResamplingScheme; size: number; units: number; of: number } | null;
  mi: { scheme: ResamplingScheme; size: number; units: number; of: number } | null;
  overall: StatSet;
  layers: ({ name: string } & StatSet)[];
}

export interface IntervalInput {
  set: ActivationSet;
  settings: Settings;
  extents: Float64Array;
  /** The analysis's values, nats. */
  entropy: Float64Array;
  mi: Float64Array | null;
  sample: { pairs: Int32Array; values: Float64Array; of: number } | null;
  constantMask: Uint8Array;
  /** Shared values and stream ids, as the MI work used. */
  values: ActivationSet['values'];
  ids: Uint32Array;
  pool: WorkerPool;
  inProcess: boolean;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  tick: () => Promise<void> | void;
}

/** Neurons whose entropy the binned estimators recompute per replicate at most; others 512. */
const NEURON_CAP_BINNED = 8192;
const NEURON_CAP = 512;

/**
 * The neurons the binned entropy's resampling recomputes: as many as R replicates of m examples
 * allow in about 4e8 counted values (about a second), at least 512 and at most 8,192. The
 * entropy itself is one pass over the data, so its 50 replicates would otherwise cost 50 times
 * it (3,072 neurons of 50,000 examples: 34 s for an entropy of 0.9 s); 768 neurons of 10,000
 * examples are all taken. The stratified estimate (stratified.ts) takes the sampled neurons'
 * noise into account.
 */
export function resampledNeurons(R: number, m: number): number {
  return Math.min(NEURON_CAP_BINNED, Math.max(NEURON_CAP, Math.floor(4e8 / (R * m))));
}

/** The intervals of an analysis (null when `settings.resamples` is 0). */
export async function computeIntervals(input: IntervalInput): Promise<Intervals | null> {
  const { set, settings: s } = input;
  const R = s.resamples;
  if (R <= 0 || set.samples < 4) return null;
  const layers = set.layers;
  const ent = await entropyIntervals(input);
  const mi = s.mi === 'none' ? null : await miIntervals(input);
  // the binned means' noise from the sample's extremes (edge-noise.ts), added in quadrature
  const edges = hasEdgeNoise(s) ? edgeEffects(set, s, input.extents, mi?.pairs ?? null) : null;
  const N = neuronCount(set);
  const stat = (value: number, d: Deviations | null, parts: { pairs?: number; edges?: number } = {}): IntervalStat | null => {
    if (!d || !Number.isFinite(d.se) || !Number.isFinite(value)) return null;
    const pairSe = parts.pairs ?? 0;
    const edgeSe = Math.sqrt(parts.edges ?? 0);
    const se = Math.sqrt(d.se * d.se + pairSe * pairSe + edgeSe * edgeSe);
    return {
      value,
      se,
      low: value - Z95 * se,
      high: value + Z95 * se,
      parts: { resampling: d.se, ...(parts.pairs !== undefined ? { pairs: pairSe } : {}), ...(parts.edges !== undefined ? { edges: edgeSe } : {}) },
      deviations: Array.from(d.deviations),
    };
  };
  const entropyEdges = (from: number, to: number): { edges?: number } => (edges && s.entropy === 'binned' ? { edges: entropyEdgeVariance(edges, from, to) } : {});
  const miEdges = (take: (p: number) => boolean): { edges?: number } => (edges && mi && s.mi === 'binned' ? { edges: miEdgeVariance(edges, mi.pairs, take) } : {});
  const meanOf = (v: Float64Array, from: number, to: number): number => {
    let t = 0;
    let c = 0;
    for (let i = from; i < to; i++)
      if (Number.isFinite(v[i])) {
        t += v[i];
        c++;
      }
    return c ? t / c : NaN;
  };
  const pairValues = pairStatistics(input);
  // sampled pairs: the pair sample's standard error of each mean, added in quadrature
  const pairSe = (v: { pairSe: number | null }): { pairs?: number } => (v.pairSe !== null && Number.isFinite(v.pairSe) ? { pairs: v.pairSe } : {});
  const out: Intervals = {
    level: 0.95,
    resamples: R,
    seed: s.seed,
    entropy: ent ? { scheme: ent.scheme, size: ent.size, units: ent.units, of: neuronCount(set) } : null,
    mi: mi ? { scheme: mi.scheme, size: mi.size, units: mi.units, of: mi.of } : null,
    overall: {
      meanEntropy: ent ? stat(meanOf(input.entropy, 0, N), ent.overall, entropyEdges(0, N)) : null,
      meanMI: mi && pairValues ? stat(pairValues.overall.mean, mi.overall.mean, { ...pairSe(pairValues.overall), ...miEdges(() => true) }) : null,
      medianMI: mi && pairValues ? stat(pairValues.overall.median, mi.overall.median, miEdges(() => true)) : null,
    },
    layers: layers.map((l, h) => ({
      name: l.name,
      meanEntropy: ent ? stat(meanOf(input.entropy, l.offset, l.offset + l.size), ent.layers[h], entropyEdges(l.offset, l.offset + l.size)) : null,
      meanMI: mi && pairValues && l.size > 1 ? stat(pairValues.layers[h].mean, mi.layers[h].mean, { ...pairSe(pairValues.layers[h]), ...miEdges((p) => mi.strata[p] === h) }) : null,
      medianMI: mi && pairValues && l.size > 1 ? stat(pairValues.layers[h].median, mi.layers[h].median, miEdges((p) => mi.strata[p] === h)) : null,
    })),
  };
  return out;
}

/**
 * The mean and median MI (distinct pairs i < j) overall and per layer, as the results report
 * them; with sampled pairs, also the sample's standard error of each mean (sampleStdErr, over the
 * pairs the sample could have drawn there).
 */
function pairStatistics(input: IntervalInput): { overall: PairSummary; layers: PairSummary[] } | null {
  const { set, mi, sample } = input;
  const N = neuronCount(set);
  const collect = (from: number, to: number): Float64Array => {
    if (mi) {
      const out = new Float64Array(((to - from) * (to - from - 1)) / 2);
      let k = 0;
      for (let i = from; i < to; i++) for (let j = i + 1; j < to; j++) out[k++] = mi[i * N + j];
      return out;
    }
    const out: number[] = [];
    for (let p = 0; p < sample!.values.length; p++) {
      const i = sample!.pairs[2 * p];
      const j = sample!.pairs[2 * p + 1];
      if (i >= from && j < to) out.push(sample!.values[p]);
    }
    return Float64Array.from(out);
  };
  if (!mi && !sample) return null;
  const summary = (v: Float64Array, of: number): PairSummary => {
    if (v.length === 0) return { mean: NaN, median: NaN, pairSe: null };
    let t = 0;
    for (const x of v) t += x;
    const mean = t / v.length;
    const pairSe = sample ? sampleStdErr(v, mean, of) : null;
    v.sort();
    const h = v.length >> 1;
    return { mean, median: v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2, pairSe };
  };
  const distinct = (n: number): number => (n * (n - 1)) / 2;
  return { overall: summary(collect(0, N), distinct(N)), layers: set.layers.map((l) => summary(collect(l.offset, l.offset + l.size), distinct(l.size))) };
}

interface PairSummary {
  mean: number;
  median: number;
  pairSe: number | null;
}

interface EntropyDeviations {
  scheme: ResamplingScheme;
  size: number;
  units: number;
  overall: Deviations;
  layers: Deviations[];
}

async function entropyIntervals(input: IntervalInput): Promise<EntropyDeviations | null> {
  const { set, settings: s } = input;
  const est = entropyEstimator(s.entropy);
  if (!est.replicate) return null;
  const scheme = est.resampling ?? 'subsampling';
  const S = set.samples;
  const reps = drawReplicates(scheme, S, s.resamples, mixSeed(s.seed, 0x1e7a));
  const cap = s.entropy === 'binned' ? resampledNeurons(s.resamples, reps.size) : NEURON_CAP;
  const drawn = sampleNeuronUnits(set.layers, cap, mixSeed(s.seed, 0x1e7b));
  // neurons whose full-data entropy is not finite (KL on ties) have no deviation
  const keep = drawn.units.map((n) => (Number.isFinite(input.entropy[n]) ? 1 : 0));
  const units = drawn.units.filter((_, u) => keep[u]);
  const strata: Strata = { of: drawn.strata.of.filter((_, u) => keep[u]), population: drawn.strata.population };
  const U = units.length;
  if (U === 0) return null;
  const m = reps.size;
  const values = new Float64Array(m);
  const out = new Float64Array(s.resamples * U);
  // the analysis's bins, kept: their noise from the sample's extremes is added apart (edgeNoise)
  const edges = binningStrategies[s.binning](set, s.bins, input.extents);
  const t0 = performance.now();
  let last = t0;
  const report = (done: number, total: number): void => {
    if (input.onProgress && performance.now() - last > 200) {
      last = performance.now();
      input.onProgress({ phase: 'intervals', done, total, elapsed: (last - t0) / 1000, unit: 'neurons' });
    }
  };
  if (s.entropy === 'binned') {
    // the bins are the analysis's: each neuron's codes once, then every replicate's counts from them
    // (the same codes est.replicate would compute from the gathered values)
    const W = s.bins + 1;
    const codes = allocateCodes(s.bins, S);
    const plugin = new PluginEntropyScratch(m, s.bins);
    for (let u = 0; u < U; u++) {
      if ((u & 15) === 0) {
        await input.tick();
        if (input.signal?.aborted) throw new AbortError();
        report(u, U);
      }
      const n = units[u];
      binCodes(set.values.subarray(n * S, (n + 1) * S), edges.edges.subarray(n * W, (n + 1) * W), s.bins, edges.equalWidth, codes, 0);
      for (let r = 0; r < s.resamples; r++) {
        out[r * U + u] = plugin.entropyAt(codes, reps.rows.subarray(r * m, (r + 1) * m), s.millerMadow);
      }
    }
  } else {
    for (let u = 0; u < U; u++) {
      const n = units[u];
      const base = n * S;
      for (let r = 0; r < s.resamples; r++) {
        if ((r & 7) === 0) {
          await input.tick();
          if (input.signal?.aborted) throw new AbortError();
        }
        const rows = reps.rows.subarray(r * m, (r + 1) * m);
        for (let i = 0; i < m; i++) values[i] = set.values[base + rows[i]];
        out[r * U + u] = est.replicate(values, n, s, { edges, id: input.ids[n] });
      }
      report(u, U);
    }
  }
  const full = Float64Array.from(units, (n) => input.entropy[n]);
  const f = reps.varianceFactor;
  return {
    scheme,
    size: m,
    units: U,
    overall: meanDeviations(full, out, strata, f),
    layers: set.layers.map((_, h) => meanDeviations(full, out, strata, f, (x) => x === h)),
  };
}

interface MiDeviations {
  scheme: ResamplingScheme;
  size: number;
  units: number;
  of: number;
  /** The pairs recomputed, and the stratum of each (0..L-1: a layer's own; L: across). */
  pairs: Int32Array;
  strata: Int32Array;
  overall: { mean: Deviations; median: Deviations };
  layers: { mean: Deviations; median: Deviations }[];
}

/**
 * The pairs the MI's resampling recomputes: `resamplePairs`, fewer where R replicates of them on
 * m examples would cost more than the analysis's own `work` pairs on S examples (or 2 s of pair
 * work, whichever is more), but not below 64. On all pairs of a layer this never binds (768
 * neurons: 294,528 pairs against 500 x 50 replicates of a quarter of the examples); on a sample of
 * 500 pairs of 50,000 examples it takes 64 pairs instead of 500, so that the intervals do not cost
 * six times the analysis. The stratified estimate (stratified.ts) takes the fewer units' noise
 * into account; with sampled pairs the pair sample's own standard error dominates anyway.
 */
export function resampledPairs(resamplePairs: number, R: number, work: number, S: number, m: number, nsPerPairSample: number): number {
  const allowed = Math.max(work * S, 2e9 / nsPerPairSample);
  return Math.min(resamplePairs, Math.max(64, Math.floor(allowed / (R * m))));
}

async function miIntervals(input: IntervalInput): Promise<MiDeviations | null> {
  const { set, settings: s } = input;
  const est = miEstimator(s.mi);
  const scheme = est.resampling ?? 'subsampling';
  const S = set.samples;
  const N = neuronCount(set);
  const reps = drawReplicates(scheme, S, s.resamples, mixSeed(s.seed, 0x1e7c));
  const m = reps.size;
  if (m < est.minSamples(s)) return null;
  const work = input.sample ? input.sample.pairs.length / 2 : (N * (N - 1)) / 2;
  const drawn = samplePairUnits(set.layers, resampledPairs(s.resamplePairs, s.resamples, work, S, m, est.nsPerPairSample), mixSeed(s.seed, 0x1e7d), input.sample?.pairs);
  const P = drawn.pairs.length / 2;
  if (P === 0) return null;
  // the neurons the pairs touch, each prepared once per replicate
  const slotOf = new Map<number, number>();
  for (const n of drawn.pairs) if (!slotOf.has(n)) slotOf.set(n, slotOf.size);
  const neurons = new Int32Array(new SharedArrayBuffer(4 * slotOf.size));
  for (const [n, q] of slotOf) neurons[q] = n;
  const pairs = new Int32Array(new SharedArrayBuffer(8 * P));
  for (let k = 0; k < 2 * P; k++) pairs[k] = slotOf.get(drawn.pairs[k])!;
  const rows = new Int32Array(new SharedArrayBuffer(4 * reps.rows.length));
  rows.set(reps.rows);
  const out = new Float64Array(new SharedArrayBuffer(8 * s.resamples * P));
  const plan = est.plan(set, s, input.extents);
  await input.pool.run(
    {
      type: 'resample',
      estimator: { name: est.name, module: miEstimatorModule(est.name) },
      options: s,
      plan: est.resamplePlan ? est.resamplePlan(plan, m, s) : plan,
      values: input.values,
      samples: S,
      neurons,
      ids: input.ids,
      rows,
      size: m,
      pairs,
      out,
    },
    'intervals',
    { onProgress: input.onProgress, signal: input.signal, inProcess: input.inProcess },
  );
  const full = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    const i = drawn.pairs[2 * p];
    const j = drawn.pairs[2 * p + 1];
    full[p] = input.mi ? input.mi[i * N + j] : input.sample!.values[drawn.index![p]];
    if (s.constantMI === 'zero' && (input.constantMask[i] || input.constantMask[j])) for (let r = 0; r < s.resamples; r++) out[r * P + p] = 0;
  }
  const f = reps.varianceFactor;
  const L = set.layers.length;
  const of = drawn.strata.of;
  const unitsIn = (h: number): Int32Array => Int32Array.from({ length: P }, (_, p) => p).filter((p) => of[p] === h);
  return {
    scheme,
    size: m,
    units: P,
    of: (N * (N - 1)) / 2,
    pairs: drawn.pairs,
    strata: drawn.strata.of,
    overall: { mean: meanDeviations(full, out, drawn.strata, f), median: medianDeviations(full, out, f) },
    layers: Array.from({ length: L }, (_, h) => ({ mean: meanDeviations(full, out, drawn.strata, f, (x) => x === h), median: medianDeviations(full, out, f, unitsIn(h)) })),
  };
}

