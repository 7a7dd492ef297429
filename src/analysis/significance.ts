/**
 * Per-pair significance: every analysed pair (i, j) against N permutation surrogates, neuron j's
 * examples permuted by one of N seeded permutations (the same N for every pair), as JIDT's
 * `computeSignificance`, IDTxl's surrogates and NPEET's `shuffle_test` do:
 *   p = (1 + #{surrogates with MI >= observed}) / (N + 1)
 * (Phipson & Smyth 2010: never 0, exact under the null). The Benjamini-Hochberg procedure over
 * the tested pairs (core/stats/fdr.ts) controls the false discovery rate at `fdr`: a pair is
 * significant when its adjusted p-value q <= fdr.
 *
 * A surrogate reorders the prepared neuron (the estimator's `permutePrepared`: its sorted values,
 * ranks, copula scores or codes are the neuron's own, reordered) rather than preparing it again.
 * Where the estimator has a cross kernel (GCMI), each surrogate's permuted neurons are held 64 at
 * a time against runs of 64 of the other neurons, a block of pairs per small matrix product: all
 * pairs' surrogates cost about what their MI costs, per surrogate (engine/jobs.ts).
 * For GCMI the copula correlation's t test gives an analytic p-value too (core/stats/student-t.ts).
 * Pairs with a constant neuron under `constantMI: 'zero'` have MI 0 by definition: p = 1.
 */
import { neuronCount } from '../core/activations/activation-set.js';
import { Rng } from '../core/random/rng.js';
import { benjaminiHochberg } from '../core/stats/fdr.js';
import { correlationPValue } from '../core/stats/student-t.js';
import { gcmiBiasCorrection } from '../core/mi/gcmi/index.js';
import { mixSeed } from '../core/transform/jitter.js';
import type { BlockRun } from './prepared-blocks.js';
import { createSlot, fillSlot, pairBatches, wholeStore } from './prepared-blocks.js';

export interface PairSignificance {
  /** Surrogates per pair, and the seed of their permutations. */
  readonly surrogates: number;
  readonly seed: number;
  readonly fdr: number;
  /** The pairs tested (i < j), [i0, j0, ...], in the order of `p`. */
  readonly pairs: Int32Array;
  /** Permutation p-values, and their Benjamini-Hochberg adjustment. */
  readonly p: Float64Array;
  readonly q: Float64Array;
  /** GCMI: the t test of the copula correlation (null for other estimators). */
  readonly analyticP: Float64Array | null;
}

/**
 * Tests the listed pairs (values `observed`, nats) against `surrogates` permutations, in batches
 * whose distinct i and j neurons number at most `block` each.
 */
