/**
 * Pairwise MI of any registered estimator (core/mi/registry.ts) over prepared neurons, within a
 * memory budget: all pairs (the N x N matrix), or a list of pairs (sampled pairs, the chance
 * baseline).
 *
 * Neurons are prepared by the worker threads straight from the shared activation set (one neuron
 * per task). When the whole store does not fit the budget (a prepared KSG neuron takes about 20
 * bytes per example, five times a float32 activation: 3,072 neurons of 50,000 examples would
 * take 3 GB), the neurons are cut into blocks of B: block I is prepared, then for each block
 * J >= I, J is prepared beside it and the pairs I x J are computed (a triangle when I = J). At
 * most two blocks are prepared at a time; a block is re-prepared once per block before it (about
 * N / (2B) times), a small cost next to the pairs. Every pair's value depends only on its two
 * neurons' prepared data, so the matrix is bit-identical to the one-store computation, whatever B.
 */
import { type ActivationSet, type ActivationValues, neuronCount } from '../core/activations/activation-set.js';
import type { EstimatorOptions, MiStore, PairwiseMiEstimator } from '../core/mi/estimator.js';
import type { EstimatorRef } from '../engine/jobs.js';
import type { WorkerPool } from '../engine/pool.js';
import type { ProgressCallback } from '../engine/progress.js';
import { defaultTile } from '../engine/schedule.js';

type Estimator = PairwiseMiEstimator<MiStore, unknown>;

/** Where and how the pair work runs and reports. */
export interface BlockRun {
  readonly estimator: Estimator;
  readonly ref: EstimatorRef;
  readonly options: EstimatorOptions;
  readonly plan: unknown;
  /** The set's values over shared memory. */
  readonly values: ActivationValues;
  readonly set: ActivationSet;
  /** Per-neuron random stream ids. */
  readonly ids: Uint32Array;
  readonly pool: WorkerPool;
  readonly threads: number;
  /** Run the pair jobs on the main thread (small work). */
  readonly inProcess: boolean;
  readonly onProgress?: ProgressCallback;
  readonly signal?: AbortSignal;
  /** Seconds spent preparing neurons are added here. */
  readonly timings: { prepare: number };
  /**
   * The run's two stores, kept for its next phase (the MI, then the chance baseline, then the
   * significance tests fill the same memory): a store let go is only freed by a later garbage
   * collection, so a fresh pair per phase would hold two pairs at the peak.
   */
  readonly slots?: { a?: Slot; b?: Slot };
}

/**
 * Neurons per block for a budget of `budget` bytes: all N when one store of N neurons fits, else
 * as many as two stores allow (at least 8).
 */
export function blockSize(est: Estimator, N: number, S: number, o: EstimatorOptions, budget: number): number {
  const per = est.bytesPerNeuron(S, o);
  if (N * per <= budget) return N;
  return Math.max(Math.min(N, 8), Math.floor(budget / (2 * per)));
}

/**
 * The least memory the pairs can be computed in: one block of the smallest size (two prepared
 * stores, unless the whole set is smaller). Above the available memory the analysis cannot run
 * at all, and is refused before it starts.
 */
export function minimumBlockBytes(est: Estimator, N: number, S: number, o: EstimatorOptions): number {
  const b = Math.min(N, 8);
  return (N <= 8 ? 1 : 2) * b * est.bytesPerNeuron(S, o);
}

/** A store allocated for `capacity` neurons, prepared again and again with other neurons. */
export class Slot {
  private readonly store: MiStore;
  /** Whether the slot holds every neuron of the set, in order, unpermuted (after a one-block MI phase). */
  whole = false;
  constructor(
    run: BlockRun,
    readonly capacity: number,
  ) {
    this.store = run.estimator.createStore(capacity, run.set.samples, run.options, run.plan, true);
  }

  /** The store, as the last fill left it. */
  get prepared(): MiStore {
    return this.store;
  }

  /** Prepares `neurons` (set indices) in this slot: store neuron i is neurons[i]. */
  async fill(run: BlockRun, neurons: Int32Array, permutation: Int32Array | null, onProgress?: ProgressCallback): Promise<MiStore> {
    this.whole = permutation === null && neurons.length === neuronCount(run.set) && neurons.every((n, i) => n === i);
    const t = performance.now();
    const S = run.set.samples;
    const shared = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, neurons.length))).subarray(0, neurons.length);
    shared.set(neurons);
    const small = neurons.length * S < 2e5;
    await run.pool.run(
      { type: 'prepare', estimator: run.ref, options: run.options, plan: run.plan, store: this.store, values: run.values, samples: S, neurons: shared, ids: run.ids, permutation },
      'prepare',
      { onProgress, signal: run.signal, inProcess: small },
    );
    run.timings.prepare += (performance.now() - t) / 1000;
    return this.store;
  }
}

/**
 * A store for `capacity` neurons of the run's estimator, to fill again and again: the run's store
 * `which` when it holds as many (kept in `run.slots` for the next phase), else a new one.
 */
export function createSlot(run: BlockRun, capacity: number, which: 'a' | 'b'): Slot {
  const kept = run.slots?.[which];
  if (kept && kept.capacity >= capacity) return kept;
  const slot = new Slot(run, capacity);
  if (run.slots) run.slots[which] = slot;
  return slot;
}

/**
 * The store that holds every neuron of the set in order, unpermuted, when the MI phase prepared
 * them at once (one block): the chance baseline and the significance tests take their unpermuted
 * side from it instead of preparing those neurons again. Null otherwise.
 */
export function wholeStore(run: BlockRun): MiStore | null {
  const a = run.slots?.a;
  return a && a.whole ? a.prepared : null;
}

