import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocateCodes } from '../src/core/binning/bin-codes.js';
import { BinnedMiKernel, DELTA_TABLE_LIMIT } from '../src/core/mi/binned/binned-mi-kernel.js';
import { createBinnedStore } from '../src/core/mi/binned/binned-store.js';
import { Rng } from '../src/core/random/rng.js';
import { assertClose } from './helpers/assert-close.js';

/** Plug-in MI (and occupied-cell counts) from an explicit contingency table: the oracle. */
function contingencyMI(x: ArrayLike<number>, y: ArrayLike<number>, B: number) {
  const S = x.length;
  const joint = new Float64Array(B * B);
  const px = new Float64Array(B);
  const py = new Float64Array(B);
  for (let s = 0; s < S; s++) {
    joint[x[s] * B + y[s]]++;
    px[x[s]]++;
    py[y[s]]++;
  }
  let mi = 0;
  let mxy = 0;
  for (let a = 0; a < B; a++)
    for (let b = 0; b < B; b++) {
      const c = joint[a * B + b];
      if (c > 0) {
        mxy++;
        mi += (c / S) * Math.log((c * S) / (px[a] * py[b]));
      }
    }
  const mx = px.filter((c) => c > 0).length;
  const my = py.filter((c) => c > 0).length;
  return { mi, mx, my, mxy };
}

function randomCodes(N: number, S: number, B: number, seed: number, dependent = true) {
  const r = new Rng(seed);
  const codes = allocateCodes(B, N * S);
  for (let s = 0; s < S; s++) {
    const z = r.normal();
    for (let n = 0; n < N; n++) {
      const v = (dependent ? z : 0) + r.normal();
      codes[n * S + s] = Math.max(0, Math.min(B - 1, Math.floor((v + 4) * (B / 8))));
    }
  }
  return codes;
}

describe('binned MI kernel', () => {
  it('matches an explicit contingency table, with and without Miller-Madow', () => {
    const N = 4;
    const S = 3001;
    const B = 12;
    const codes = randomCodes(N, S, B, 3);
    const store = createBinnedStore(codes, N, S, B);
    const plain = new BinnedMiKernel(S, B);
    const mm = new BinnedMiKernel(S, B, true);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) {
        const o = contingencyMI(codes.subarray(i * S, (i + 1) * S), codes.subarray(j * S, (j + 1) * S), B);
        assertClose(plain.mi(store, i, store, j), o.mi, 1e-12, `plain ${i},${j}`);
        assertClose(mm.mi(store, i, store, j), o.mi + (o.mx + o.my - o.mxy - 1) / (2 * S), 1e-12, `mm ${i},${j}`);
      }
  });
  it('takes the reset path for S >= 65536 with the same results', () => {
    const S = 70000;
    const B = 20;
    const codes = randomCodes(2, S, B, 4);
    const store = createBinnedStore(codes, 2, S, B);
    const o = contingencyMI(codes.subarray(0, S), codes.subarray(S), B);
    const k = new BinnedMiKernel(S, B);
    assertClose(k.mi(store, 0, store, 1), o.mi, 1e-12, 'large S');
    assertClose(k.mi(store, 0, store, 1), o.mi, 1e-12, 'large S, second call');
  });
  it('gives the same value after its generation counter wraps (> 32767 pairs)', () => {
    const S = 50;
    const B = 5;
    const codes = randomCodes(3, S, B, 5);
    const store = createBinnedStore(codes, 3, S, B);
    const fresh = new BinnedMiKernel(S, B).mi(store, 0, store, 1);
    const k = new BinnedMiKernel(S, B);
    for (let t = 0; t < 40000; t++) k.mi(store, t % 3, store, (t + 1) % 3);
    assert.equal(k.mi(store, 0, store, 1), fresh);
  });
  it('plug-in MI of independent neurons is biased up by ~(Bx - 1)(By - 1) / (2S); Miller-Madow removes most of it', () => {
    const S = 4000;
    const B = 10;
    const N = 12;
    const codes = randomCodes(N, S, B, 6, false);
    const store = createBinnedStore(codes, N, S, B);
    const plain = new BinnedMiKernel(S, B);
    const mm = new BinnedMiKernel(S, B, true);
    let sp = 0;
    let sm = 0;
    let bias = 0;
    let pairs = 0;
    for (let i = 0; i < N; i++)
      for (let j = i + 1; j < N; j++) {
        sp += plain.mi(store, i, store, j);
        sm += mm.mi(store, i, store, j);
        bias += ((store.occupied[i] - 1) * (store.occupied[j] - 1)) / (2 * S);
        pairs++;
      }
    assertClose(sp / pairs, bias / pairs, 0.3 * (bias / pairs), 'plug-in bias');
    assert.ok(Math.abs(sm / pairs) < 0.35 * (bias / pairs), `Miller-Madow mean ${sm / pairs}`);
  });
});

describe('binned MI beyond the increment table (S > 2^24)', () => {
  it('tallies the joint counts and matches the plug-in formula on the counts', () => {
    const S = DELTA_TABLE_LIMIT + 3;
    const bins = 4;
    const codes = allocateCodes(bins, 2 * S);
    for (let s = 0; s < S; s++) {
      codes[s] = s % 4;
      codes[S + s] = (s * 7 + (s >> 3)) % 3;
    }
    const store = createBinnedStore(codes, 2, S, bins, false, true); // compacts `codes` in place

    const mi = new BinnedMiKernel(S, bins).mi(store, 0, store, 1);
    const cx = new Float64Array(4);
    const cy = new Float64Array(4);
    const cxy = new Float64Array(16);
    const raw = allocateCodes(bins, 2 * S);
    for (let s = 0; s < S; s++) {
      raw[s] = s % 4;
      raw[S + s] = (s * 7 + (s >> 3)) % 3;
      cx[raw[s]]++;
      cy[raw[S + s]]++;
      cxy[raw[s] * 4 + raw[S + s]]++;
    }
    const h = (c: Float64Array): number => c.reduce((acc, v) => (v > 0 ? acc - (v / S) * Math.log(v / S) : acc), 0);
    assertClose(mi, h(cx) + h(cy) - h(cxy), 1e-12);
    // I(X; X) = H(X) = ln 4 for four equally filled bins.
    assertClose(new BinnedMiKernel(S, bins).mi(store, 0, store, 0), Math.log(4), 1e-12);
  });
});
