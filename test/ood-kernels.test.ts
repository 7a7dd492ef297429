import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../src/core/random/rng.js';
import { choleskyInPlace, solvedNorm2 } from '../src/core/linalg/cholesky.js';
import { lowerInverse, whitenedNorms2 } from '../src/core/linalg/whitened-norms.js';
import { topPairs } from '../src/core/ood/reference.js';

/** A random SPD matrix B B^T / n + I (row-major N x N), its Cholesky factor in place. */
function factor(N: number, seed: number): Float64Array {
  const r = new Rng(seed);
  const B = Float64Array.from({ length: N * N }, () => r.normal());
  const A = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j <= i; j++) {
    let t = 0;
    for (let k = 0; k < N; k++) t += B[i * N + k] * B[j * N + k];
    A[i * N + j] = t / N + (i === j ? 1 : 0);
  }
  choleskyInPlace(A, N);
  return A;
}

describe('whitened norms ||L^-1 x||^2 of many vectors', () => {
  it('lowerInverse: L W = I', () => {
    const N = 37;
    const L = factor(N, 1);
    const W = lowerInverse(L, N);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) {
        let t = 0;
        for (let k = 0; k < N; k++) t += L[i * N + k] * W[k * N + j];
        assert.ok(Math.abs(t - (i === j ? 1 : 0)) < 1e-12, `(${i}, ${j}): ${t}`);
      }
    for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) assert.equal(W[i * N + j], 0, 'lower triangular');
  });

  it('equal forward substitution to 1e-12, across 64-row blocks (N = 70, S = 130)', () => {
    const N = 70;
    const S = 130;
    const L = factor(N, 2);
    const r = new Rng(3);
    const rows = Float64Array.from({ length: S * N }, () => 3 * r.normal());
    const got = whitenedNorms2(lowerInverse(L, N), N, rows, S);
    const z = new Float64Array(N);
    for (let s = 0; s < S; s++) {
      const want = solvedNorm2(L, N, rows.subarray(s * N, (s + 1) * N), z);
      assert.ok(Math.abs(got[s] - want) <= 1e-12 * want, `row ${s}: ${got[s]} vs ${want}`);
    }
  });

  it('the identity factor gives squared lengths; bad sizes are refused', () => {
    const N = 3;
    const I = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
    assert.deepEqual([...whitenedNorms2(lowerInverse(I, N), N, Float64Array.of(1, 2, 2, 0, 3, 4), 2)], [9, 25]);
    assert.throws(() => whitenedNorms2(I, 2, new Float64Array(4), 2), /9 values for 2 x 2/);
    assert.throws(() => whitenedNorms2(I, 3, new Float64Array(5), 2), /5 values for 2 x 3/);
  });
});

describe('the co-activation pairs: the best pairs by binned MI', () => {
  /** Every pair's plug-in MI from its joint counts, sorted best first (ties: lower i, then j). */
  function brute(codes: Uint8Array, N: number, S: number, W: number): { i: number; j: number; mi: number }[] {
    const h = (cnt: number[]): number => cnt.reduce((a, c) => a + (c > 0 ? c * Math.log(c) : 0), 0);
    const marg = (n: number): number[] => {
      const c = new Array(W).fill(0);
      for (let s = 0; s < S; s++) c[codes[n * S + s]]++;
      return c;
    };
    const all = [];
    for (let i = 0; i < N; i++)
      for (let j = i + 1; j < N; j++) {
        const c = new Array(W * W).fill(0);
        for (let s = 0; s < S; s++) c[codes[i * S + s] * W + codes[j * S + s]]++;
        all.push({ i, j, mi: Math.log(S) + (h(c) - h(marg(i)) - h(marg(j))) / S });
      }
    return all.sort((a, b) => b.mi - a.mi || a.i - b.i || a.j - b.j);
  }

  it('equal a brute-force ranking (odd N, ties, every count), bit for bit', () => {
    const N = 9;
    const S = 50;
    const W = 4;
    const r = new Rng(11);
    const codes = new Uint8Array(N * S);
    for (let s = 0; s < S; s++) {
      const f = r.int(W);
      for (let n = 0; n < N; n++) codes[n * S + s] = n < 3 ? f : n === 3 ? codes[s] : r.int(W); // neurons 0-3 identical: tied pairs
    }
    const want = brute(codes, N, S, W);
    for (const count of [1, 5, 6, 7, 20, 36]) {
      const got = topPairs(codes, N, S, W, count);
      assert.deepEqual([...got.pairs], want.slice(0, count).flatMap((p) => [p.i, p.j]), `count ${count}`);
      assert.deepEqual([...got.mi], want.slice(0, count).map((p) => p.mi), `count ${count}`);
    }
    assert.deepEqual([...topPairs(codes, N, S, W, 0).pairs], []);
  });
});
