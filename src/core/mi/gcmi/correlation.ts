import { copulaNormalScores, copulaQuantiles } from './copula.js';

/**
 * All-pairs correlations of copula-normalised neurons, the work behind all-pairs GCMI: each
 * neuron's scores are centred and scaled to unit length once (`unitScores`), after which
 * rho_ij is a dot product, and a block of pairs is a small matrix product (`correlationBlock`).
 */

/**
 * Neuron-major copula scores of `N` neurons (`values`, neuron-major, S each), centred and scaled
 * so that each row has mean 0 and sum of squares 1: rho_ij = sum_s u_i[s] u_j[s].
 */
export function unitScores(values: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> }, N: number, S: number, out = new Float64Array(N * S)): Float64Array {
  const q = copulaQuantiles(S);
  for (let n = 0; n < N; n++) unitScoreRow(values.subarray(n * S, (n + 1) * S), out.subarray(n * S, (n + 1) * S), q);
  return out;
}

/** One neuron's unit scores (copula scores, centred, scaled to sum of squares 1) into `row`. */
export function unitScoreRow(values: ArrayLike<number>, row: Float64Array, quantiles: Float64Array): void {
  const S = row.length;
  copulaNormalScores(values, row, quantiles);
  let m = 0;
  for (let s = 0; s < S; s++) m += row[s];
  m /= S;
  let ss = 0;
  for (let s = 0; s < S; s++) {
    const d = row[s] - m;
    row[s] = d;
    ss += d * d;
  }
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let s = 0; s < S; s++) row[s] *= inv;
}

/**
 * rho_ij for i in [i0, i1), j in [j0, j1) into `out[i * N + j]` (row-major N x N), from unit
 * scores `u` (N x S), each by {@link dot2} (the TypeScript engine; wasm.ts is the same, faster).
 */
export function correlationBlock(u: Float64Array, N: number, S: number, i0: number, i1: number, j0: number, j1: number, out: Float64Array): void {
  for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[i * N + j] = dot2(u, i * S, u, j * S, S);
}

/**
 * sum_s a[oa + s] b[ob + s] over s < S, in a fixed order: the even s in one sum and the odd s in
 * another (each in increasing order), then even + odd. That is the order of two-lane SIMD
 * (asm/gcmi.ts), so both engines give the same bits.
 */
export function dot2(a: Float64Array, oa: number, b: Float64Array, ob: number, S: number): number {
  let e = 0;
  let o = 0;
  const S2 = S & ~1;
  for (let s = 0; s < S2; s += 2) {
    e += a[oa + s] * b[ob + s];
    o += a[oa + s + 1] * b[ob + s + 1];
  }
  if (S & 1) e += a[oa + S2] * b[ob + S2];
  return e + o;
}
