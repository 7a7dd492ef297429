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
 * scores `u` (N x S). Four rows against four columns at a time (sixteen running sums in
 * registers, eight loads per example), the remainder pair by pair.
 */
export function correlationBlock(u: Float64Array, N: number, S: number, i0: number, i1: number, j0: number, j1: number, out: Float64Array): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const a0 = i * S;
    const a1 = a0 + S;
    const a2 = a1 + S;
    const a3 = a2 + S;
    let j = j0;
    for (; j + 4 <= j1; j += 4) {
      const b0 = j * S;
      const b1 = b0 + S;
      const b2 = b1 + S;
      const b3 = b2 + S;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let s = 0; s < S; s++) {
        const x0 = u[a0 + s], x1 = u[a1 + s], x2 = u[a2 + s], x3 = u[a3 + s];
        const y0 = u[b0 + s], y1 = u[b1 + s], y2 = u[b2 + s], y3 = u[b3 + s];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const r0 = i * N + j, r1 = r0 + N, r2 = r1 + N, r3 = r2 + N;
      out[r0] = c00; out[r0 + 1] = c01; out[r0 + 2] = c02; out[r0 + 3] = c03;
      out[r1] = c10; out[r1 + 1] = c11; out[r1 + 2] = c12; out[r1 + 3] = c13;
      out[r2] = c20; out[r2 + 1] = c21; out[r2 + 2] = c22; out[r2 + 3] = c23;
      out[r3] = c30; out[r3 + 1] = c31; out[r3 + 2] = c32; out[r3 + 3] = c33;
    }
    for (; j < j1; j++) for (let k = 0; k < 4; k++) out[(i + k) * N + j] = dot(u, (i + k) * S, j * S, S);
  }
  for (; i < i1; i++) for (let j = j0; j < j1; j++) out[i * N + j] = dot(u, i * S, j * S, S);
}

function dot(u: Float64Array, a: number, b: number, S: number): number {
  let c = 0;
  for (let s = 0; s < S; s++) c += u[a + s] * u[b + s];
  return c;
}
