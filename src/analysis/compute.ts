import { type ActivationSet, type ActivationValues, allocValues, type LayerInfo, neuronCount } from '../core/activations/activation-set.js';
import { allocateCodes, binCodes, type BinCodeArray } from '../core/binning/bin-codes.js';
import { binningStrategies, type BinEdges } from '../core/binning/strategy/index.js';
import { PluginEntropyScratch } from '../core/entropy/plugin.js';
import { entropyEstimator } from '../core/entropy/registry.js';
import { miEstimator, miEstimatorModule } from '../core/mi/registry.js';
import { Rng } from '../core/random/rng.js';
import { mixSeed } from '../core/transform/jitter.js';
import { availableMemory, formatBytes } from '../io/memory.js';
import { defaultThreads, WorkerPool } from '../engine/pool.js';
import type { ProgressCallback } from '../engine/progress.js';
import { ticker } from '../engine/yield.js';
import { trianglePairs } from '../engine/schedule.js';
import { allPairs, blockSize, minimumBlockBytes, pairList, type BlockRun } from './prepared-blocks.js';
import { resolveSettings, type Settings } from './settings.js';
import { minSamplesText } from './estimator-text.js';
import { binCollapseWarnings, type AnalysisWarning } from './warnings.js';
import { computeIntervals, type Intervals } from './intervals.js';
import { allPairList, significanceOf, surrogateSeed, testPairs, type PairSignificance } from './significance.js';

/** The binning scopes whose mean entropy every analysis reports side by side. */
export const comparedBinnings = ['global', 'layer', 'neuron'] as const;
export type ComparedBinning = (typeof comparedBinnings)[number];

/** The chance baseline: MI of neuron pairs against a seeded permutation of one side. */
export interface ChanceBaseline {
  /** Pairs (i < j) measured, [i0, j0, i1, j1, ...]. */
  readonly pairs: Int32Array;
  /** MI of each pair with neuron j's examples permuted. */
  readonly values: Float64Array;
}

/** MI of a seeded sample of distinct pairs, and how many pairs there are in all. */
export interface PairSample {
  /** Pairs (i < j), [i0, j0, i1, j1, ...], ascending. */
  readonly pairs: Int32Array;
  readonly values: Float64Array;
  /** Distinct pairs N (N - 1) / 2 they were drawn from. */
  readonly of: number;
}

/** Everything `computeMeasures` measures, in nats. */
export interface Measures {
  readonly settings: Settings;
  readonly samples: number;
  readonly layers: readonly LayerInfo[];
  readonly sourceIndex: Int32Array;
  /** Entropy of each neuron under `settings` (binned or Kozachenko-Leonenko). */
  readonly entropy: Float64Array;
  /** Neurons whose activations are all equal (they have entropy 0 and MI 0 with every neuron). */
  readonly constantNeurons: number;
  /** 1 for each constant neuron. */
  readonly constantMask: Uint8Array;
  /** Mean plug-in entropy over all neurons under each binning scope (B bins each). */
  readonly meanEntropyByBinning: Record<ComparedBinning, number>;
  /** N x N row-major MI matrix (symmetric, diagonal included); null for `mi: 'none'` or sampled pairs. */
  readonly mi: Float64Array | null;
  /** With `pairs: N`: the sampled pairs and their MI (null otherwise). */
  readonly sample: PairSample | null;
  readonly baseline: ChanceBaseline | null;
  /** Numbers that would mislead (see warnings.ts). */
  readonly warnings: AnalysisWarning[];
  /** The ranking means' 95% intervals from resampling examples (null with `resamples` 0), nats. */
  readonly intervals: Intervals | null;
  /** Per-pair permutation p-values (`significance` surrogates; null without). */
  readonly significance: PairSignificance | null;
  /** Seconds spent per phase (`entropyByBinning`: the other binning scopes' mean entropies). */
  readonly timings: { entropy: number; entropyByBinning: number; prepare: number; mi: number; baseline: number; intervals: number; significance: number; total: number };
}

export interface ComputeOptions extends Partial<Settings> {
  /**
   * Bytes the MI estimator may use for prepared neurons (default: 1.5 x the activation set, at
   * least 512 MiB, within the available memory); above it, all pairs are computed in blocks,
   * with identical results.
   */
  miMemory?: number;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Use worker threads even for small jobs (tests of thread-count invariance). */
  forceWorkers?: boolean;
  /**
   * MI computed elsewhere (the shards of a cluster plan, cluster/): the N x N matrix (taken
   * without a copy when it is over a SharedArrayBuffer: it becomes `mi`), or the sampled pairs'
   * values in `samplePairs`' order; with `significance`, the pairs' permutation p-values (`p`:
   * in the sample's order, or all pairs i < j row by row). Every other phase runs as usual.
   */
  precomputed?: { mi?: Float64Array; sample?: Float64Array; p?: Float64Array };
}

