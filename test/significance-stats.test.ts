/**
 * The statistics of per-pair significance against SciPy's (test/fixtures/reference/
 * significance.json, scripts/make-significance-reference.py): Benjamini-Hochberg, the t test of a
 * correlation, the Kolmogorov-Smirnov test of uniformity; and closed forms.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { benjaminiHochberg } from '../src/core/stats/fdr.js';
import { correlationPValue, studentTwoSided } from '../src/core/stats/student-t.js';
import { ksUniform } from '../src/core/stats/ks-uniform.js';
import { incompleteBeta, logGamma } from '../src/core/special/beta.js';
import { readFixtureJson } from './helpers/fixtures.js';

interface Reference {
  bh: { name: string; p: number[]; adjusted: number[] }[];
  pearson: { n: number; r: number; p: number }[];
  ks: { name: string; x: number[]; statistic: number; p: number }[];
}
const ref = readFixtureJson<Reference>('reference/significance.json');
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('significance statistics against SciPy', () => {
  it('Benjamini-Hochberg equals scipy.stats.false_discovery_control (bh)', () => {
    for (const c of ref.bh) {
      const q = benjaminiHochberg(c.p);
      c.adjusted.forEach((v, i) => assert.ok(Math.abs(q[i] - v) < 1e-15, `${c.name}[${i}]: ${q[i]} vs ${v}`));
    }
  });

  it("the t test of a correlation equals pearsonr's p-value", () => {
    for (const c of ref.pearson) {
      const p = correlationPValue(c.r, c.n);
      assert.ok(c.p === p || rel(p, c.p) < 1e-10 || Math.abs(p - c.p) < 1e-300, `r = ${c.r}, n = ${c.n}: ${p} vs ${c.p}`);
    }
  });

  it('the Kolmogorov-Smirnov test of uniformity equals kstest (asymptotic)', () => {
    for (const c of ref.ks) {
      const k = ksUniform(c.x);
      assert.ok(Math.abs(k.statistic - c.statistic) < 1e-15, `${c.name} D`);
      assert.ok(rel(k.p, c.p) < 1e-9, `${c.name} p: ${k.p} vs ${c.p}`);
    }
  });

  it('closed forms', () => {
    assert.ok(Math.abs(logGamma(5) - Math.log(24)) < 1e-13);
    assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-13);
    assert.ok(Math.abs(incompleteBeta(0.3, 1, 1) - 0.3) < 1e-15, 'I_x(1, 1) = x');
    assert.ok(Math.abs(incompleteBeta(0.3, 2, 1) - 0.09) < 1e-15, 'I_x(2, 1) = x^2');
    assert.equal(studentTwoSided(0, 7), 1);
    // t with 1 degree of freedom is Cauchy: P(|T| >= 1) = 1/2
    assert.ok(Math.abs(studentTwoSided(1, 1) - 0.5) < 1e-14);
    assert.deepEqual(Array.from(benjaminiHochberg(Float64Array.of(0.01, 0.04, 0.03))), [0.03, 0.04, 0.04]);
  });
});
