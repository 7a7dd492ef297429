import type { ActivationValues } from '../core/activations/activation-set.js';
import type { CrossKernel, EstimatorOptions, MiStore, PairKernel } from '../core/mi/estimator.js';
import { hasMiEstimator, miEstimator } from '../core/mi/registry.js';
import { triangleSchedule, triangleUnit } from './schedule.js';

/**
 * Jobs that the engine runs, in worker threads or in process, as plain structured-clone-able
 * data over SharedArrayBuffers. A job is a count of tasks; a thread takes the next task index
 * from the shared `control` counter until none is left, so any number of threads computes the
 * same values (each value depends only on its own inputs). Every job names its MI estimator
 * (core/mi/registry.ts); the estimator does the numbers, the job only the scheduling.
 */

/** Which registered estimator, and the module that registers it when it is not built in. */
export interface EstimatorRef {
  readonly name: string;
  readonly module?: string;
}

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

/**
 * Permutation surrogates of listed pairs (the significance tests, analysis/significance.ts): for
 * each surrogate permutation and each neuron j of store b, j's prepared data reordered by the
 * permutation (the estimator's `permutePrepared`: no preparation done again), and the MI of every
 * listed pair (i, j) against it; `exceed[p]` counts the surrogates whose MI is >= the observed.
 * One task per (surrogate, j) group.
 */
export interface SurrogateJob {
  readonly type: 'surrogates';
  readonly estimator: EstimatorRef;
  readonly options: EstimatorOptions;
  readonly plan: unknown;
  readonly a: MiStore;
  readonly b: MiStore;
  /** Slot pairs [i0, j0, ...] (i of a, j of b), grouped by j. */
  readonly pairs: Int32Array;
  /** Start of each j group in `pairs` (pair indices), and the end: G + 1 values. */
  readonly groups: Int32Array;
  /** Surrogates x samples permutations, and their inverses (SharedArrayBuffers). */
  readonly perms: Int32Array;
  readonly inverses: Int32Array;
  readonly observed: Float64Array;
  /** Per pair: surrogates with MI >= observed (Int32, SharedArrayBuffer; added to atomically). */
  readonly exceed: Int32Array;
  /**
   * j groups per task: 1 pair by pair; more where the estimator has a cross kernel, which then
   * runs the dense parts of a task's pairs as blocks (the permuted j's held against runs of i's).
   */
  readonly groupsPerTask: number;
}

export type Job = PrepareJob | TriangleJob | PairListJob | ResampleJob | SurrogateJob;

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