/** Prepares `neurons` (set indices) in `slot` (store neuron i is neurons[i]), optionally permuted. */
export function fillSlot(run: BlockRun, slot: Slot, neurons: Int32Array, permutation: Int32Array | null): Promise<MiStore> {
  return slot.fill(run, neurons, permutation);
}

/**
 * The N x N matrix (symmetric, diagonal included) of the set, in blocks of `block` neurons.
 * Progress: phase `prepare` (neurons) for a single block, then `mi` (pairs, all blocks).
 */
export async function allPairs(run: BlockRun, block: number, out: Float64Array): Promise<void> {
  const N = neuronCount(run.set);
  const B = Math.min(block, N);
  const total = (N * (N + 1)) / 2;
  const t0 = performance.now();
  let base = 0;
  const progress = (p: { done: number }): void => run.onProgress?.({ phase: 'mi', done: base + p.done, total, elapsed: (performance.now() - t0) / 1000 });
  const opts = { signal: run.signal, inProcess: run.inProcess };
  const a = createSlot(run, B, 'a');
  if (B === N) {
    const store = await a.fill(run, Int32Array.from({ length: N }, (_, i) => i), null, run.onProgress);
    await run.pool.run({ type: 'triangle', estimator: run.ref, store, tile: defaultTile(N, run.threads), out }, 'mi', { ...opts, onProgress: run.onProgress });
    return;
  }
  const b = createSlot(run, B, 'b');
  const blocks = Math.ceil(N / B);
  const range = (bi: number): Int32Array => Int32Array.from({ length: Math.min(N, (bi + 1) * B) - bi * B }, (_, i) => bi * B + i);
  const local = new Float64Array(new SharedArrayBuffer(8 * B * B));
  const pairs = new Int32Array(new SharedArrayBuffer(8 * B * B));
  const pairOut = new Float64Array(new SharedArrayBuffer(8 * B * B));
  for (let bi = 0; bi < blocks; bi++) {
    const I = range(bi);
    const m = I.length;
    // a store sized for B holds the block's m neurons in its first slots: its triangle over m
    const sa = await a.fill(run, I, null, run.onProgress);
    const head = { ...sa, neurons: m };
    await run.pool.run({ type: 'triangle', estimator: run.ref, store: head, tile: defaultTile(m, run.threads), out: local.subarray(0, m * m) }, 'mi', { ...opts, onProgress: progress });
    for (let x = 0; x < m; x++) for (let y = 0; y < m; y++) out[I[x] * N + I[y]] = local[x * m + y];
    base += (m * (m + 1)) / 2;
    for (let bj = bi + 1; bj < blocks; bj++) {
      const J = range(bj);
      const sb = await b.fill(run, J, null, run.onProgress);
      let p = 0;
      for (let x = 0; x < m; x++)
        for (let y = 0; y < J.length; y++) {
          pairs[p++] = x;
          pairs[p++] = y;
        }
      const P = p / 2;
      await run.pool.run({ type: 'pairs', estimator: run.ref, a: sa, b: sb, pairs: pairs.subarray(0, 2 * P), out: pairOut.subarray(0, P) }, 'mi', { ...opts, onProgress: progress });
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

/** A batch of listed pairs: pairs [start, end) and their neurons' slots in the two stores. */
export interface PairBatch {
  start: number;
  end: number;
  /** Set index -> slot, for the i neurons and the j neurons (insertion order = slot order). */
  is: Map<number, number>;
  js: Map<number, number>;
}

/** The listed pairs cut into consecutive batches whose distinct i and j neurons number at most `B` each. */
export function* pairBatches(list: Int32Array, B: number): Generator<PairBatch> {
  const P = list.length / 2;
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
    yield { start, end, is, js };
    start = end;
  }
}

/**
 * MI of listed pairs (i, j), in batches whose distinct i and j neurons number at most `block`
 * each; with `permutation`, neuron j's examples are permuted (the chance baseline). Progress is
 * reported under `phase`, in pairs.
 */
export async function pairList(run: BlockRun, block: number, list: Int32Array, phase: string, permutation: Int32Array | null = null): Promise<Float64Array> {
  const P = list.length / 2;
  const out = new Float64Array(P);
  if (P === 0) return out;
  const B = Math.max(1, Math.min(block, neuronCount(run.set)));
  // the i side from the MI phase's store of all neurons, when there is one (no second preparation)
  const whole = wholeStore(run);
  const a = whole ? null : createSlot(run, B, 'a');
  const b = createSlot(run, B, 'b');
  const t0 = performance.now();
  let done = 0;
  for (const { start, end, is, js } of pairBatches(list, B)) {
    const sa = whole ?? (await a!.fill(run, Int32Array.from(is.keys()), null));
    const sb = await b.fill(run, Int32Array.from(js.keys()), permutation);
    const n = end - start;
    const pairs = new Int32Array(new SharedArrayBuffer(8 * n));
    for (let q = 0; q < n; q++) {
      const i = list[2 * (start + q)];
      pairs[2 * q] = whole ? i : is.get(i)!;
      pairs[2 * q + 1] = js.get(list[2 * (start + q) + 1])!;
    }
    const res = new Float64Array(new SharedArrayBuffer(8 * n));
    const before = done;
    await run.pool.run({ type: 'pairs', estimator: run.ref, a: sa, b: sb, pairs, out: res }, phase, {
      onProgress: (p) => run.onProgress?.({ phase, done: before + p.done, total: P, elapsed: (performance.now() - t0) / 1000 }),
      signal: run.signal,
      inProcess: run.inProcess,
    });
    out.set(res, start);
    done += n;
  }
  return out;
}
