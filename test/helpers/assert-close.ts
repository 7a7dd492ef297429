import assert from 'node:assert/strict';

export function assertClose(actual: number, expected: number, tol: number, what = ''): void {
  if (!(Math.abs(actual - expected) <= tol)) {
    assert.fail(`${what}: expected ${expected}, got ${actual} (|delta| = ${Math.abs(actual - expected)} > ${tol})`);
  }
}
