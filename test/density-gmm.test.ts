import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitGmm, fitGmmComponents, gmmDensity } from '../src/core/density/gmm.js';
import { Rng } from '../src/core/random/rng.js';
import { assertClose } from './helpers/assert-close.js';

function mixture(n: number, parts: { w: number; mu: number; sd: number }[], seed: number): Float64Array {
  const r = new Rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let u = r.float();
    let p = parts[parts.length - 1];
    for (const q of parts) {
      if (u < q.w) {
        p = q;
        break;
      }
      u -= q.w;
    }
    out[i] = p.mu + p.sd * r.normal();
  }
  return out;
}

describe('gmm', () => {
  it('recovers the weights, means and sds of a two-component mixture', () => {
    const x = mixture(20000, [{ w: 0.3, mu: -2, sd: 0.5 }, { w: 0.7, mu: 3, sd: 1 }], 1);
    const g = fitGmmComponents(x, 2);
    assertClose(g.weights[0], 0.3, 0.02, 'w0');
    assertClose(g.weights[1], 0.7, 0.02, 'w1');
    assertClose(g.means[0], -2, 0.05, 'mu0');
    assertClose(g.means[1], 3, 0.05, 'mu1');
    assertClose(g.sds[0], 0.5, 0.05, 'sd0');
    assertClose(g.sds[1], 1, 0.05, 'sd1');
    assert.ok(g.converged);
    assertClose(g.bic, -2 * g.logLikelihood + 5 * Math.log(20000), 1e-6, 'BIC definition');
  });
  it('BIC picks 1 component for one Gaussian and 2 for a well-separated pair', () => {
    assert.equal(fitGmm(mixture(3000, [{ w: 1, mu: 1, sd: 2 }], 2)).weights.length, 1);
    assert.equal(fitGmm(mixture(3000, [{ w: 0.5, mu: -4, sd: 1 }, { w: 0.5, mu: 4, sd: 1 }], 3)).weights.length, 2);
  });
  it('a weighted fit equals the fit on repeated points', () => {
    const centres = [0, 0.5, 1, 1.5, 2, 6, 6.5, 7, 7.5, 8];
    const counts = [3, 10, 25, 9, 2, 5, 20, 30, 12, 4];
    const repeated: number[] = [];
    centres.forEach((c, i) => {
      for (let k = 0; k < counts[i]; k++) repeated.push(c);
    });
    const a = fitGmm(centres, { weights: counts });
    const b = fitGmm(repeated);
    assert.equal(a.weights.length, b.weights.length);
    assert.equal(a.n, b.n);
    for (let j = 0; j < a.weights.length; j++) {
      assertClose(a.weights[j], b.weights[j], 1e-8, 'w');
      assertClose(a.means[j], b.means[j], 1e-8, 'mu');
      assertClose(a.sds[j], b.sds[j], 1e-8, 'sd');
    }
    assertClose(a.bic, b.bic, 1e-6, 'bic');
  });
  it('is deterministic, and its density integrates to 1', () => {
    const x = mixture(2000, [{ w: 0.4, mu: 0, sd: 1 }, { w: 0.6, mu: 5, sd: 2 }], 4);
    assert.deepEqual(fitGmm(x, { seed: 7 }), fitGmm(x, { seed: 7 }));
    const g = fitGmm(x);
    const grid = Float64Array.from({ length: 4001 }, (_, i) => -20 + (i * 50) / 4000);
    const p = gmmDensity(g, grid);
    let area = 0;
    for (let i = 1; i < grid.length; i++) area += ((p[i] + p[i - 1]) / 2) * (grid[i] - grid[i - 1]);
    assertClose(area, 1, 1e-6, 'integral');
  });
  it('handles constant data and refuses bad input', () => {
    const g = fitGmm([2, 2, 2, 2]);
    assert.equal(g.weights.length, 1);
    assert.equal(g.means[0], 2);
    assert.ok(g.sds[0] > 0 && Number.isFinite(g.bic));
    assert.throws(() => fitGmm([]), RangeError);
    assert.throws(() => fitGmm([1, NaN]), RangeError);
    assert.throws(() => fitGmm([1, 2], { weights: [1] }), RangeError);
  });
});

describe('report densities on few values', () => {
  it('15 MI values, several tied near 0: one component, and the curve stays within the bars', async () => {
    const { densityFromValues } = await import('../src/report/density.js');
    const values = Float64Array.from([0, 0, 0, 1e-4, 2e-4, 0.01, 0.02, 0.03, 0.05, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2]);
    const d = densityFromValues(values);
    assert.equal(d.model!.weights.length, 1);
    const top = Math.max(...d.bars.map((b) => b.density));
    const peak = Math.max(...d.curve.map((c) => c.density));
    assert.ok(peak <= top, `curve peak ${peak} above the highest bar ${top}`);
  });
});
