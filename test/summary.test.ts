import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boxStats } from '../src/core/summary/box.js';
import { histogram } from '../src/core/summary/histogram.js';
import { miBlockSummary } from '../src/core/summary/mi-summary.js';
import { quantileSorted } from '../src/core/summary/quantile.js';
import { assertClose } from './helpers/assert-close.js';

describe('quantiles (np.quantile, linear)', () => {
  it('interpolates between closest ranks', () => {
    const v = Float64Array.of(1, 2, 3, 4);
    // np.quantile([1,2,3,4], [0, .25, .5, .75, 1]) = [1, 1.75, 2.5, 3.25, 4]
    assert.deepEqual([0, 0.25, 0.5, 0.75, 1].map((p) => quantileSorted(v, p)), [1, 1.75, 2.5, 3.25, 4]);
  });
});

describe('box statistics', () => {
  it('quartiles, notch = median +- 1.57 IQR / sqrt(n), whiskers at 1.5 IQR, outliers beyond', () => {
    const b = boxStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]);
    assert.equal(b.n, 10);
    assert.equal(b.median, 5.5);
    assert.equal(b.q1, 3.25);
    assert.equal(b.q3, 7.75);
    assertClose(b.notchLow, 5.5 - (1.57 * 4.5) / Math.sqrt(10), 1e-12, 'notch');
    assertClose(b.notchHigh, 5.5 + (1.57 * 4.5) / Math.sqrt(10), 1e-12, 'notch');
    assert.equal(b.whiskerLow, 1);
    assert.equal(b.whiskerHigh, 9);
    assert.deepEqual(b.outliers, [100]);
    assert.equal(b.mean, 14.5);
    assert.equal(b.max, 100);
  });
  it('ignores non-finite values and handles an empty input', () => {
    assert.equal(boxStats([1, -Infinity, 3]).n, 2);
    assert.ok(Number.isNaN(boxStats([]).median));
  });
});

describe('MI block summary', () => {
  it('mean over i != j, mean with the diagonal, and counts', () => {
    // 3 x 3 symmetric matrix: diagonal 1, off-diagonal 0.1, 0.2, 0.3
    const mi = Float64Array.of(1, 0.1, 0.2, 0.1, 1, 0.3, 0.2, 0.3, 1);
    const s = miBlockSummary(mi, 3, 0, 3);
    assert.equal(s.pairs, 3);
    assertClose(s.mean, 0.2, 1e-15, 'mean');
    assertClose(s.meanWithDiagonal, (3 + 2 * 0.6) / 9, 1e-15, 'with diagonal');
    assertClose(s.median, 0.2, 1e-15, 'median');
    const sub = miBlockSummary(mi, 3, 1, 3);
    assert.equal(sub.pairs, 1);
    assert.equal(sub.mean, 0.3);
  });
  it('histogram counts every value once, the last bin closed', () => {
    const h = histogram([0, 0.5, 1, 1, 2], 2);
    assert.deepEqual(h.edges, [0, 1, 2]);
    assert.deepEqual(h.counts, [2, 3]);
  });
});