/**
 * Computes per-neuron entropies and (unless `mi: 'none'`) the all-pairs MI matrix of an
 * activation set, plus the chance baseline. Never modifies `set`.
 */
export async function computeMeasures(set: ActivationSet, options: ComputeOptions = {}): Promise<Measures> {
  const { onProgress, signal, forceWorkers, miMemory, precomputed, ...rest } = options;
  const settings = resolveSettings(rest, defaultThreads());
  const N = neuronCount(set);
  const S = set.samples;
  const extents = await validate(set, settings, ticker(signal));
  const t0 = performance.now();
  const timings = { entropy: 0, entropyByBinning: 0, prepare: 0, mi: 0, baseline: 0, intervals: 0, significance: 0, total: 0 };
  const pool = new WorkerPool(settings.threads);
  try {
    // start the worker threads now, so that they boot while the entropies are computed here
    if (settings.mi !== 'none' && (forceWorkers || Math.min(trianglePairs(N), settings.pairs === 'all' ? Infinity : settings.pairs) * S * miEstimator(settings.mi).nsPerPairSample >= 2e8)) pool.warm();
    // entropies
    let t = performance.now();
    const edges = binningStrategies[settings.binning](set, settings.bins, extents);
    // one neuron's codes at a time; of each neuron only its entropy and its occupied bins are kept
    const codes: BinCodeArray = allocateCodes(settings.bins, S);
    const occupied = new Uint8Array(N);
    const tick = ticker(signal);
    const scratch = new PluginEntropyScratch(S, settings.bins);
    let entropy: Float64Array = new Float64Array(N);
    let constantNeurons = 0;
    const constantMask = new Uint8Array(N);
    let lastReport = performance.now();
    for (let n = 0; n < N; n++) {
      await tick();
      if (onProgress && performance.now() - lastReport > 200) {
        lastReport = performance.now();
        onProgress({ phase: 'entropy', done: n, total: N, elapsed: seconds(t) });
      }
      binCodes(set.values.subarray(n * S, (n + 1) * S), edges.edges.subarray(n * (settings.bins + 1), (n + 1) * (settings.bins + 1)), settings.bins, edges.equalWidth, codes, 0);
      entropy[n] = scratch.entropy(codes, 0, settings.millerMadow);
      occupied[n] = Math.min(255, scratch.occupied);
      if (isConstant(set.values, n * S, S)) {
        constantMask[n] = 1;
        constantNeurons++;
      }
    }
    const warnings = binCollapseWarnings(set, edges, occupied, constantMask, settings);
    const mainBinned = entropy;
    entropy = await entropyEstimator(settings.entropy).entropies(set, settings, { binned: mainBinned, ids: neuronStreamIds(set), tick });
    timings.entropy = seconds(t);
    onProgress?.({ phase: 'entropy', done: N, total: N, elapsed: timings.entropy });
    t = performance.now();
    const meanEntropyByBinning = {} as Record<ComparedBinning, number>;
    for (const scope of comparedBinnings) {
      meanEntropyByBinning[scope] = mean(scope === settings.binning ? mainBinned : await entropiesUnder(set, binningStrategies[scope](set, settings.bins, extents), settings.millerMadow, tick));
    }
    timings.entropyByBinning = seconds(t);

    let mi: Float64Array | null = null;
    let sample: PairSample | null = null;
    let baseline: ChanceBaseline | null = null;
    let shared: ActivationValues | null = null;
    let significance: PairSignificance | null = null;
    if (settings.mi !== 'none') {
      const pairCount = trianglePairs(N);
      const distinct = (N * (N - 1)) / 2;
      // MI of every pair (the matrix), or of a seeded sample of distinct pairs i < j.
      const list = sampledPairList(N, settings);
      const work = list ? list.length / 2 : pairCount;
      const est = miEstimator(settings.mi);
      // under ~0.2 s of pair work, starting workers would cost more than it saves
      const inProcess = !forceWorkers && work * S * est.nsPerPairSample < 2e8;
      const permutation = new Rng(mixSeed(settings.seed, 0x5eed)).permutation(S);
      const baselinePairs = chooseBaselinePairs(N, settings, list);
      // a precomputed matrix over shared memory is taken as it is (the merge of a cluster plan: no second copy)
      const adopt = !list && precomputed?.mi && precomputed.mi.buffer instanceof SharedArrayBuffer && precomputed.mi.length === N * N;
      if (!list) mi = adopt ? precomputed!.mi! : new Float64Array(new SharedArrayBuffer(8 * N * N));

      // Prepared neurons in blocks that fit the budget (prepared-blocks.ts), by the workers.
      const least = minimumBlockBytes(est, N, S, settings);
      if (least > availableMemory()) throw new RangeError(`${est.label} on ${S} examples needs at least ${formatBytes(least)} of memory for its prepared neurons, but only ${formatBytes(availableMemory())} is available (use --samples, or --mi gcmi)`);
      const budget = Math.max(least, miMemory ?? defaultMiMemory(set));
      const run: BlockRun = {
        estimator: est,
        ref: { name: est.name, module: miEstimatorModule(est.name) },
        options: settings,
        plan: est.plan(set, settings, extents),
        values: (shared = sharedValues(set)),
        set,
        ids: neuronStreamIds(set),
        pool,
        threads: settings.threads,
        inProcess,
        onProgress,
        signal,
        timings: { prepare: 0 },
        slots: {},
      };
      const listBlock = Math.max(1, Math.floor(budget / (2 * est.bytesPerNeuron(S, settings))));
      t = performance.now();
      if (list) {
        if (precomputed?.sample && precomputed.sample.length !== list.length / 2) throw new RangeError(`precomputed MI: ${precomputed.sample.length} sampled pairs, expected ${list.length / 2}`);
        sample = { pairs: list, values: precomputed?.sample ? Float64Array.from(precomputed.sample) : await pairList(run, listBlock, list, 'mi'), of: distinct };
      } else if (precomputed?.mi) {
        if (precomputed.mi.length !== N * N) throw new RangeError(`precomputed MI: ${precomputed.mi.length} values, expected ${N} x ${N}`);
        if (!adopt) mi!.set(precomputed.mi);
      } else await allPairs(run, blockSize(est, N, S, settings, budget), mi!);
      timings.prepare = run.timings.prepare;
      timings.mi = seconds(t) - timings.prepare;
      if (baselinePairs.length > 0) {
        t = performance.now();
        const values = await pairList({ ...run, timings: { prepare: 0 } }, listBlock, baselinePairs, 'baseline', permutation);
        baseline = { pairs: baselinePairs, values };
        timings.baseline = seconds(t);
      }
      if (settings.constantMI === 'zero' && constantNeurons > 0) zeroConstantPairs(mi, sample, baseline, constantMask);
      if (settings.significance > 0) {
        t = performance.now();
        const list = sample ? sample.pairs : allPairList(N);
        const observed = sample ? sample.values : Float64Array.from({ length: list.length / 2 }, (_, p) => mi![list[2 * p] * N + list[2 * p + 1]]);
        if (precomputed?.p) {
          if (precomputed.p.length !== list.length / 2) throw new RangeError(`precomputed p-values: ${precomputed.p.length}, expected ${list.length / 2}`);
          const o = { surrogates: settings.significance, seed: surrogateSeed(settings.seed), fdr: settings.fdr, samples: S, biasCorrect: settings.biasCorrect };
          significance = significanceOf(settings.mi, list, observed, Float64Array.from(precomputed.p), o);
        } else significance = await testPairs({ ...run, timings: { prepare: 0 } }, listBlock, list, observed, settings.significance, settings.fdr, surrogateSeed(settings.seed), constantMask, settings.constantMI === 'zero');
        timings.significance = seconds(t);
      }
    }
    t = performance.now();
    const intervals = await computeIntervals({
      set,
      settings,
      extents,
      entropy,
      mi,
      sample,
      constantMask,
      values: shared ?? set.values,
      ids: neuronStreamIds(set),
      pool,
      inProcess: !forceWorkers && settings.resamples * Math.min(settings.resamplePairs, trianglePairs(N)) * (S / 2) * (settings.mi === 'none' ? 0 : miEstimator(settings.mi).nsPerPairSample) < 2e8,
      onProgress,
      signal,
      tick,
    });
    timings.intervals = seconds(t);
    timings.total = seconds(t0);
    return { settings, samples: S, layers: set.layers, sourceIndex: set.sourceIndex, entropy, constantNeurons, constantMask, meanEntropyByBinning, mi, sample, baseline, warnings, intervals, significance, timings };
  } finally {
    await pool.close();
  }
}

