/**
 * The significance tests' surrogate job (analysis/significance.ts): listed pairs (i, j), each j
 * reordered by each of the surrogate permutations, counted against the observed MI. Pair by pair
 * with the estimator's pair kernel, or, where it has a cross kernel (GCMI), in blocks: the
 * permuted j's of a task held against runs of i's, one small matrix product per block.
 */
import type { CrossKernel, EstimatorOptions, MiStore, PairKernel } from '../core/mi/estimator.js';
import { miEstimator } from '../core/mi/registry.js';
import { CANCELLED, DONE_WORK, NEXT_TASK } from './control.js';
import type { EstimatorRef } from './estimator-ref.js';

/**
 * Permutation surrogates of listed pairs (the significance tests, analysis/significance.ts): for
 * each surrogate permutation and each neuron j of store b, j's prepared data reordered by the
 * permutation (the estimator's `permutePrepared`: no preparation done again), and the MI of every
 * listed pair (i, j) against it; `exceed[p]` counts the surrogates whose MI is >= the observed.
 * One task per surrogate and `groupsPerTask` j groups.
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


export function runSurrogates(job: SurrogateJob, control: Int32Array, tasks: number): number {
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
  const width = dense ? Math.min(per, dense.kernel.width) : 1;
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

  constructor(
    private readonly job: SurrogateJob,
    readonly kernel: CrossKernel,
  ) {
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
