/**
 * All-pairs KSG within a memory budget.
 *
 * A prepared KSG neuron takes about 20 bytes per example (sorted values, order, ranks, columns),
 * five times a float32 activation: all 3,072 neurons of 50,000 examples would take 3 GB. When the
 * whole store does not fit the budget, the neurons are cut into blocks of B: block I is
 * prepared, then for each block J >= I, J is prepared beside it and the pairs I x J are computed
 * (a triangle when I = J). At most two blocks are prepared at a time; a block is re-prepared
 * once per block before it (about N / (2B) times), a small cost next to the pairs. Every pair's
 * value depends only on its two neurons' prepared data, so the matrix is bit-identical to the
 * one-store computation, whatever B.
 *
 * The values KSG sees are made per neuron, in float64, from the activation set (of any
 * precision): z-scored and jittered as the settings say, then permuted for the chance baseline,
 * in that order (as one whole-set transform would do).
 */
import { type ActivationSet, neuronCount } from '../core/activations/activation-set.js';
import { createKsgStore, ksgStoreBytesPerNeuron, ksgStoreHead, type KsgStore } from '../core/mi/ksg/index.js';
import { jitterInPlace } from '../core/transform/jitter.js';
import { zscoreInPlace } from '../core/transform/zscore.js';
import type { KsgStorePayload } from '../engine/jobs.js';
import type { WorkerPool } from '../engine/pool.js';
import type { ProgressCallback } from '../engine/progress.js';
import { defaultTile } from '../engine/schedule.js';
import { ticker } from '../engine/yield.js';
import type { Settings } from './settings.js';

/** Where the KSG work runs and reports. */
export interface KsgRun {
  pool: WorkerPool;
  inProcess: boolean;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Seconds spent preparing neurons are added here. */
  timings: { prepare: number };
}

/**
 * Neurons per block for a budget of `budget` bytes: all N when one store of N neurons (and their
 * float64 values) fits, else as many as two stores and one block of values allow (at least 8).
 */
export function ksgBlockSize(N: number, S: number, k: number, budget: number): number {
  const store = ksgStoreBytesPerNeuron(S, k);
  if (N * (store + 8 * S) <= budget) return N;
  return Math.max(Math.min(N, 8), Math.floor(budget / (2 * store + 8 * S)));
}

/**
 * The least memory KSG can work in: one block of the smallest size (two prepared stores, unless
 * the whole set is smaller, and its float64 values). Above the available memory the analysis
 * cannot run at all, and is refused before it starts.
 */
export function ksgMinimumBytes(N: number, S: number, k: number): number {
  const b = Math.min(N, 8);
  return (N <= 8 ? 1 : 2) * b * ksgStoreBytesPerNeuron(S, k) + b * 8 * S;
}

/**
 * The float64 values KSG sees for `neurons` (set indices), written neuron after neuron into
 * `out`: the activations, z-scored and jittered per `s`, then permuted when `permutation` is
 * given (value s of the result is value permutation[s] of the transformed neuron).
 */
export function ksgValues(set: ActivationSet, neurons: ArrayLike<number>, s: Settings, ids: Uint32Array, out: Float64Array, permutation?: Int32Array): void {
  for (let k = 0; k < neurons.length; k++) ksgNeuronValues(set, neurons[k], s, ids, out.subarray(k * set.samples, (k + 1) * set.samples), permutation);
}

/** {@link ksgValues} of one neuron `n` into `dst` (S values). */
function ksgNeuronValues(set: ActivationSet, n: number, s: Settings, ids: Uint32Array, dst: Float64Array, permutation?: Int32Array): void {
  const S = set.samples;
  const tmp = permutation ? new Float64Array(S) : dst;
  const src = set.values.subarray(n * S, (n + 1) * S);
  for (let i = 0; i < S; i++) tmp[i] = src[i];
  if (s.scale === 'zscore') zscoreInPlace(tmp, S);
  if (s.jitter > 0) jitterInPlace(tmp, S, s.jitter, s.seed, Uint32Array.of(ids[n]));
  if (permutation) for (let i = 0; i < S; i++) dst[i] = tmp[permutation[i]];
}

/** A store allocated for `capacity` neurons, prepared again and again with other neurons. */
class Slot {
  readonly store: KsgStore;
  private payload: KsgStorePayload | null = null;
  constructor(
    capacity: number,
    S: number,
    k: number,
    private readonly values: Float64Array,
  ) {
    this.store = createKsgStore(capacity, S, k, { shared: true });
  }

  /** Prepares `neurons` (set indices) in this slot; the payload's neuron i is neurons[i]. */
  async fill(run: KsgRun, set: ActivationSet, neurons: ArrayLike<number>, s: Settings, ids: Uint32Array, permutation?: Int32Array, onProgress?: ProgressCallback): Promise<KsgStorePayload> {
    const t = performance.now();
    const S = set.samples;
    const values = this.values.subarray(0, neurons.length * S);
    const tick = ticker(run.signal);
    for (let k = 0; k < neurons.length; k++) {
      await tick();
      ksgNeuronValues(set, neurons[k], s, ids, values.subarray(k * S, (k + 1) * S), permutation);
    }
    const payload: KsgStorePayload = { kind: 'ksg', meta: ksgStoreHead(this.store.meta, neurons.length), buffers: this.store.buffers };
    await run.pool.run({ type: 'ksg-prepare', store: payload, values }, 'prepare', { onProgress, signal: run.signal, inProcess: run.inProcess });
    run.timings.prepare += (performance.now() - t) / 1000;
    this.payload = payload;
    return payload;
  }