/**
 * The pair work's run over `set` (the estimator, its plan from the set's extents, the shared
 * values, the pool), as computeMeasures builds it: for the shards of a cluster plan.
 */
export function pairRun(set: ActivationSet, settings: Settings, pool: WorkerPool, opts: { onProgress?: ProgressCallback; signal?: AbortSignal; extents: Float64Array }): BlockRun {
  const est = miEstimator(settings.mi);
  return {
    estimator: est,
    ref: { name: est.name, module: miEstimatorModule(est.name) },
    options: settings,
    plan: est.plan(set, settings, opts.extents),
    values: sharedValues(set),
    set,
    ids: neuronStreamIds(set),
    pool,
    threads: settings.threads,
    inProcess: false,
    onProgress: opts.onProgress,
    signal: opts.signal,
    timings: { prepare: 0 },
    slots: {},
  };
}

/** Each neuron's minimum and maximum, [lo0, hi0, lo1, hi1, ...] (non-finite values refused). */
export async function neuronExtents(set: ActivationSet, settings: Settings, signal?: AbortSignal): Promise<Float64Array> {
  return validate(set, settings, ticker(signal));
}

/** MI 0 for every pair (matrix, sampled or baseline) with a constant neuron: its true value. */
function zeroConstantPairs(mi: Float64Array | null, sample: PairSample | null, baseline: ChanceBaseline | null, constant: Uint8Array): void {
  const N = constant.length;
  for (let n = 0; n < N && mi; n++) {
    if (!constant[n]) continue;
    for (let m = 0; m < N; m++) {
      mi[n * N + m] = 0;
      mi[m * N + n] = 0;
    }
  }
  for (const list of [sample, baseline]) {
    if (!list) continue;
    for (let p = 0; p < list.values.length; p++) {
      if (constant[list.pairs[2 * p]] || constant[list.pairs[2 * p + 1]]) list.values[p] = 0;
    }
  }
}

