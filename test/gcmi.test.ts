/**
 * Gaussian-copula MI, pure layer: the normal quantile and CDF against SciPy (ndtri, ndtr), the
 * general digamma against scipy.special.psi, gcmiPair against the `gcmi` package
 * (test/fixtures/reference/gcmi.json, NumPy/SciPy), and the all-pairs correlation kernel
 * against the pair function.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copulaNormalScores, correlationBlock, dot2, GcmiWasmEngine, gcmiBiasCorrection, gcmiPair, gcmiWasmAvailable, miFromCorrelation, unitScores } from '../src/core/mi/gcmi/index.js';
import { digamma, digammaTable } from '../src/core/special/digamma.js';
import { erf, erfc, normalCdf, normalQuantile } from '../src/core/special/normal.js';
import { Rng } from '../src/core/random/rng.js';
import { gcmiEstimator } from '../src/core/mi/gcmi/estimator.js';
import { resolveSettings } from '../src/analysis/settings.js';
import { readFixtureJson } from './helpers/fixtures.js';

interface Special {
  ndtri: [number, number][];
  ndtr: [number, number][];
  psi: [number, number][];
}
interface GcmiCase {
  name: string;
  x: number[];
  y: number[];
  mi_nats: number;
  mi_biascorrected_nats: number;
}

const special = readFixtureJson<Special>('reference/special.json');

describe('normal quantile, CDF, erf (against SciPy)', () => {
  it('Phi^-1 to 2e-14 relative (1e-15 absolute next to 1/2), with its limits', () => {
    for (const [p, z] of special.ndtri) {
      const got = normalQuantile(p);
      assert.ok(Math.abs(got - z) <= Math.max(2e-14 * Math.abs(z), 1e-15), `ndtri(${p}) = ${got}, SciPy ${z}`);
    }
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    assert.equal(normalQuantile(0.5), 0);
    assert.ok(Number.isNaN(normalQuantile(-0.1)) && Number.isNaN(normalQuantile(1.5)) && Number.isNaN(normalQuantile(NaN)));
    assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-15);
  });

  it('Phi to 1e-13 relative, erf + erfc = 1, erf odd', () => {
    for (const [x, v] of special.ndtr) assert.ok(Math.abs(normalCdf(x) - v) <= 1e-13 * v + 1e-300, `ndtr(${x}) = ${normalCdf(x)}, SciPy ${v}`);
    for (const x of [0, 0.1, 1, 2.9, 3, 3.1, 5]) {
      assert.ok(Math.abs(erf(x) + erfc(x) - 1) < 1e-15, String(x));
      assert.equal(erf(-x), -erf(x));
    }
    for (const p of [1e-9, 0.01, 0.3, 0.7, 0.999]) assert.ok(Math.abs(normalCdf(normalQuantile(p)) - p) < 1e-14 * Math.max(p, 1e-3));
  });
});

describe('digamma at any positive x (against scipy.special.psi)', () => {
  it('to 1e-15 relative, and equal to the integer table', () => {
    for (const [x, v] of special.psi) assert.ok(Math.abs(digamma(x) - v) <= 1e-15 * Math.max(1, Math.abs(v)), `psi(${x}) = ${digamma(x)}, SciPy ${v}`);
    const t = digammaTable(50);
    for (let n = 1; n <= 50; n++) assert.ok(Math.abs(digamma(n) - t[n]) < 1e-14, String(n));
    assert.ok(Number.isNaN(digamma(0)) && Number.isNaN(digamma(-1)));
  });
});

describe('Gaussian-copula MI (against the gcmi package)', () => {
  const ref = readFixtureJson<{ cases: GcmiCase[] }>('reference/gcmi.json');

  it('every reference case, plain and bias-corrected, to 1e-12', () => {
    for (const c of ref.cases) {
      const S = c.x.length;
      const zx = new Float64Array(S);
      const zy = new Float64Array(S);
      copulaNormalScores(c.x, zx);
      copulaNormalScores(c.y, zy);
      assert.ok(Math.abs(gcmiPair(zx, zy) - c.mi_nats) < 1e-12, `${c.name}: ${gcmiPair(zx, zy)} vs ${c.mi_nats}`);
      assert.ok(Math.abs(gcmiPair(zx, zy, true) - c.mi_biascorrected_nats) < 1e-12, `${c.name} (bias-corrected)`);
    }
  });

  it('the scores depend only on the order (ties by index); the correction is psi((S-2)/2)/2 - psi((S-1)/2)/2', () => {
    const x = [3, -1, 3, 0.5, 3, 10];
    const a = new Float64Array(6);
    const b = new Float64Array(6);
    copulaNormalScores(x, a);
    copulaNormalScores(x.map((v) => Math.exp(v) * 7 - 2), b);
    assert.deepEqual(Array.from(a), Array.from(b));
    // ranks: -1 -> 0, 0.5 -> 1, the three 3s -> 2, 3, 4 in index order, 10 -> 5
    const ranks = [2, 0, 3, 1, 4, 5];
    ranks.forEach((r, s) => assert.equal(a[s], normalQuantile((r + 1) / 7)));
    assert.ok(Math.abs(gcmiBiasCorrection(50) - (0.5 * digamma(24) - 0.5 * digamma(24.5))) < 1e-16);
    assert.ok(gcmiBiasCorrection(400) < 0 && gcmiBiasCorrection(400) > -1 / 700);
    assert.equal(miFromCorrelation(0), 0);
    assert.ok(Math.abs(miFromCorrelation(1) - 26 * Math.LN2) < 1e-12);
    assert.equal(miFromCorrelation(-1), miFromCorrelation(1));
  });

  it('the all-pairs correlation kernel gives every pair\'s MI (blocks of 4, remainders, symmetry)', () => {
    const N = 11;
    const S = 203;
    const r = new Rng(4);
    const values = new Float32Array(N * S);
    for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) values[n * S + s] = r.normal() + (n % 3 === 0 ? 0.8 * values[s] : 0);
    const u = unitScores(values, N, S);
    const rho = new Float64Array(N * N);
    correlationBlock(u, N, S, 0, 6, 0, N, rho);
    correlationBlock(u, N, S, 6, N, 0, N, rho);
    const z = new Float64Array(N * S);
    for (let n = 0; n < N; n++) copulaNormalScores(values.subarray(n * S, (n + 1) * S), z.subarray(n * S, (n + 1) * S));
    for (let i = 0; i < N; i++) {
      assert.ok(Math.abs(rho[i * N + i] - 1) < 1e-14);
      for (let j = 0; j < N; j++) {
        assert.ok(Math.abs(rho[i * N + j] - rho[j * N + i]) < 1e-15);
        if (i !== j) assert.ok(Math.abs(miFromCorrelation(rho[i * N + j]) - gcmiPair(z.subarray(i * S, (i + 1) * S), z.subarray(j * S, (j + 1) * S))) < 1e-13, `${i},${j}`);
      }
    }
  });

  it('the WebAssembly blocks equal the TypeScript ones bit for bit (odd and even S, remainders, reused rows, pieces over 64 rows)', () => {
    assert.equal(gcmiWasmAvailable(), true, 'the GCMI wasm engine should load under Node');
    for (const S of [1, 2, 7, 64, 203]) {
      const N = 150;
      const r = new Rng(S);
      const u = Float64Array.from({ length: N * S }, () => r.normal());
      const js = new Float64Array(N * N);
      const wa = new Float64Array(N * N);
      const engine = new GcmiWasmEngine();
      const blocks: [number, number, number, number][] = [[0, 5, 0, 5], [0, 5, 5, 12], [0, 5, 12, 13], [5, 38, 0, 150], [38, 150, 0, 71], [38, 150, 71, 150], [149, 150, 149, 150]];
      for (const [i0, i1, j0, j1] of blocks) {
        correlationBlock(u, N, S, i0, i1, j0, j1, js);
        engine.block(u, N, S, i0, i1, j0, j1, wa);
      }
      for (let i = 0; i < N * N; i++) assert.ok(Object.is(wa[i], js[i]), `S=${S} entry ${i}: ${wa[i]} vs ${js[i]}`);
      assert.ok(Object.is(js[7 * N + 9], dot2(u, 7 * S, u, 9 * S, S)));
    }
  });

  it("the cross kernel's blocks equal the pair kernel bit for bit (held rows kept across blocks; hold needed after block)", () => {
    for (const S of [2, 7, 203]) {
      const r = new Rng(S + 1);
      const o = resolveSettings({ mi: 'gcmi', preset: 'default' }, 1);
      const z = Float64Array.from({ length: 150 * S }, () => r.normal());
      const plan = gcmiEstimator.plan({ samples: S } as never, o, new Float64Array(0));
      const a = gcmiEstimator.createStore(150, S, o, plan, false);
      const b = gcmiEstimator.createStore(40, S, o, plan, false);
      for (let n = 0; n < 150; n++) gcmiEstimator.prepareNeuron(a, n, { neuron: n, values: z.subarray(n * S, (n + 1) * S), id: n, permutation: null }, o, plan);
      for (let n = 0; n < 40; n++) gcmiEstimator.prepareNeuron(b, n, { neuron: n, values: z.subarray((n + 100) * S, (n + 101) * S), id: n, permutation: null }, o, plan);
      const pair = gcmiEstimator.pairKernel(a, b);
      const cross = gcmiEstimator.crossKernel!(a, b);
      const out = new Float64Array(64 * 64);
      for (const [j0, j1] of [[0, 40], [5, 6], [10, 30]]) {
        cross.hold(j0, j1);
        for (const [i0, i1] of [[0, 64], [64, 128], [128, 150], [3, 4]]) {
          cross.block(i0, i1, out);
          for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) assert.ok(Object.is(out[(i - i0) * (j1 - j0) + (j - j0)], pair(i, j)), `S=${S} ${i},${j}`);
        }
      }
    }
    const engine = new GcmiWasmEngine();
    const u = new Float64Array(4 * 3).fill(0.5);
    engine.hold(u, 0, 2, 3);
    engine.block(u, 4, 3, 0, 2, 2, 4, new Float64Array(16));
    assert.throws(() => engine.crossHeld(u, 0, 2, new Float64Array(4)), /hold first/);
  });
});