  get current(): KsgStorePayload {
    if (!this.payload) throw new Error('slot not prepared');
    return this.payload;
  }
}

/**
 * The N x N KSG matrix (symmetric, diagonal included) of `set`, in blocks of `block` neurons.
 * Progress: phase `prepare` (neurons) for a single block, then `mi` (pairs, all blocks).
 */
export async function ksgAllPairs(run: KsgRun, set: ActivationSet, s: Settings, ids: Uint32Array, block: number, out: Float64Array): Promise<void> {
  const N = neuronCount(set);
  const S = set.samples;
  const B = Math.min(block, N);
  const total = (N * (N + 1)) / 2;
  const t0 = performance.now();
  let base = 0;
  const progress = (p: { done: number }): void => run.onProgress?.({ phase: 'mi', done: base + p.done, total, elapsed: (performance.now() - t0) / 1000 });
  const values = new Float64Array(new SharedArrayBuffer(8 * B * S));
  const a = new Slot(B, S, s.k, values);
  if (B === N) {
    const all = Int32Array.from({ length: N }, (_, i) => i);
    const store = await a.fill(run, set, all, s, ids, undefined, run.onProgress);
    await run.pool.run({ type: 'triangle', store, tile: defaultTile(N, s.threads), out }, 'mi', { onProgress: run.onProgress, signal: run.signal, inProcess: run.inProcess });
    return;
  }
  const b = new Slot(B, S, s.k, values);
  const blocks = Math.ceil(N / B);
  const range = (bi: number): Int32Array => Int32Array.from({ length: Math.min(N, (bi + 1) * B) - bi * B }, (_, i) => bi * B + i);
  const local = new Float64Array(new SharedArrayBuffer(8 * B * B));
  const pairs = new Int32Array(new SharedArrayBuffer(8 * B * B));
  const pairOut = new Float64Array(new SharedArrayBuffer(8 * B * B));
  for (let bi = 0; bi < blocks; bi++) {
    const I = range(bi);
    const sa = await a.fill(run, set, I, s, ids, undefined, run.onProgress);
    const m = I.length;
    await run.pool.run({ type: 'triangle', store: sa, tile: defaultTile(m, s.threads), out: local.subarray(0, m * m) }, 'mi', { onProgress: progress, signal: run.signal, inProcess: run.inProcess });
    for (let x = 0; x < m; x++) for (let y = 0; y < m; y++) out[I[x] * N + I[y]] = local[x * m + y];
    base += (m * (m + 1)) / 2;
    for (let bj = bi + 1; bj < blocks; bj++) {
      const J = range(bj);
      const sb = await b.fill(run, set, J, s, ids, undefined, run.onProgress);
      let p = 0;
      for (let x = 0; x < m; x++)
        for (let y = 0; y < J.length; y++) {
          pairs[p++] = x;
          pairs[p++] = y;
        }
      const P = p / 2;
      await run.pool.run({ type: 'pairs', a: sa, b: sb, pairs: pairs.subarray(0, 2 * P), out: pairOut.subarray(0, P) }, 'mi', { onProgress: progress, signal: run.signal, inProcess: run.inProcess });
      for (let q = 0; q < P; q++) {
        const i = I[pairs[2 * q]];
        const j = J[pairs[2 * q + 1]];
        out[i * N + j] = pairOut[q];
        out[j * N + i] = pairOut[q];
      }
      base += P;
    }
  }
}

/**
 * KSG of listed pairs (i, j), in batches whose distinct i and j neurons number at most `block`
 * each; with `permutation`, neuron j's examples are permuted (the chance baseline). Progress is
 * reported under `phase`, in pairs.
 */
export async function ksgPairList(run: KsgRun, set: ActivationSet, s: Settings, ids: Uint32Array, block: number, list: Int32Array, phase: string, permutation?: Int32Array): Promise<Float64Array> {
  const S = set.samples;
  const P = list.length / 2;
  const out = new Float64Array(P);
  if (P === 0) return out;
  const B = Math.max(1, Math.min(block, neuronCount(set)));
  const values = new Float64Array(new SharedArrayBuffer(8 * B * S));
  const a = new Slot(B, S, s.k, values);
  const b = new Slot(B, S, s.k, values);
  const t0 = performance.now();
  let done = 0;
  let start = 0;
  while (start < P) {
    const is = new Map<number, number>();
    const js = new Map<number, number>();
    let end = start;
    for (; end < P; end++) {
      const i = list[2 * end];
      const j = list[2 * end + 1];
      if ((!is.has(i) && is.size === B) || (!js.has(j) && js.size === B)) break;
      if (!is.has(i)) is.set(i, is.size);
      if (!js.has(j)) js.set(j, js.size);
    }
    const sa = await a.fill(run, set, Int32Array.from(is.keys()), s, ids);
    const sb = await b.fill(run, set, Int32Array.from(js.keys()), s, ids, permutation);
    const n = end - start;
    const pairs = new Int32Array(new SharedArrayBuffer(8 * n));
    for (let q = 0; q < n; q++) {
      pairs[2 * q] = is.get(list[2 * (start + q)])!;
      pairs[2 * q + 1] = js.get(list[2 * (start + q) + 1])!;
    }
    const res = new Float64Array(new SharedArrayBuffer(8 * n));
    const before = done;
    await run.pool.run({ type: 'pairs', a: sa, b: sb, pairs, out: res }, phase, {
      onProgress: (p) => run.onProgress?.({ phase, done: before + p.done, total: P, elapsed: (performance.now() - t0) / 1000 }),
      signal: run.signal,
      inProcess: run.inProcess,
    });
    out.set(res, start);
    done += n;
    start = end;
  }
  return out;
}