/** The analysis's sample of pairs (`settings.pairs` a count below all distinct pairs), or null: all pairs. */
export function sampledPairList(N: number, settings: Pick<Settings, 'pairs' | 'seed'>): Int32Array | null {
  const distinct = (N * (N - 1)) / 2;
  return settings.pairs !== 'all' && settings.pairs < distinct ? samplePairs(N, settings.pairs, mixSeed(settings.seed, 0x9a125)) : null;
}

/**
 * `count` distinct pairs i < j of N neurons drawn uniformly without replacement (seeded), in
 * ascending (i, j) order: [i0, j0, i1, j1, ...].
 */
export function samplePairs(N: number, count: number, seed: number): Int32Array {
  const total = (N * (N - 1)) / 2;
  if (!(Number.isInteger(count) && count >= 0 && count <= total)) throw new RangeError(`samplePairs: ${count} of ${total} pairs`);
  const rng = new Rng(seed);
  const keys = new Set<number>();
  while (keys.size < count) {
    const i = rng.int(N);
    const j = rng.int(N);
    if (i !== j) keys.add(Math.min(i, j) * N + Math.max(i, j));
  }
  const sorted = Float64Array.from(keys).sort();
  const out = new Int32Array(2 * count);
  sorted.forEach((k, p) => {
    out[2 * p] = Math.floor(k / N);
    out[2 * p + 1] = k % N;
  });
  return out;
}

/**
 * Checks the sizes and that every value is finite; returns each neuron's minimum and maximum
 * (`[lo0, hi0, lo1, hi1, ...]`), which the equal-width binnings are built from.
 */
async function validate(set: ActivationSet, s: Settings, tick: () => Promise<void> | void): Promise<Float64Array> {
  const N = neuronCount(set);
  if (N === 0) throw new RangeError('no neurons to analyse');
  for (const e of [entropyEstimator(s.entropy), ...(s.mi === 'none' ? [] : [miEstimator(s.mi)])]) {
    const least = e.minSamples(s);
    if (set.samples < least) throw new RangeError(`${set.samples} examples: ${minSamplesText(e, s)}`);
  }
  if (set.samples < 1) throw new RangeError('no examples to analyse');
  const v = set.values;
  const S = set.samples;
  const extents = new Float64Array(2 * N);
  for (let n = 0; n < N; n++) {
    await tick();
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = n * S, end = i + S; i < end; i++) {
      const x = v[i];
      if (x - x !== 0) {
        const layer = set.layers.find((l) => n >= l.offset && n < l.offset + l.size);
        throw new RangeError(`non-finite activation ${x} (layer '${layer?.name}', neuron ${set.sourceIndex[n]}, example ${i - n * S})`);
      }
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    extents[2 * n] = lo;
    extents[2 * n + 1] = hi;
  }
  return extents;
}

