import type { BinnedStore } from '../core/mi/binned/binned-store.js';
import { BinnedMiKernel } from '../core/mi/binned/binned-mi-kernel.js';
import { KsgPairKernel, ksgStoreFromBuffers, prepareKsgNeuron, type KsgStore, type KsgStoreMeta } from '../core/mi/ksg/index.js';
import { correlationBlock, miFromCorrelation, unitScoreRow } from '../core/mi/gcmi/index.js';
import { triangleSchedule, triangleUnit } from './schedule.js';


/**
 * Jobs that the engine runs, in worker threads or in process, as plain structured-clone-able
 * data over SharedArrayBuffers. A job is a count of tasks; a thread takes the next task index
 * from the shared `control` counter until none is left, so any number of threads computes the
 * same values (each value depends only on its own inputs).
 */

/** A KSG store as posted to a worker. */
export interface KsgStorePayload {
  readonly kind: 'ksg';
  readonly meta: KsgStoreMeta;
  readonly buffers: ArrayBufferLike[];
}

/** A binned store as posted to a worker (its arrays are SharedArrayBuffer views). */
export interface BinnedStorePayload extends BinnedStore {
  readonly kind: 'binned';
  readonly millerMadow: boolean;
}

/** Gaussian-copula scores as posted to a worker: unit-length centred rows (core/mi/gcmi). */
export interface GcmiStorePayload {
  readonly kind: 'gcmi';
  readonly neurons: number;
  readonly samples: number;
  /** Neuron-major N x S unit scores (SharedArrayBuffer). */
  readonly scores: Float64Array;
  /** Added to every off-diagonal pair's MI (gcmi's bias correction, or 0). */
  readonly correction: number;
}

export type StorePayload = KsgStorePayload | BinnedStorePayload | GcmiStorePayload;

/** MI of all pairs i <= j of one store, written symmetrically into an N x N matrix. */
export interface TriangleJob {
  readonly type: 'triangle';
  readonly store: StorePayload;
  readonly tile: number;
  /** Float64 N x N, row-major. */
  readonly out: Float64Array;
}

/** MI of listed pairs (i of store a, j of store b), one value per pair. */
export interface PairListJob {
  readonly type: 'pairs';
  readonly a: StorePayload;
  readonly b: StorePayload;
  /** Int32 [i0, j0, i1, j1, ...]. */
  readonly pairs: Int32Array;
  readonly out: Float64Array;
}

/** Prepares every neuron of a KSG store from neuron-major values. */
export interface KsgPrepareJob {
  readonly type: 'ksg-prepare';
  readonly store: KsgStorePayload;
  /** Float64 neurons x samples, neuron-major. */
  readonly values: Float64Array;
}

/** Copula unit scores (core/mi/gcmi) of every neuron of a set. */
export interface GcmiPrepareJob {
  readonly type: 'gcmi-prepare';
  /** The set's neuron-major values (SharedArrayBuffer). */
  readonly values: Float32Array | Float64Array;
  readonly samples: number;
  /** copulaQuantiles(samples). */
  readonly quantiles: Float64Array;
  /** Neuron-major unit scores, written here. */
  readonly out: Float64Array;
}

export type Job = TriangleJob | PairListJob | KsgPrepareJob | GcmiPrepareJob;

/** Shared control words (Int32Array over a SharedArrayBuffer). */
export const NEXT_TASK = 0;
export const DONE_WORK = 1;
export const CANCELLED = 2;
export const CONTROL_WORDS = 4;

const LIST_CHUNK = 64;

/** Number of tasks and units of work (pairs or neurons) of a job. */
export function jobSize(job: Job): { tasks: number; work: number } {
  switch (job.type) {
    case 'triangle': {
      const n = storeNeurons(job.store);
      return { tasks: triangleSchedule(n, job.tile).units, work: (n * (n + 1)) / 2 };
    }
    case 'pairs': {
      const p = job.pairs.length / 2;
      return { tasks: Math.ceil(p / LIST_CHUNK), work: p };
    }
    case 'ksg-prepare':
      return { tasks: job.store.meta.neurons, work: job.store.meta.neurons };
    case 'gcmi-prepare': {
      const n = job.values.length / job.samples;
      return { tasks: n, work: n };
    }
  }
}

function storeNeurons(p: StorePayload): number {
  return p.kind === 'ksg' ? p.meta.neurons : p.neurons;
}

type PairFn = (i: number, j: number) => number;

function pairFunction(a: StorePayload, b: StorePayload): PairFn {
  if (a.kind === 'ksg' && b.kind === 'ksg') {
    const sa = ksgStoreFromBuffers(a.meta, a.buffers);
    const sb = a === b ? sa : ksgStoreFromBuffers(b.meta, b.buffers);
    const kernel = new KsgPairKernel(a.meta.samples, a.meta.k);
    return (i, j) => kernel.mi(sa, i, sb, j);
  }
  if (a.kind === 'gcmi' && b.kind === 'gcmi') {
    const S = a.samples;
    return (i, j) => (a === b && i === j ? miFromCorrelation(1) : miFromCorrelation(dotRows(a.scores, i * S, b.scores, j * S, S)) + a.correction);
  }
  if (a.kind === 'binned' && b.kind === 'binned') {
    const kernel = new BinnedMiKernel(a.samples, a.bins, a.millerMadow);
    return (i, j) => kernel.mi(a, i, b, j);
  }
  throw new Error('pair job: stores of different kinds');
}