/** Imports the module of an estimator registered at run time, where this thread lacks it. */
export async function loadEstimator(ref: EstimatorRef): Promise<void> {
  if (!hasMiEstimator(ref.name) && ref.module) await import(ref.module);
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

function runSurrogates(job: SurrogateJob, control: Int32Array, tasks: number): number {
  const est = miEstimator(job.estimator.name);
  if (!est.permutePrepared) throw new Error(`${est.label} has no surrogates (permutePrepared)`);
  const S = job.b.samples;
  const G = job.groups.length - 1;
  const per = job.groupsPerTask;
  const blocks = Math.ceil(G / per);
  const useCross = per > 1 && est.crossKernel !== undefined;
  const scratch = est.createStore(useCross ? per : 1, S, job.options, job.plan, false);
  const mi = est.pairKernel(job.a, scratch);
  const dense = useCross ? new DenseCells(job, est.crossKernel!(job.a, scratch)) : null;
  // j groups permuted at a time: as many as the cross kernel holds
  const width = dense ? Math.min(per, dense.width) : 1;
  let ran = 0;
  for (;;) {
    if (Atomics.load(control, CANCELLED)) break;
    const t = Atomics.add(control, NEXT_TASK, 1);
    if (t >= tasks) break;
    const s = Math.floor(t / blocks);
    const perm = job.perms.subarray(s * S, (s + 1) * S);
    const inverse = job.inverses.subarray(s * S, (s + 1) * S);
    const gEnd = Math.min(G, (t - s * blocks + 1) * per);
    for (let g0 = (t - s * blocks) * per; g0 < gEnd; g0 += width) {
      const g1 = Math.min(gEnd, g0 + width);
      // each j of the groups, permuted, in a scratch slot of its own
      for (let g = g0; g < g1; g++) est.permutePrepared(scratch, g - g0, job.b, job.pairs[2 * job.groups[g] + 1], perm, inverse);
      if (dense) {
        if (!dense.run(g0, g1, mi, control)) return ran;
      } else {
        for (let g = g0; g < g1; g++)
          for (let p = job.groups[g]; p < job.groups[g + 1]; p++) if (mi(job.pairs[2 * p], g - g0) >= job.observed[p]) Atomics.add(job.exceed, p, 1);
      }
      Atomics.add(control, DONE_WORK, job.groups[g1] - job.groups[g0]);
    }
    ran++;
  }
  return ran;
}

/**
 * The surrogate pairs of a run of j groups (their permuted neurons in scratch slots 0..g1-g0-1)
 * in blocks: the pairs sorted by runs of `width` i's (a counting sort), each run whose pairs fill
 * a quarter of its block or more done as one cross block, the others pair by pair (both give the
 * pair kernel's bits).
 */
class DenseCells {
  private order = new Int32Array(0);
  private slots = new Int32Array(0);
  private readonly starts: Int32Array;
  private readonly out: Float64Array;
  readonly width: number;

  constructor(
    private readonly job: SurrogateJob,
    private readonly kernel: CrossKernel,
  ) {
    this.width = kernel.width;
    this.starts = new Int32Array(Math.ceil(job.a.neurons / kernel.width) + 2);
    this.out = new Float64Array(kernel.width * kernel.width);
  }

  /** Counts the groups' surrogates >= observed; false when cancelled. */
  run(g0: number, g1: number, mi: PairKernel, control: Int32Array): boolean {
    const { job, kernel, starts, out } = this;
    const w = kernel.width;
    const p0 = job.groups[g0];
    const p1 = job.groups[g1];
    if (this.order.length < p1 - p0) {
      this.order = new Int32Array(p1 - p0);
      this.slots = new Int32Array(p1 - p0);
    }
    const { order, slots } = this;
    starts.fill(0);
    for (let p = p0; p < p1; p++) starts[Math.floor(job.pairs[2 * p] / w) + 2]++;
    for (let c = 2; c < starts.length; c++) starts[c] += starts[c - 1];
    for (let g = g0; g < g1; g++)
      for (let p = job.groups[g]; p < job.groups[g + 1]; p++) {
        const k = starts[Math.floor(job.pairs[2 * p] / w) + 1]++;
        order[k] = p;
        slots[k] = g - g0;
      }
    // starts[c] .. starts[c + 1]: the pairs of run c, with their j's scratch slots
    const nj = g1 - g0;
    let held = false;
    for (let c = 0; c + 1 < starts.length; c++) {
      const a = starts[c];
      const b = starts[c + 1];
      if (a === b) continue;
      if (Atomics.load(control, CANCELLED)) return false;
      const i0 = c * w;
      const i1 = Math.min(job.a.neurons, i0 + w);
      if (4 * (b - a) >= (i1 - i0) * nj) {
        if (!held) {
          kernel.hold(0, nj);
          held = true;
        }
        kernel.block(i0, i1, out);
        for (let k = a; k < b; k++) {
          const p = order[k];
          if (out[(job.pairs[2 * p] - i0) * nj + slots[k]] >= job.observed[p]) Atomics.add(job.exceed, p, 1);
        }
      } else {
        for (let k = a; k < b; k++) {
          const p = order[k];
          if (mi(job.pairs[2 * p], slots[k]) >= job.observed[p]) Atomics.add(job.exceed, p, 1);
        }
      }
    }
    return true;
  }
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
