import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../src/io/errors.js';
import { encodeNpy } from '../src/io/npy.js';
import { encodeNpz, parseNpz } from '../src/io/npz.js';
import { crc32 } from '../src/io/zip.js';
import { elementBytes, npyBytes, zipBytes } from './fixtures/io/builders.js';

const FILE = 'runs/acts.npz';

function assertInputError(fn: () => unknown, word: RegExp, file = FILE): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InputError, `expected InputError, got ${String(caught)}`);
  assert.equal(caught.file, file);
  assert.ok(caught.message.startsWith(`${file}: `), caught.message);
  assert.match(caught.message, word);
  assert.ok(!caught.message.includes('\n'), 'message must be one line');
  return caught;
}

/** Method field of the first local header. */
function firstMethod(zip: Uint8Array): number {
  return zip[8] | (zip[9] << 8);
}

describe('encodeNpz -> parseNpz round trip', () => {
  const arrays = new Map<string, { data: Float64Array | Float32Array; shape: number[] }>([
    ['layer2', { data: Float64Array.from({ length: 600 }, (_, i) => Math.sin(i)), shape: [20, 30] }],
    ['0', { data: new Float32Array([1, 2, 3]), shape: [3] }],
    ['layer1', { data: new Float64Array(600), shape: [20, 30] }],
    ['scalar', { data: new Float64Array([4.5]), shape: [] }],
    ['empty', { data: new Float32Array(0), shape: [0, 7] }],
  ]);

  for (const compress of [false, true]) {
    it(compress ? 'deflated' : 'stored', () => {
      const zip = encodeNpz(arrays, compress);
      assert.equal(firstMethod(zip), compress ? 8 : 0);
      const got = parseNpz(zip, FILE);
      assert.deepEqual([...got.keys()], ['layer2', '0', 'layer1', 'scalar', 'empty']);
      for (const [k, v] of arrays) {
        const a = got.get(k);
        assert.ok(a !== undefined);
        assert.deepEqual(a.shape, v.shape);
        assert.equal(a.dtype, v.data instanceof Float64Array ? '<f8' : '<f4');
        assert.deepEqual(Array.from(a.data), Array.from(v.data));
      }
    });
  }

  it('compressed is smaller for compressible data, and output is deterministic', () => {
    const big = new Map([['z', { data: new Float64Array(10000), shape: [100, 100] }]]);
    assert.ok(encodeNpz(big, true).length < encodeNpz(big, false).length / 10);
    assert.deepEqual(encodeNpz(arrays, true), encodeNpz(arrays, true));
  });

  it('empty archive gives an empty map', () => {
    assert.equal(parseNpz(encodeNpz(new Map()), FILE).size, 0);
  });

  it('refuses a mismatched shape when encoding', () => {
    assert.throws(() => encodeNpz(new Map([['a', { data: new Float64Array(3), shape: [2] }]])), RangeError);
  });
});

describe('parseNpz reads hand-built archives', () => {
  const be = npyBytes('>f2', true, [2, 2], elementBytes('f2', [0x3c00, 0x4000, 0x4200, 0x4400], false));
  const i8 = npyBytes('<i8', false, [3], elementBytes('i8', [-1n, 0n, 2n ** 40n], true), { version: 2 });
  for (const level of [0, 6] as const) {
    it(`big-endian Fortran float16 + v2 int64 members, ${level ? 'deflated' : 'stored'}`, () => {
      const got = parseNpz(zipBytes([['b.npy', be], ['a.npy', i8]], level), FILE);
      assert.deepEqual([...got.keys()], ['b', 'a']);
      // Fortran [[1,3],[2,4]] stored column-major 1,2,3,4 -> C order 1,3,2,4
      assert.deepEqual(Array.from(got.get('b')?.data ?? []), [1, 3, 2, 4]);
      assert.equal(got.get('b')?.dtype, '>f2');
      assert.deepEqual(Array.from(got.get('a')?.data ?? []), [-1, 0, 2 ** 40]);
    });
  }

  it('member names with directories keep their path', () => {
    const got = parseNpz(zipBytes([['sub/x.npy', encodeNpy(new Float64Array([1]), [1])]]), FILE);
    assert.deepEqual([...got.keys()], ['sub/x']);
  });
});

