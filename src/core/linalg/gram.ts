/**
 * The lower triangle of the Gram matrix G[i][j] = sum_s r_i[s] r_j[s] of N rows of S (neuron-major
 * `rows`), in blocks of 64 rows on the GCMI WebAssembly dot-product engine where it runs (SIMD),
 * else in TypeScript; both sum in dot2's order (core/mi/gcmi/correlation.ts), so the same bits.
 * Covariances and correlations of a reference set are this, scaled.
 */
import { correlationBlock, GcmiWasmEngine, gcmiWasmAvailable } from '../mi/gcmi/index.js';

/** G (row-major N x N, lower triangle and diagonal filled; the upper triangle is scratch). */
export function gramLower(rows: Float64Array, N: number, S: number): Float64Array {
  const g = new Float64Array(N * N);
  const engine = gcmiWasmAvailable() ? new GcmiWasmEngine() : null;
  const B = 64;
  for (let i0 = 0; i0 < N; i0 += B) {
    const i1 = Math.min(N, i0 + B);
    for (let j0 = 0; j0 < i1; j0 += B) {
      const j1 = Math.min(i1, j0 + B);
      if (engine) engine.block(rows, N, S, i0, i1, j0, j1, g);
      else correlationBlock(rows, N, S, i0, i1, j0, j1, g);
    }
  }
  return g;
}
