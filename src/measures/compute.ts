import { type ActivationSet, type LayerInfo, neuronCount } from '../core/activations/activation-set.js';
import { allocateCodes, binCodes, type BinCodeArray } from '../core/binning/bin-codes.js';
import { binningStrategies, type BinEdges } from '../core/binning/strategy/index.js';
import { klEntropy } from '../core/entropy/kozachenko-leonenko.js';
import { PluginEntropyScratch } from '../core/entropy/plugin.js';
import { createBinnedStore } from '../core/mi/binned/binned-store.js';
import { createKsgStore } from '../core/mi/ksg/index.js';
import { Rng } from '../core/random/rng.js';
import { digammaTable } from '../core/special/digamma.js';
import { jitterInPlace, mixSeed } from '../core/transform/jitter.js';
import { zscoreInPlace } from '../core/transform/zscore.js';
import type { BinnedStorePayload, KsgStorePayload, StorePayload } from '../engine/jobs.js';
import { defaultThreads, WorkerPool } from '../engine/pool.js';
import type { ProgressCallback } from '../engine/progress.js';
import { defaultTile, trianglePairs } from '../engine/schedule.js';
import { resolveSettings, type Settings } from './settings.js';
import { binCollapseWarnings, type AnalysisWarning } from './warnings.js';

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
  /** N x N row-major MI matrix (symmetric, diagonal included), or null for `mi: 'none'`. */
  readonly mi: Float64Array | null;
  readonly baseline: ChanceBaseline | null;
  /** Numbers that would mislead (see warnings.ts). */
  readonly warnings: AnalysisWarning[];
  /** Seconds spent per phase (`entropyByBinning`: the other binning scopes' mean entropies). */
  readonly timings: { entropy: number; entropyByBinning: number; prepare: number; mi: number; baseline: number; total: number };
}

export interface ComputeOptions extends Partial<Settings> {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Use worker threads even for small jobs (tests of thread-count invariance). */
  forceWorkers?: boolean;
}

/**
 * Computes per-neuron entropies and (unless `mi: 'none'`) the all-pairs MI matrix of an
 * activation set, plus the chance baseline. Never modifies `set`.
 */
export async function computeMeasures(set: ActivationSet, options: ComputeOptions = {}): Promise<Measures> {
  const { onProgress, signal, forceWorkers, ...rest } = options;
  const settings = resolveSettings(rest, defaultThreads());
  const N = neuronCount(set);
  const S = set.samples;
  validate(set, settings);
  const t0 = performance.now();
  const timings = { entropy: 0, entropyByBinning: 0, prepare: 0, mi: 0, baseline: 0, total: 0 };
  const pool = new WorkerPool(settings.threads);
  try {
    // entropies
    let t = performance.now();
    const edges = binningStrategies[settings.binning](set, settings.bins);
    const codes = allocateCodes(settings.bins, N * S);
    for (let n = 0; n < N; n++) binCodes(set.values.subarray(n * S, (n + 1) * S), edges.edges.subarray(n * (settings.bins + 1), (n + 1) * (settings.bins + 1)), settings.bins, edges.equalWidth, codes, n * S);
    const scratch = new PluginEntropyScratch(S, settings.bins);
    let entropy: Float64Array = new Float64Array(N);
    let constantNeurons = 0;
    const constantMask = new Uint8Array(N);
    for (let n = 0; n < N; n++) {
      entropy[n] = scratch.entropy(codes, n * S, settings.millerMadow);
      if (isConstant(set.values, n * S, S)) {
        constantMask[n] = 1;
        constantNeurons++;
      }
    }
    const warnings = binCollapseWarnings(set, edges, codes, constantMask, settings);
    const mainBinned = entropy;
    if (settings.entropy === 'kl') entropy = klEntropies(set, settings);
    timings.entropy = seconds(t);
    onProgress?.({ phase: 'entropy', done: N, total: N, elapsed: timings.entropy });
    t = performance.now();
    const meanEntropyByBinning = {} as Record<ComparedBinning, number>;
    for (const scope of comparedBinnings) {
      meanEntropyByBinning[scope] = mean(scope === settings.binning ? mainBinned : entropiesUnder(set, binningStrategies[scope](set, settings.bins), settings.millerMadow));
    }
    timings.entropyByBinning = seconds(t);

    let mi: Float64Array | null = null;
    let baseline: ChanceBaseline | null = null;
    if (settings.mi !== 'none') {
      const pairCount = trianglePairs(N);
      const small = settings.mi === 'ksg' ? pairCount * S < 2e6 : pairCount * S < 5e7;
      const inProcess = !forceWorkers && small;
      const permutation = new Rng(mixSeed(settings.seed, 0x5eed)).permutation(S);
      const baselinePairs = chooseBaselinePairs(N, settings);

      // per-neuron preparation
      t = performance.now();
      let store: StorePayload;
      let permuted: StorePayload | null = null;
      if (settings.mi === 'ksg') {
        const values = sharedCopy(set.values);
        if (settings.scale === 'zscore') zscoreInPlace(values, S);
        if (settings.jitter > 0) jitterInPlace(values, S, settings.jitter, settings.seed, neuronStreamIds(set));
        store = await prepareKsg(pool, values, N, S, settings.k, inProcess, onProgress, signal);
        if (baselinePairs.length > 0) {
          const pv = new Float64Array(new SharedArrayBuffer(values.byteLength));
          for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) pv[n * S + s] = values[n * S + permutation[s]];
          permuted = await prepareKsg(pool, pv, N, S, settings.k, inProcess, undefined, signal);
        }
      } else {
        store = binnedPayload(codes, N, S, settings);
        if (baselinePairs.length > 0) {
          const pc = allocateCodes(settings.bins, N * S, true);
          for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) pc[n * S + s] = store.codes[n * S + permutation[s]];
          permuted = { ...store, codes: pc };
        }
      }
      timings.prepare = seconds(t);

      // all pairs
      t = performance.now();
      mi = new Float64Array(new SharedArrayBuffer(8 * N * N));
      await pool.run({ type: 'triangle', store, tile: defaultTile(N, settings.threads), out: mi }, 'mi', { onProgress, signal, inProcess });
      timings.mi = seconds(t);

      // chance baseline
      if (permuted) {
        t = performance.now();
        const out = new Float64Array(new SharedArrayBuffer(8 * (baselinePairs.length / 2)));
        const pairs = new Int32Array(new SharedArrayBuffer(baselinePairs.byteLength));
        pairs.set(baselinePairs);
        await pool.run({ type: 'pairs', a: store, b: permuted, pairs, out }, 'baseline', { onProgress, signal, inProcess });
        baseline = { pairs: baselinePairs, values: Float64Array.from(out) };
        timings.baseline = seconds(t);
      }
      mi = Float64Array.from(mi);
      if (settings.constantMI === 'zero' && constantNeurons > 0) zeroConstantPairs(mi, baseline, constantMask);
    }
    timings.total = seconds(t0);
    return { settings, samples: S, layers: set.layers, sourceIndex: set.sourceIndex, entropy, constantNeurons, constantMask, meanEntropyByBinning, mi, baseline, warnings, timings };
  } finally {
    await pool.close();
  }
}

