/**
 * Cholesky factorisation of a symmetric positive-definite matrix, A = L L^T, and the squared
 * norm of L^-1 x by forward substitution (x^T A^-1 x): what Mahalanobis distances and Gaussian
 * log-densities need.
 */

/**
 * Factors the N x N row-major matrix `a` in place: its lower triangle becomes L, its upper
 * triangle 0. Reads only the lower triangle. Throws RangeError naming the first column whose
 * pivot is not positive (the matrix is not positive definite there).
 */
export function choleskyInPlace(a: Float64Array, N: number): void {
  if (a.length !== N * N) throw new RangeError(`cholesky: ${a.length} values for ${N} x ${N}`);
  for (let j = 0; j < N; j++) {
    let d = a[j * N + j];
    for (let k = 0; k < j; k++) d -= a[j * N + k] * a[j * N + k];
    if (!(d > 0)) throw new RangeError(`cholesky: not positive definite at column ${j}`);
    const l = Math.sqrt(d);
    a[j * N + j] = l;
    for (let i = j + 1; i < N; i++) {
      let t = a[i * N + j];
      for (let k = 0; k < j; k++) t -= a[i * N + k] * a[j * N + k];
      a[i * N + j] = t / l;
    }
  }
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) a[i * N + j] = 0;
}

/** ||L^-1 x||^2 for the factor L of choleskyInPlace (x^T A^-1 x); `z` is scratch of N. */
export function solvedNorm2(L: Float64Array, N: number, x: ArrayLike<number>, z: Float64Array): number {
  let d2 = 0;
  for (let i = 0; i < N; i++) {
    let t = x[i];
    for (let k = 0; k < i; k++) t -= L[i * N + k] * z[k];
    z[i] = t / L[i * N + i];
    d2 += z[i] * z[i];
  }
  return d2;
}

/** ln det A = 2 sum ln L_ii. */
export function logDeterminant(L: Float64Array, N: number): number {
  let s = 0;
  for (let i = 0; i < N; i++) s += Math.log(L[i * N + i]);
  return 2 * s;
}