/**
 * Runs tasks of `job` taken from `control` until none is left or the job is cancelled.
 * Returns the number of tasks this thread ran.
 */
export function runJob(job: Job, control: Int32Array): number {
  const { tasks } = jobSize(job);
  let ran = 0;
  if (job.type === 'ksg-prepare') {
    const store: KsgStore = ksgStoreFromBuffers(job.store.meta, job.store.buffers);
    const S = job.store.meta.samples;
    for (;;) {
      if (Atomics.load(control, CANCELLED)) break;
      const n = Atomics.add(control, NEXT_TASK, 1);
      if (n >= tasks) break;
      prepareKsgNeuron(store, n, job.values.subarray(n * S, (n + 1) * S));
      Atomics.add(control, DONE_WORK, 1);
      ran++;
    }
    return ran;
  }
  if (job.type === 'gcmi-prepare') {
    const S = job.samples;
    for (;;) {
      if (Atomics.load(control, CANCELLED)) break;
      const n = Atomics.add(control, NEXT_TASK, 1);
      if (n >= tasks) break;
      unitScoreRow(job.values.subarray(n * S, (n + 1) * S), job.out.subarray(n * S, (n + 1) * S), job.quantiles);
      Atomics.add(control, DONE_WORK, 1);
      ran++;
    }
    return ran;
  }
  if (job.type === 'triangle') {
    const n = storeNeurons(job.store);
    const out = job.out;
    // GCMI: the tile's correlations as one small matrix product, then MI from each (on and
    // mirrored below the diagonal; the diagonal is the largest MI a float64 correlation gives).
    const store = job.store;
    if (store.kind === 'gcmi') {
      return forEachTile(job, n, control, tasks, (i0, i1, j0, j1) => {
        correlationBlock(store.scores, n, store.samples, i0, i1, j0, j1, out);
        let done = 0;
        for (let i = i0; i < i1; i++) {
          for (let j = Math.max(i, j0); j < j1; j++) {
            const v = i === j ? miFromCorrelation(1) : miFromCorrelation(out[i * n + j]) + store.correction;
            out[i * n + j] = v;
            out[j * n + i] = v;
            done++;
          }
        }
        return done;
      });
    }
    const mi = pairFunction(store, store);
    return forEachTile(job, n, control, tasks, (i0, i1, j0, j1) => {
      let done = 0;
      for (let i = i0; i < i1; i++) {
        if (Atomics.load(control, CANCELLED)) return -1;
        for (let j = Math.max(i, j0); j < j1; j++) {
          const v = mi(i, j);
          out[i * n + j] = v;
          out[j * n + i] = v;
          done++;
        }
      }
      return done;
    });
  }
  const mi = pairFunction(job.a, job.b);
  const P = job.pairs.length / 2;
  for (;;) {
    if (Atomics.load(control, CANCELLED)) break;
    const t = Atomics.add(control, NEXT_TASK, 1);
    if (t >= tasks) break;
    const p1 = Math.min(P, (t + 1) * LIST_CHUNK);
    for (let p = t * LIST_CHUNK; p < p1; p++) job.out[p] = mi(job.pairs[2 * p], job.pairs[2 * p + 1]);
    Atomics.add(control, DONE_WORK, p1 - t * LIST_CHUNK);
    ran++;
  }
  return ran;
}

function dotRows(a: Float64Array, oa: number, b: Float64Array, ob: number, S: number): number {
  let c = 0;
  for (let s = 0; s < S; s++) c += a[oa + s] * b[ob + s];
  return c;
}

/**
 * Runs `tile(i0, i1, j0, j1)` on the triangle's tiles taken from the shared counter until none is
 * left or the job is cancelled (a tile returns -1 when it saw the cancellation, else the pairs it
 * did). Returns the number of tiles this thread ran.
 */
function forEachTile(job: TriangleJob, n: number, control: Int32Array, tasks: number, tile: (i0: number, i1: number, j0: number, j1: number) => number): number {
  const schedule = triangleSchedule(n, job.tile);
  const ab = new Int32Array(2);
  let ran = 0;
  for (;;) {
    if (Atomics.load(control, CANCELLED)) break;
    const u = Atomics.add(control, NEXT_TASK, 1);
    if (u >= tasks) break;
    triangleUnit(schedule, u, ab);
    const i0 = ab[0] * job.tile;
    const j0 = ab[1] * job.tile;
    const done = tile(i0, Math.min(n, i0 + job.tile), j0, Math.min(n, j0 + job.tile));
    if (done < 0) break;
    Atomics.add(control, DONE_WORK, done);
    ran++;
  }
  return ran;
}
