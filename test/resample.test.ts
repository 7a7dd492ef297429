/**
 * The resampling core (core/resample/): the draws, the stratified deviations against a direct
 * computation, the extreme-value spread in closed form, and the unit samples' strata.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawReplicates, replicateSize } from '../src/core/resample/scheme.js';
import { meanDeviations, medianDeviations } from '../src/core/resample/stratified.js';
import { EXTREME_SPACINGS, extremeValues, maxStdDev } from '../src/core/resample/extremes.js';
import { allocate, sampleNeuronUnits, samplePairUnits } from '../src/core/resample/units.js';
import { Rng } from '../src/core/random/rng.js';

describe('resampling draws', () => {
  it('bootstrap: S rows with replacement, sorted; subsampling: S/4 distinct rows; seeded', () => {
    const b = drawReplicates('bootstrap', 100, 5, 3);
    assert.equal(b.size, 100);
    assert.equal(b.varianceFactor, 1);
    const h = drawReplicates('subsampling', 101, 5, 3);
    assert.equal(h.size, 25);
    assert.equal(h.varianceFactor, 25 / 76);
    let duplicates = 0;
    for (let r = 0; r < 5; r++) {
      const row = b.rows.subarray(r * 100, (r + 1) * 100);
      for (let i = 1; i < 100; i++) {
        assert.ok(row[i] >= row[i - 1]);
        if (row[i] === row[i - 1]) duplicates++;
      }
      const sub = h.rows.subarray(r * 25, (r + 1) * 25);
      for (let i = 1; i < 25; i++) assert.ok(sub[i] > sub[i - 1], 'distinct and ascending');
    }
    assert.ok(duplicates > 100, 'the bootstrap repeats examples (about S/e per replicate)');
    assert.deepEqual(drawReplicates('subsampling', 101, 5, 3).rows, h.rows, 'same seed, same draws');
    assert.notDeepEqual(drawReplicates('subsampling', 101, 5, 4).rows, h.rows);
    assert.equal(replicateSize('subsampling', 10_000), 2500);
    assert.throws(() => drawReplicates('bootstrap', 3, 5, 0), /at least 4 examples/);
  });
});

describe('stratified deviations', () => {
  it('with every unit sampled: the population mean of the deviations, centred, exactly', () => {
    const rng = new Rng(1);
    const U = 12;
    const R = 40;
    const full = Float64Array.from({ length: U }, () => rng.normal());
    const reps = Float64Array.from({ length: R * U }, (_, k) => full[k % U] + 0.1 * rng.normal() + 0.02 * Math.floor(k / U));
    // two strata of 5 and 7, all sampled
    const of = Int32Array.from({ length: U }, (_, u) => (u < 5 ? 0 : 1));
    const d = meanDeviations(full, reps, { of, population: Float64Array.of(5, 7) }, 1);
    const direct = Float64Array.from({ length: R }, (_, r) => {
      let t = 0;
      for (let u = 0; u < U; u++) t += reps[r * U + u] - full[u];
      return t / U;
    });
    const mean = direct.reduce((a, b) => a + b) / R;
    direct.forEach((v, r) => assert.ok(Math.abs(v - mean - d.deviations[r]) < 1e-12));
    const sd = Math.sqrt(direct.reduce((a, v) => a + (v - mean) ** 2, 0) / (R - 1));
    assert.ok(Math.abs(d.se - sd) < 1e-12);
    // the variance factor scales the deviations and the se
    const q = meanDeviations(full, reps, { of, population: Float64Array.of(5, 7) }, 1 / 3);
    assert.ok(Math.abs(q.se - sd / Math.sqrt(3)) < 1e-12);
    // one stratum alone
    const first = meanDeviations(full, reps, { of, population: Float64Array.of(5, 7) }, 1, (h) => h === 0);
    const r0 = Array.from({ length: R }, (_, r) => [0, 1, 2, 3, 4].reduce((a, u) => a + reps[r * U + u] - full[u], 0) / 5);
    const m0 = r0.reduce((a, b) => a + b) / R;
    r0.forEach((v, r) => assert.ok(Math.abs(v - m0 - first.deviations[r]) < 1e-12));
  });

  it('a sample of independent units: the unit-sampling noise is taken off, down to what independent units give', () => {
    const rng = new Rng(2);
    const Npop = 10_000;
    const n = 200;
    const R = 60;
    const full = new Float64Array(n);
    // each unit moves independently from replicate to replicate (sd 1): the population mean's sd is 1/sqrt(Npop)
    const reps = Float64Array.from({ length: R * n }, () => rng.normal());
    const d = meanDeviations(full, reps, { of: new Int32Array(n), population: Float64Array.of(Npop) }, 1);
    const naive = 1 / Math.sqrt(n);
    assert.ok(d.se < naive / 3, `se ${d.se} should be far below the sample mean's ${naive}`);
    assert.ok(d.se >= 1 / Math.sqrt(Npop) * 0.8, `and not below independent units' ${1 / Math.sqrt(Npop)}`);
  });

  it('medians: the replicate medians minus the full-data median, centred', () => {
    const full = Float64Array.of(1, 2, 3);
    const reps = Float64Array.of(1, 2, 4, 2, 3, 4);
    const d = medianDeviations(full, reps, 1);
    // medians 2 and 3 against 2: deviations 0 and 1, centred -0.5, 0.5
    assert.deepEqual(Array.from(d.deviations), [-0.5, 0.5]);
    assert.ok(Math.abs(d.se - Math.SQRT1_2) < 1e-15);
  });
});

describe('extremes', () => {
  it("maxStdDev: (pi / sqrt 6) x mean i D_i, the Gumbel maximum's spread", () => {
    assert.ok(Math.abs(maxStdDev(Float64Array.of(3, 2, 1)) - (Math.PI / Math.sqrt(6)) * 1.5) < 1e-15);
    assert.equal(maxStdDev(Float64Array.of(0, 0, 0, 0)), 0, 'ties at the extreme: it does not move');
    assert.equal(maxStdDev(Float64Array.of(5)), 0);
  });

  it('extremeValues: the k largest descending, the k smallest ascending', () => {
    const v = [5, -1, 9, 3, 9, 0, -7, 2];
    assert.deepEqual(Array.from(extremeValues(v.length, (i) => v[i], 3)), [9, 9, 5]);
    assert.deepEqual(Array.from(extremeValues(v.length, (i) => v[i], 3, true)), [-7, -1, 0]);
  });

  it('the maximum of n normals: the estimate is near the simulated spread, on the safe side (k = 8)', () => {
    const rng = new Rng(5);
    const n = 2000;
    const maxima: number[] = [];
    const estimates: number[] = [];
    for (let t = 0; t < 300; t++) {
      const x = Float64Array.from({ length: n }, () => rng.normal());
      maxima.push(Math.max(...x));
      estimates.push(maxStdDev(extremeValues(n, (i) => x[i], EXTREME_SPACINGS + 1)));
    }
    const m = maxima.reduce((a, b) => a + b) / maxima.length;
    const sd = Math.sqrt(maxima.reduce((a, v) => a + (v - m) ** 2, 0) / (maxima.length - 1));
    const est = estimates.reduce((a, b) => a + b) / estimates.length;
    assert.ok(est / sd > 1 && est / sd < 1.4, `estimated ${est.toFixed(3)}, simulated ${sd.toFixed(3)}`);
  });
});

describe('unit samples', () => {
  it('allocate: all units when they fit, else at least an equal share per stratum', () => {
    assert.deepEqual(Array.from(allocate(Float64Array.of(3, 4), 10)), [3, 4]);
    const a = allocate(Float64Array.of(10, 1000, 0), 100);
    assert.equal(a[2], 0);
    assert.ok(a[0] === 10 && a[1] >= 25);
  });

  it('pairs: strata are the layers and the pairs across them; all when few; i < j, distinct', () => {
    const layers = [{ offset: 0, size: 4 }, { offset: 4, size: 3 }];
    const all = samplePairUnits(layers, 1000, 1);
    assert.equal(all.pairs.length / 2, 21);
    assert.deepEqual(Array.from(all.strata.population), [6, 3, 12]);
    const counts = [0, 0, 0];
    for (const h of all.strata.of) counts[h]++;
    assert.deepEqual(counts, [6, 3, 12]);
    const big = [{ offset: 0, size: 300 }, { offset: 300, size: 200 }];
    const some = samplePairUnits(big, 400, 2);
    const seen = new Set<number>();
    for (let p = 0; p < some.pairs.length / 2; p++) {
      const [i, j] = [some.pairs[2 * p], some.pairs[2 * p + 1]];
      assert.ok(i < j);
      const h = some.strata.of[p];
      assert.equal(h, i < 300 && j < 300 ? 0 : i >= 300 ? 1 : 2);
      seen.add(i * 500 + j);
    }
    assert.equal(seen.size, some.pairs.length / 2);
    assert.ok(some.pairs.length / 2 <= 450);
    // from measured pairs: a subset of them, with their positions
    const measured = Int32Array.of(0, 1, 0, 350, 301, 302, 5, 6);
    const sub = samplePairUnits(big, 10, 3, measured);
    for (let p = 0; p < sub.index!.length; p++) assert.deepEqual([sub.pairs[2 * p], sub.pairs[2 * p + 1]], [measured[2 * sub.index![p]], measured[2 * sub.index![p] + 1]]);
  });

  it('neurons: every neuron under the cap; a stratified sample over it', () => {
    const layers = [{ offset: 0, size: 5 }, { offset: 5, size: 5000 }];
    assert.equal(sampleNeuronUnits(layers, 10_000, 1).units.length, 5005);
    const s = sampleNeuronUnits(layers, 100, 1);
    assert.ok(s.units.filter((n) => n < 5).length === 5, 'the small layer whole');
    assert.ok(s.units.length <= 110);
  });
});
