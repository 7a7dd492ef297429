/**
 * ||L^-1 x_s||^2 for many vectors x_s at once (squared Mahalanobis distances, Gaussian
 * log-density terms), as one matrix product: W = L^-1 is formed once (O(N^3 / 6)), then every
 * z_s = W x_s is a row of X W^T, computed in 64 x 64 blocks of dot products on the SIMD
 * WebAssembly dot kernel of GCMI where it runs (else in TypeScript, in the same dot2 order, so
 * the same bits). The same values as forward substitution (`solvedNorm2`) up to rounding (about
 * 1e-13 relative), at about 5x its speed for N in the hundreds.
 */
import { dot2, GcmiWasmEngine, gcmiWasmAvailable } from '../mi/gcmi/index.js';

/** W = L^-1 of a lower-triangular row-major N x N factor (its upper triangle 0). */
export function lowerInverse(L: Float64Array, N: number): Float64Array {
  const W = new Float64Array(N * N);
  // column j of W solves L w = e_j by forward substitution (w_i = 0 for i < j)
  for (let j = 0; j < N; j++) {
    W[j * N + j] = 1 / L[j * N + j];
    for (let i = j + 1; i < N; i++) {
      let t = 0;
      for (let k = j; k < i; k++) t -= L[i * N + k] * W[k * N + j];
      W[i * N + j] = t / L[i * N + i];
    }
  }
  return W;
}

/**
 * out[s] = ||W x_s||^2 for the S example-major rows x_s of `rows` (S x N), with W = L^-1 from
 * {@link lowerInverse}.
 */
export function whitenedNorms2(W: Float64Array, N: number, rows: Float64Array, S: number): Float64Array {
  if (W.length !== N * N) throw new RangeError(`whitenedNorms2: ${W.length} values for ${N} x ${N}`);
  if (rows.length !== S * N) throw new RangeError(`whitenedNorms2: ${rows.length} values for ${S} x ${N}`);
  const out = new Float64Array(S);
  const B = 64;
  const engine = gcmiWasmAvailable() ? new GcmiWasmEngine() : null;
  const dots = new Float64Array(B * B);
  for (let s0 = 0; s0 < S; s0 += B) {
    const ns = Math.min(B, S - s0);
    for (let i0 = 0; i0 < N; i0 += B) {
      const ni = Math.min(B, N - i0);
      if (engine) engine.cross(rows, s0, ns, W, i0, ni, N, dots);
      else for (let a = 0; a < ns; a++) for (let b = 0; b < ni; b++) dots[a * ni + b] = dot2(rows, (s0 + a) * N, W, (i0 + b) * N, N);
      for (let a = 0; a < ns; a++) {
        let q = 0;
        for (let b = 0; b < ni; b++) q += dots[a * ni + b] * dots[a * ni + b];
        out[s0 + a] += q;
      }
    }
  }
  return out;
}