/** The set's values over shared memory (as the loader and selections make them), else a shared copy. */
function sharedValues(set: ActivationSet): ActivationValues {
  if (set.values.buffer instanceof SharedArrayBuffer) return set.values;
  const copy = allocValues(set.values, set.values.length);
  copy.set(set.values);
  return copy;
}

/**
 * Default memory for the prepared neurons: 1.5 times the activation set (so that the set, the
 * prepared blocks, the MI matrix and the threads' own memory stay within 3 times the input:
 * 50,000 x 3,072 float32 peaks at 2.9 times), at least 512 MiB, at
 * most what the machine has available less 256 MiB.
 */
function defaultMiMemory(set: ActivationSet): number {
  const want = Math.max(512 * 2 ** 20, 1.5 * set.values.byteLength);
  return Math.max(64 * 2 ** 20, Math.min(want, availableMemory() - 256 * 2 ** 20));
}

/**
 * Off-diagonal pairs i < j for the chance baseline: all of them, or a seeded random sample of
 * `baselinePairs`. With sampled pairs (`sample`), the baseline is drawn from the sample itself,
 * at most as many pairs as it holds: it touches no neuron the analysis does not, and it is never
 * more work than the analysis (on 3,072 neurons, 2,048 random pairs would prepare up to 3,072
 * neurons for a 500-pair analysis that touches 1,000).
 */
export function chooseBaselinePairs(N: number, s: Pick<Settings, 'baselinePairs' | 'seed'>, sample: Int32Array | null = null): Int32Array {
  const rng = new Rng(mixSeed(s.seed, 0xba5e));
  if (sample) {
    const P = sample.length / 2;
    const want = s.baselinePairs === 'all' ? P : Math.min(s.baselinePairs, P);
    const picked = want === P ? Int32Array.from({ length: P }, (_, p) => p) : rng.sample(P, want);
    const out = new Int32Array(2 * want);
    picked.forEach((p, q) => {
      out[2 * q] = sample[2 * p];
      out[2 * q + 1] = sample[2 * p + 1];
    });
    return out;
  }
  const total = (N * (N - 1)) / 2;
  const want = s.baselinePairs === 'all' ? total : Math.min(s.baselinePairs, total);
  const out = new Int32Array(2 * want);
  if (want === total) {
    let p = 0;
    for (let i = 0; i < N; i++)
      for (let j = i + 1; j < N; j++) {
        out[p++] = i;
        out[p++] = j;
      }
    return out;
  }
  const seen = new Set<number>();
  let p = 0;
  while (p < 2 * want) {
    const i = rng.int(N);
    const j = rng.int(N);
    if (i === j) continue;
    const a = Math.min(i, j);
    const b = Math.max(i, j);
    const key = a * N + b;
    if (seen.has(key)) continue;
    seen.add(key);
    out[p++] = a;
    out[p++] = b;
  }
  return out;
}

async function entropiesUnder(set: ActivationSet, edges: BinEdges, millerMadow: boolean, tick: () => Promise<void> | void): Promise<Float64Array> {
  const N = neuronCount(set);
  const S = set.samples;
  const W = edges.bins + 1;
  const codes = allocateCodes(edges.bins, S);
  const scratch = new PluginEntropyScratch(S, edges.bins);
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    await tick();
    binCodes(set.values.subarray(n * S, (n + 1) * S), edges.edges.subarray(n * W, (n + 1) * W), edges.bins, edges.equalWidth, codes, 0);
    out[n] = scratch.entropy(codes, 0, millerMadow);
  }
  return out;
}

/** A stable id per neuron (layer name and original column) for per-neuron random streams. */
export function neuronStreamIds(set: ActivationSet): Uint32Array {
  const ids = new Uint32Array(neuronCount(set));
  for (const l of set.layers) {
    let h = 0x811c9dc5;
    for (let i = 0; i < l.name.length; i++) h = Math.imul(h ^ l.name.charCodeAt(i), 0x01000193) >>> 0;
    for (let n = l.offset; n < l.offset + l.size; n++) ids[n] = (h + Math.imul(set.sourceIndex[n], 0x9e3779b1)) >>> 0;
  }
  return ids;
}

/** Whether the `len` values from `from` are all equal (a constant, dead neuron). */
export function isConstant(v: ActivationValues, from: number, len: number): boolean {
  const x = v[from];
  for (let i = 1; i < len; i++) if (v[from + i] !== x) return false;
  return true;
}

function mean(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

function seconds(t: number): number {
  return (performance.now() - t) / 1000;
}