describe('parseNpz refuses bad input', () => {
  const good = encodeNpz(new Map([['acts', { data: Float64Array.from({ length: 64 }, (_, i) => i), shape: [8, 8] }]]));
  const goodDeflated = encodeNpz(new Map([['acts', { data: Float64Array.from({ length: 64 }, (_, i) => i), shape: [8, 8] }]]), true);

  it('not a zip', () => {
    assertInputError(() => parseNpz(encodeNpy(new Float64Array(3), [3]), FILE), /not a zip archive/);
    assertInputError(() => parseNpz(new TextEncoder().encode('hello world, this is text'), FILE), /not a zip archive/);
    assertInputError(() => parseNpz(new Uint8Array(0), FILE), /empty file/);
  });

  it('truncated archive', () => {
    assertInputError(() => parseNpz(good.subarray(0, good.length - 30), FILE), /corrupt zip archive.*truncated/);
    assertInputError(() => parseNpz(good.subarray(0, 200), FILE), /corrupt zip archive/);
  });

  it('corrupt stored member (CRC mismatch)', () => {
    const b = good.slice();
    b[200] ^= 0x10; // inside the member's data
    assertInputError(() => parseNpz(b, FILE), /corrupt member 'acts\.npy': CRC-32 mismatch/);
  });

  it('corrupt deflated member', () => {
    let failures = 0;
    for (let i = 40; i < 120; i++) {
      const b = goodDeflated.slice();
      b[i] ^= 0xff;
      try {
        parseNpz(b, FILE);
      } catch (e) {
        assert.ok(e instanceof InputError, String(e));
        assert.match(e.message, /^runs\/acts\.npz: corrupt member 'acts\.npy': /);
        failures++;
      }
    }
    assert.ok(failures > 70, `only ${failures} corruptions detected`);
  });

  it('member that is not .npy (named)', () => {
    const zip = zipBytes([['a.npy', encodeNpy(new Float64Array(1), [1])], ['notes.txt', new TextEncoder().encode('hi')]]);
    assertInputError(() => parseNpz(zip, FILE), /member 'notes\.txt' is not a \.npy file/);
  });

  it('member whose .npy content is bad names the member and the problem', () => {
    const bad = npyBytes('<f4', false, [10], new Uint8Array(8));
    const e = assertInputError(() => parseNpz(zipBytes([['ok.npy', encodeNpy(new Float32Array(1), [1])], ['w.npy', bad]]), FILE), /member 'w\.npy': truncated: header says 10 float32 \(40 bytes\) but only 8 data bytes follow/);
    assert.equal(e.file, FILE);
    assertInputError(() => parseNpz(zipBytes([['c.npy', npyBytes('<c8', false, [1], new Uint8Array(8))]], 6), FILE), /member 'c\.npy': unsupported dtype '<c8'/);
  });

  it('unsupported compression method and encryption', () => {
    const b = good.slice();
    // Patch the method in the central directory entry (local header is not consulted for it).
    const cd = b.length - 22 - (46 + 'acts.npy'.length);
    assert.equal(b[cd], 0x50);
    b[cd + 10] = 12; // bzip2
    assertInputError(() => parseNpz(b, FILE), /unsupported compression method 12/);
    const c = good.slice();
    c[cd + 8] |= 1;
    assertInputError(() => parseNpz(c, FILE), /member 'acts\.npy' is encrypted/);
  });

  it('every truncation and many single-byte corruptions give InputError or a valid map', () => {
    for (const s of [good, goodDeflated]) {
      for (let len = 0; len < s.length; len++) {
        try {
          parseNpz(s.subarray(0, len), FILE);
        } catch (e) {
          assert.ok(e instanceof InputError, `len ${len}: ${String(e)}`);
        }
      }
      for (let i = 0; i < s.length; i++) {
        for (const x of [0x00, 0xff, s[i] ^ 0x04]) {
          const b = s.slice();
          b[i] = x;
          try {
            parseNpz(b, FILE);
          } catch (e) {
            assert.ok(e instanceof InputError, `byte ${i}=${x}: ${String(e)}`);
          }
        }
      }
    }
  });

  it('crc32 matches the standard check value', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  });
});
