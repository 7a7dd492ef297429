import type { ActivationValues } from '../core/activations/activation-set.js';
import type { EstimatorOptions, MiStore, PairKernel } from '../core/mi/estimator.js';
import { miEstimator } from '../core/mi/registry.js';
import { CANCELLED, DONE_WORK, NEXT_TASK } from './control.js';
import type { EstimatorRef } from './estimator-ref.js';
import { triangleSchedule, triangleUnit } from './schedule.js';
import { runSurrogates, type SurrogateJob } from './surrogate-job.js';

export type { SurrogateJob } from './surrogate-job.js';
export { loadEstimator, type EstimatorRef } from './estimator-ref.js';

/**
 * Jobs that the engine runs, in worker threads or in process, as plain structured-clone-able
 * data over SharedArrayBuffers. A job is a count of tasks; a thread takes the next task index
 * from the shared `control` counter until none is left, so any number of threads computes the
 * same values (each value depends only on its own inputs). Every job names its MI estimator
 * (core/mi/registry.ts); the estimator does the numbers, the job only the scheduling.
 */

/** Prepares store slots 0..neurons.length-1 from set neurons `neurons` (one per task). */
export interface PrepareJob {
  readonly type: 'prepare';
  readonly estimator: EstimatorRef;
  readonly options: EstimatorOptions;
  readonly plan: unknown;
  readonly store: MiStore;
  /** The set's neuron-major values (SharedArrayBuffer), S per neuron. */
  readonly values: ActivationValues;
  readonly samples: number;
  /** Set index of each slot's neuron. */
  readonly neurons: Int32Array;
  /** Per-neuron random stream ids, by set index. */
  readonly ids: Uint32Array;
  /** The chance baseline's example order, or null. */
  readonly permutation: Int32Array | null;
}

/** MI of all pairs i <= j of one store, written symmetrically into an N x N matrix. */
export interface TriangleJob {
  readonly type: 'triangle';
  readonly estimator: EstimatorRef;
  readonly store: MiStore;
  readonly tile: number;
  /** Float64 N x N, row-major. */
  readonly out: Float64Array;
}

/** MI of listed pairs (i of store a, j of store b), one value per pair. */
export interface PairListJob {
  readonly type: 'pairs';
  readonly estimator: EstimatorRef;
  readonly a: MiStore;
  readonly b: MiStore;
  /** Int32 [i0, j0, i1, j1, ...]. */
  readonly pairs: Int32Array;
  readonly out: Float64Array;
}

/**
 * The MI of listed pairs recomputed on resampled examples (the intervals, analysis/intervals.ts):
 * one task per replicate. A thread prepares every listed neuron on the replicate's rows in a
 * store of its own (`size` examples each), then runs the pairs.
 */
export interface ResampleJob {
  readonly type: 'resample';
  readonly estimator: EstimatorRef;
  readonly options: EstimatorOptions;
  /** The estimator's plan for `size` examples of the set (its `resamplePlan`). */
  readonly plan: unknown;
  /** The set's neuron-major values (SharedArrayBuffer), `samples` per neuron. */
  readonly values: ActivationValues;
  readonly samples: number;
  /** Set index of each slot's neuron. */
  readonly neurons: Int32Array;
  /** Per-neuron random stream ids, by set index. */
  readonly ids: Uint32Array;
  /** Replicates x `size` example indices (SharedArrayBuffer). */
  readonly rows: Int32Array;
  readonly size: number;
  /** Slot pairs [i0, j0, i1, j1, ...]. */
  readonly pairs: Int32Array;
  /** Replicates x pairs (SharedArrayBuffer): out[r * P + p]. */
  readonly out: Float64Array;
}

export type Job = PrepareJob | TriangleJob | PairListJob | ResampleJob | SurrogateJob;

export { CANCELLED, CONTROL_WORDS, DONE_WORK, NEXT_TASK } from './control.js';

const LIST_CHUNK = 64;

