import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../src/core/random/rng.js';
import { argsort } from '../src/core/sort/argsort.js';

/** The definition: ascending, ties (and -0 / 0) in index order. */
function oracle(v: ArrayLike<number>): number[] {
  return Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b);
}

describe('argsort (stable radix sort on float bits)', () => {
  it('equals the comparator sort on float64, float32, ties, signed zeros, infinities and extremes', () => {
    const r = new Rng(11);
    const cases: ArrayLike<number>[] = [
      [],
      [5],
      [3, -1, 3, 0.5, 3, 10],
      [0, -0, 0, -0, -1e-300, 1e-300, -Infinity, Infinity, Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324, -5e-324],
      Float64Array.from({ length: 5000 }, () => r.normal() * 10 ** Math.floor(r.normal() * 5)),
      Float32Array.from({ length: 5000 }, () => Math.max(0, r.normal())), // ReLU: many tied zeros
      Float64Array.from({ length: 3000 }, () => Math.round(r.normal() * 3)), // few distinct values
      Int32Array.from({ length: 1000 }, () => Math.floor(r.normal() * 1e9)),
    ];
    for (const v of cases) assert.deepEqual(Array.from(argsort(v)), oracle(v));
  });

  it('writes into a given array and checks its length', () => {
    const out = new Int32Array(3);
    assert.equal(argsort([2, 1, 0], out), out);
    assert.deepEqual(Array.from(out), [2, 1, 0]);
    assert.throws(() => argsort([1, 2], out), RangeError);
  });
});