export async function testPairs(run: BlockRun, block: number, list: Int32Array, observed: Float64Array, surrogates: number, fdr: number, seed: number, constant: Uint8Array, zeroConstant: boolean): Promise<PairSignificance> {
  const est = run.estimator;
  if (!est.permutePrepared) throw new RangeError(`--significance: ${est.label} has no permutation surrogates`);
  const S = run.set.samples;
  const P = list.length / 2;
  const perms = new Int32Array(new SharedArrayBuffer(4 * surrogates * S));
  const inverses = new Int32Array(new SharedArrayBuffer(4 * surrogates * S));
  const rng = new Rng(seed);
  for (let s = 0; s < surrogates; s++) {
    const perm = rng.permutation(S);
    perms.set(perm, s * S);
    for (let k = 0; k < S; k++) inverses[s * S + perm[k]] = k;
  }
  const exceed = new Int32Array(P);
  const B = Math.max(1, Math.min(block, neuronCount(run.set)));
  // both sides from the MI phase's store of all neurons, when there is one (nothing prepared again)
  const whole = wholeStore(run);
  const a = whole ? null : createSlot(run, B, 'a');
  const b = whole ? null : createSlot(run, B, 'b');
  const t0 = performance.now();
  let done = 0;
  for (const batch of whole ? [{ start: 0, end: P, is: identity(list, 0), js: identity(list, 1) }] : pairBatches(list, B)) {
    const { start, end, is, js } = batch;
    const sa = whole ?? (await fillSlot(run, a!, Int32Array.from(is.keys()), null));
    const sb = whole ?? (await fillSlot(run, b!, Int32Array.from(js.keys()), null));
    // the batch's pairs grouped by j
    const idx = Array.from({ length: end - start }, (_, k) => start + k).sort((x, y) => list[2 * x + 1] - list[2 * y + 1] || x - y);
    const n = idx.length;
    const pairs = new Int32Array(new SharedArrayBuffer(8 * n));
    const obs = new Float64Array(new SharedArrayBuffer(8 * n));
    const groupStarts: number[] = [];
    for (let k = 0; k < n; k++) {
      const p = idx[k];
      pairs[2 * k] = is.get(list[2 * p])!;
      pairs[2 * k + 1] = js.get(list[2 * p + 1])!;
      obs[k] = observed[p];
      if (k === 0 || list[2 * p + 1] !== list[2 * idx[k - 1] + 1]) groupStarts.push(k);
    }
    groupStarts.push(n);
    const groups = new Int32Array(new SharedArrayBuffer(4 * groupStarts.length));
    groups.set(groupStarts);
    const count = new Int32Array(new SharedArrayBuffer(4 * n));
    const before = done;
    await run.pool.run({ type: 'surrogates', estimator: run.ref, options: run.options, plan: run.plan, a: sa, b: sb, pairs, groups, perms, inverses, observed: obs, exceed: count, groupsPerTask: est.crossKernel ? 64 : 1 }, 'significance', {
      onProgress: (pr) => run.onProgress?.({ phase: 'significance', done: before + pr.done, total: P * surrogates, elapsed: (performance.now() - t0) / 1000, unit: 'surrogate pairs' }),
      signal: run.signal,
      inProcess: run.inProcess,
    });
    for (let k = 0; k < n; k++) exceed[idx[k]] = count[k];
    done += n * surrogates;
  }
  const p = new Float64Array(P);
  for (let k = 0; k < P; k++) {
    const dead = zeroConstant && (constant[list[2 * k]] || constant[list[2 * k + 1]]);
    p[k] = dead ? 1 : (1 + exceed[k]) / (surrogates + 1);
  }
  return significanceOf(est.name, list, observed, p, { surrogates, seed, fdr, samples: S, biasCorrect: run.options.biasCorrect });
}

/**
 * The significance record of pairs `list` from their permutation p-values (computed here, or by
 * the shards of a cluster plan): the Benjamini-Hochberg adjustment over all of them, and for GCMI
 * the analytic p-values.
 */
export function significanceOf(estimator: string, list: Int32Array, observed: Float64Array, p: Float64Array, o: { surrogates: number; seed: number; fdr: number; samples: number; biasCorrect: boolean }): PairSignificance {
  const analyticP = estimator === 'gcmi' ? gcmiPValues(observed, o.samples, o.biasCorrect ? gcmiBiasCorrection(o.samples) : 0) : null;
  return { surrogates: o.surrogates, seed: o.seed, fdr: o.fdr, pairs: list, p, q: benjaminiHochberg(p), analyticP };
}

/** The t test of each pair's copula correlation, from its GCMI value I = -1/2 ln(1 - rho^2) (+ correction). */
export function gcmiPValues(mi: Float64Array, S: number, correction: number): Float64Array {
  return mi.map((v) => {
    const r2 = 1 - Math.exp(-2 * Math.max(0, v - correction));
    return S >= 3 ? correlationPValue(Math.sqrt(Math.min(1, r2)), S) : NaN;
  });
}

/** Each neuron on side `side` of the listed pairs mapped to itself (a store of all neurons in order). */
function identity(list: Int32Array, side: 0 | 1): Map<number, number> {
  const m = new Map<number, number>();
  for (let k = side; k < list.length; k += 2) m.set(list[k], list[k]);
  return m;
}

/** All distinct pairs i < j of N neurons, row by row. */
export function allPairList(N: number): Int32Array {
  const out = new Int32Array(N * (N - 1));
  let k = 0;
  for (let i = 0; i < N; i++)
    for (let j = i + 1; j < N; j++) {
      out[k++] = i;
      out[k++] = j;
    }
  return out;
}

/** The seed of the surrogates' permutations, from the analysis seed. */
export function surrogateSeed(seed: number): number {
  return mixSeed(seed, 0x5197);
}