/** Number of tasks and units of work (pairs or neurons) of a job. */
export function jobSize(job: Job): { tasks: number; work: number } {
  switch (job.type) {
    case 'triangle': {
      const n = job.store.neurons;
      return { tasks: triangleSchedule(n, job.tile).units, work: (n * (n + 1)) / 2 };
    }
    case 'pairs': {
      const p = job.pairs.length / 2;
      return { tasks: Math.ceil(p / LIST_CHUNK), work: p };
    }
    case 'prepare':
      return { tasks: job.neurons.length, work: job.neurons.length };
    case 'resample': {
      const R = job.rows.length / job.size;
      return { tasks: R, work: R * (job.pairs.length / 2) };
    }
    case 'surrogates': {
      const n = job.perms.length / job.b.samples;
      return { tasks: n * Math.ceil((job.groups.length - 1) / job.groupsPerTask), work: n * (job.pairs.length / 2) };
    }
  }
}

/**
 * Runs tasks of `job` taken from `control` until none is left or the job is cancelled.
 * Returns the number of tasks this thread ran.
 */
export function runJob(job: Job, control: Int32Array): number {
  const { tasks } = jobSize(job);
  const est = miEstimator(job.estimator.name);
  if (job.type === 'prepare') {
    const S = job.samples;
    let ran = 0;
    for (;;) {
      if (Atomics.load(control, CANCELLED)) break;
      const t = Atomics.add(control, NEXT_TASK, 1);
      if (t >= tasks) break;
      const n = job.neurons[t];
      est.prepareNeuron(job.store, t, { neuron: n, values: job.values.subarray(n * S, (n + 1) * S), id: job.ids[n], permutation: job.permutation }, job.options, job.plan);
      Atomics.add(control, DONE_WORK, 1);
      ran++;
    }
    return ran;
  }
  if (job.type === 'triangle') {
    const store = job.store;
    const n = store.neurons;
    const out = job.out;
    if (est.tileKernel) {
      const tile = est.tileKernel(store);
      return forEachTile(job, n, control, tasks, (i0, i1, j0, j1) => {
        tile(i0, i1, j0, j1, out);
        let done = 0;
        for (let i = i0; i < i1; i++) done += Math.max(0, j1 - Math.max(i, j0));
        return done;
      });
    }
    const mi: PairKernel = est.pairKernel(store, store);
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
  if (job.type === 'resample') return runResample(job, control, tasks);
  if (job.type === 'surrogates') return runSurrogates(job, control, tasks);
  const mi: PairKernel = est.pairKernel(job.a, job.b);
  const P = job.pairs.length / 2;
  let ran = 0;
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

function runResample(job: ResampleJob, control: Int32Array, tasks: number): number {
  const est = miEstimator(job.estimator.name);
  const { size: m, samples: S } = job;
  const store = est.createStore(job.neurons.length, m, job.options, job.plan, false);
  const gathered = job.values instanceof Float64Array ? new Float64Array(m) : new Float32Array(m);
  const P = job.pairs.length / 2;
  let ran = 0;
  for (;;) {
    if (Atomics.load(control, CANCELLED)) break;
    const r = Atomics.add(control, NEXT_TASK, 1);
    if (r >= tasks) break;
    const rows = job.rows.subarray(r * m, (r + 1) * m);
    for (let q = 0; q < job.neurons.length; q++) {
      const n = job.neurons[q];
      const base = n * S;
      for (let s = 0; s < m; s++) gathered[s] = job.values[base + rows[s]];
      est.prepareNeuron(store, q, { neuron: n, values: gathered, id: job.ids[n], permutation: null }, job.options, job.plan);
    }
    const mi = est.pairKernel(store, store);
    for (let p = 0; p < P; p++) job.out[r * P + p] = mi(job.pairs[2 * p], job.pairs[2 * p + 1]);
    Atomics.add(control, DONE_WORK, P);
    ran++;
  }
  return ran;
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
