/**
 * Files written by NumPy 2.4 itself (np.save, np.savez, np.savez_compressed,
 * np.lib.format.write_array with version=(2,0)/(3,0)), committed under test/fixtures/io/.
 * They check the readers against the real writer, e.g. the zip64 local headers that
 * np.savez always emits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readFileBytes } from '../src/io/files.js';
import { parseNpy } from '../src/io/npy.js';
import { parseNpz } from '../src/io/npz.js';
import type { NdArray } from '../src/io/array.js';

/** Fixture path: build/test/x.js -> test/fixtures/io/<name>. */
function fixture(name: string): string {
  return fileURLToPath(new URL(`../../test/fixtures/io/${name}`, import.meta.url));
}

function check(a: NdArray | undefined, shape: number[], dtype: string, data: number[]): void {
  assert.ok(a !== undefined);
  assert.deepEqual(a.shape, shape);
  assert.equal(a.dtype, dtype);
  assert.deepEqual(Array.from(a.data), data);
}

describe('NumPy-written fixtures', () => {
  for (const name of ['numpy_savez.npz', 'numpy_savez_compressed.npz']) {
    it(name, async () => {
      const m = parseNpz(await readFileBytes(fixture(name)), name);
      assert.deepEqual([...m.keys()], ['a', 'b', 'c', 'd', 'e']);
      check(m.get('a'), [2, 3], '<f4', [0, 0.25, 0.5, 0.75, 1, 1.25]);
      check(m.get('b'), [2, 3], '>i8', [1, -2, 3, 2 ** 40, 5, -6]);
      check(m.get('c'), [], '<f2', [0.333251953125]);
      check(m.get('d'), [3], '|b1', [1, 0, 1]);
      check(m.get('e'), [0, 3], '<u2', []);
    });
  }

  it('numpy_fortran_be.npy (np.save of a Fortran-ordered big-endian int64 array)', async () => {
    check(parseNpy(await readFileBytes(fixture('numpy_fortran_be.npy')), 'f'), [2, 3], '>i8', [1, -2, 3, 2 ** 40, 5, -6]);
  });

  it('numpy_v2_f16.npy (format 2.0)', async () => {
    check(parseNpy(await readFileBytes(fixture('numpy_v2_f16.npy')), 'f'), [5], '<f2', [1, 2 ** -24, Infinity, -0, 65504]);
  });

  it('numpy_v3.npy (format 3.0)', async () => {
    check(parseNpy(await readFileBytes(fixture('numpy_v3.npy')), 'f'), [1, 2], '>f8', [0.5, -1.5]);
  });
});