/** MI 0 for every pair (and baseline pair) with a constant neuron: its true value. */
function zeroConstantPairs(mi: Float64Array, baseline: ChanceBaseline | null, constant: Uint8Array): void {
  const N = constant.length;
  for (let n = 0; n < N; n++) {
    if (!constant[n]) continue;
    for (let m = 0; m < N; m++) {
      mi[n * N + m] = 0;
      mi[m * N + n] = 0;
    }
  }
  if (baseline) {
    for (let p = 0; p < baseline.values.length; p++) {
      if (constant[baseline.pairs[2 * p]] || constant[baseline.pairs[2 * p + 1]]) baseline.values[p] = 0;
    }
  }
}

function validate(set: ActivationSet, s: Settings): void {
  const N = neuronCount(set);
  if (N === 0) throw new RangeError('no neurons to analyse');
  const needK = s.mi === 'ksg' || s.entropy === 'kl';
  if (needK && set.samples < s.k + 1) throw new RangeError(`${set.samples} examples: the k-NN estimators need at least k + 1 = ${s.k + 1}`);
  if (set.samples < 1) throw new RangeError('no examples to analyse');
  const v = set.values;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      const n = Math.floor(i / set.samples);
      const layer = set.layers.find((l) => n >= l.offset && n < l.offset + l.size);
      throw new RangeError(`non-finite activation ${v[i]} (layer '${layer?.name}', neuron ${set.sourceIndex[n]}, example ${i % set.samples})`);
    }
  }
}

async function prepareKsg(
  pool: WorkerPool,
  values: Float64Array,
  N: number,
  S: number,
  k: number,
  inProcess: boolean,
  onProgress: ProgressCallback | undefined,
  signal: AbortSignal | undefined,
): Promise<KsgStorePayload> {
  const store = createKsgStore(N, S, k, { shared: true });
  const payload: KsgStorePayload = { kind: 'ksg', meta: store.meta, buffers: store.buffers };
  await pool.run({ type: 'ksg-prepare', store: payload, values }, 'prepare', { onProgress, signal, inProcess });
  return payload;
}

function binnedPayload(codes: BinCodeArray, N: number, S: number, s: Settings): BinnedStorePayload {
  return { ...createBinnedStore(codes, N, S, s.bins, true), kind: 'binned', millerMadow: s.millerMadow };
}

/** Off-diagonal pairs i < j for the chance baseline: all of them, or a seeded random sample. */
function chooseBaselinePairs(N: number, s: Settings): Int32Array {
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
  const rng = new Rng(mixSeed(s.seed, 0xba5e));
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

function entropiesUnder(set: ActivationSet, edges: BinEdges, millerMadow: boolean): Float64Array {
  const N = neuronCount(set);
  const S = set.samples;
  const W = edges.bins + 1;
  const codes = allocateCodes(edges.bins, S);
  const scratch = new PluginEntropyScratch(S, edges.bins);
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    binCodes(set.values.subarray(n * S, (n + 1) * S), edges.edges.subarray(n * W, (n + 1) * W), edges.bins, edges.equalWidth, codes, 0);
    out[n] = scratch.entropy(codes, 0, millerMadow);
  }
  return out;
}

function klEntropies(set: ActivationSet, s: Settings): Float64Array {
  const S = set.samples;
  const N = neuronCount(set);
  const values = Float64Array.from(set.values);
  if (s.jitter > 0) jitterInPlace(values, S, s.jitter, s.seed, neuronStreamIds(set));
  const psi = digammaTable(S);
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) out[n] = klEntropy(values.subarray(n * S, (n + 1) * S), s.k, psi);
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

function isConstant(v: Float64Array, from: number, len: number): boolean {
  const x = v[from];
  for (let i = 1; i < len; i++) if (v[from + i] !== x) return false;
  return true;
}

function sharedCopy(v: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(v.byteLength));
  out.set(v);
  return out;
}

function mean(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

function seconds(t: number): number {
  return (performance.now() - t) / 1000;
}
