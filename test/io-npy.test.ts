import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../src/io/errors.js';
import { float16ToNumber } from '../src/io/dtype.js';
import { encodeNpy, parseNpy, readNpyHeader } from '../src/io/npy.js';
import { elementBytes, npyBytes, type Code } from './fixtures/io/builders.js';

const FILE = 'data/act.npy';

/** Asserts `fn` throws an InputError naming FILE whose message matches `word`. */
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

function same(actual: Float64Array, expected: ArrayLike<number>): void {
  assert.deepEqual(Array.from(actual), Array.from(expected));
}

describe('encodeNpy -> parseNpy round trip', () => {
  const shapes = [[], [0], [1], [5], [2, 3], [2, 0, 3], [2, 3, 4], [1, 1, 1, 1, 2]];
  for (const shape of shapes) {
    it(`float64 and float32, shape [${shape}]`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const v = Array.from({ length: n }, (_, i) => (i - 3.25) * 1.5e-3 + (i % 3 === 0 ? 1e10 : 0));
      const f8 = Float64Array.from(v);
      const b8 = encodeNpy(f8, shape);
      const a8 = parseNpy(b8, FILE);
      assert.deepEqual(a8.shape, shape);
      assert.equal(a8.dtype, '<f8');
      same(a8.data, f8);

      const f4 = Float32Array.from(v);
      const a4 = parseNpy(encodeNpy(f4, shape), FILE);
      assert.equal(a4.dtype, '<f4');
      assert.deepEqual(a4.shape, shape);
      same(a4.data, f4);
    });
  }

  it('writes a format 1.0 header padded to 64 bytes ending in a newline', () => {
    const b = encodeNpy(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    assert.deepEqual(Array.from(b.subarray(0, 8)), [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const h = readNpyHeader(b, FILE);
    assert.equal(h.dataOffset % 64, 0);
    assert.equal(b[h.dataOffset - 1], 0x0a);
    const text = new TextDecoder().decode(b.subarray(10, h.dataOffset));
    assert.match(text, /^\{'descr': '<f8', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    assert.equal(b.length, h.dataOffset + 48);
    assert.match(new TextDecoder().decode(encodeNpy(new Float32Array(5), [5]).subarray(10, 64)), /'shape': \(5,\)/);
    assert.match(new TextDecoder().decode(encodeNpy(new Float32Array(1), []).subarray(10, 64)), /'shape': \(\)/);
  });

  it('keeps NaN, infinities and -0', () => {
    const d = new Float64Array([NaN, Infinity, -Infinity, -0, Number.MIN_VALUE, Number.MAX_VALUE]);
    const a = parseNpy(encodeNpy(d, [6]), FILE);
    assert.ok(Number.isNaN(a.data[0]));
    assert.ok(Object.is(a.data[3], -0));
    same(a.data.subarray(1), d.subarray(1));
  });

  it('encodes a subarray view correctly', () => {
    const big = new Float64Array([9, 1, 2, 3, 9]);
    same(parseNpy(encodeNpy(big.subarray(1, 4), [3]), FILE).data, [1, 2, 3]);
  });

  it('refuses a shape that does not match the data', () => {
    assert.throws(() => encodeNpy(new Float64Array(5), [2, 3]), RangeError);
    assert.throws(() => encodeNpy(new Float64Array(0), [-1]), RangeError);
    assert.throws(() => encodeNpy(new Float64Array(2), [1.5]), RangeError);
  });
});

describe('parseNpy dtypes and byte orders', () => {
  const cases: Array<{ code: Code; values: Array<number | bigint>; expected: number[] }> = [
    { code: 'f4', values: [1.5, -2.25, 3e-40, Infinity], expected: [1.5, -2.25, Math.fround(3e-40), Infinity] },
    { code: 'f8', values: [Math.PI, -1e300, 5e-324, -0], expected: [Math.PI, -1e300, 5e-324, -0] },
    { code: 'i1', values: [-128, -1, 0, 127], expected: [-128, -1, 0, 127] },
    { code: 'i2', values: [-32768, -2, 1, 32767], expected: [-32768, -2, 1, 32767] },
    { code: 'i4', values: [-2147483648, -3, 7, 2147483647], expected: [-2147483648, -3, 7, 2147483647] },
    {
      code: 'i8',
      values: [-(2n ** 63n), -5n, 2n ** 53n - 1n, 2n ** 40n + 3n],
      expected: [-(2 ** 63), -5, 2 ** 53 - 1, 2 ** 40 + 3],
    },
    { code: 'u1', values: [0, 1, 200, 255], expected: [0, 1, 200, 255] },
    { code: 'u2', values: [0, 1, 40000, 65535], expected: [0, 1, 40000, 65535] },
    { code: 'u4', values: [0, 1, 3000000000, 4294967295], expected: [0, 1, 3000000000, 4294967295] },
    { code: 'u8', values: [0n, 7n, 2n ** 53n, 2n ** 32n + 1n], expected: [0, 7, 2 ** 53, 2 ** 32 + 1] },
    { code: 'f2', values: [0x3c00, 0x0001, 0x7c00, 0xc000], expected: [1, 2 ** -24, Infinity, -2] },
  ];
  for (const { code, values, expected } of cases) {
    for (const [order, le] of [['<', true], ['>', false]] as const) {
      const descr = `${code.endsWith('1') ? '|' : order}${code}`;
      it(`${order}${code}`, () => {
        const a = parseNpy(npyBytes(descr, false, [2, 2], elementBytes(code, values, le)), FILE);
        assert.deepEqual(a.shape, [2, 2]);
        assert.equal(a.dtype, descr);
        same(a.data, expected);
      });
    }
  }

  it("'|b1' and '?' bools", () => {
    const bytes = elementBytes('b1', [0, 1, 1, 0, 2], true);
    for (const descr of ['|b1', '?', '<b1']) {
      const a = parseNpy(npyBytes(descr, false, [5], bytes), FILE);
      assert.equal(a.dtype, '|b1');
      same(a.data, [0, 1, 1, 0, 1]);
    }
  });

  it("'=' (native, taken as little-endian) and '|' orders", () => {
    const a = parseNpy(npyBytes('=i4', false, [2], elementBytes('i4', [5, -6], true)), FILE);
    assert.equal(a.dtype, '<i4');
    same(a.data, [5, -6]);
    const b = parseNpy(npyBytes('|u1', false, [2], elementBytes('u1', [5, 6], true)), FILE);
    assert.equal(b.dtype, '|u1');
    same(b.data, [5, 6]);
    const c = parseNpy(npyBytes('<u1', false, [2], elementBytes('u1', [5, 6], true)), FILE);
    assert.equal(c.dtype, '|u1');
    const d = parseNpy(npyBytes('>i1', false, [1], elementBytes('i1', [-3], true)), FILE);
    same(d.data, [-3]);
  });

  it('int64/uint64 beyond 2^53 round to the nearest double (documented precision loss)', () => {
    const a = parseNpy(npyBytes('<i8', false, [3], elementBytes('i8', [2n ** 53n + 1n, -(2n ** 53n) - 3n, 2n ** 62n + 1n], true)), FILE);
    same(a.data, [Number(2n ** 53n + 1n), Number(-(2n ** 53n) - 3n), 2 ** 62]);
    const b = parseNpy(npyBytes('>u8', false, [2], elementBytes('u8', [2n ** 64n - 1n, 2n ** 63n + 2049n], false)), FILE);
    same(b.data, [2 ** 64, Number(2n ** 63n + 2049n)]);
  });

  it('float16 known bit patterns', () => {
    const pats: Array<[number, number]> = [
      [0x0000, 0],
      [0x3c00, 1],
      [0x0001, 2 ** -24],
      [0x03ff, 1023 * 2 ** -24],
      [0x0400, 2 ** -14],
      [0x7bff, 65504],
      [0x3555, 0.333251953125],
      [0xc000, -2],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
      [0x8001, -(2 ** -24)],
    ];
    for (const le of [true, false]) {
      const bytes = elementBytes('f2', [...pats.map((p) => p[0]), 0x7e00, 0xfc01, 0x8000], le);
      const a = parseNpy(npyBytes(le ? '<f2' : '>f2', false, [pats.length + 3], bytes), FILE);
      same(a.data.subarray(0, pats.length), pats.map((p) => p[1]));
      assert.ok(Number.isNaN(a.data[pats.length]));
      assert.ok(Number.isNaN(a.data[pats.length + 1]));
      assert.ok(Object.is(a.data[pats.length + 2], -0));
    }
  });

  it('float16 decode is exact for all 65536 patterns', () => {
    const dv = new DataView(new ArrayBuffer(4));
    for (let h = 0; h < 65536; h++) {
      const sign = h >> 15;
      const exp = (h >> 10) & 31;
      const mant = h & 1023;
      let expected: number;
      if (exp === 31) expected = mant ? NaN : sign ? -Infinity : Infinity;
      else if (exp === 0) expected = (sign ? -1 : 1) * (mant / 1024) * 2 ** -14;
      else {
        dv.setUint32(0, (sign << 31) | ((exp - 15 + 127) << 23) | (mant << 13));
        expected = dv.getFloat32(0);
      }
      assert.ok(Object.is(float16ToNumber(h), expected), `0x${h.toString(16)}`);
    }
  });
});

describe('parseNpy layouts and header versions', () => {
  it('Fortran order 2-D is transposed to C order', () => {
    // C-order matrix [[1,2,3],[4,5,6]] stored column-major: 1,4,2,5,3,6
    const a = parseNpy(npyBytes('<f8', true, [2, 3], elementBytes('f8', [1, 4, 2, 5, 3, 6], true)), FILE);
    assert.deepEqual(a.shape, [2, 3]);
    same(a.data, [1, 2, 3, 4, 5, 6]);
  });

  it('Fortran order 3-D and 4-D, both endiannesses', () => {
    for (const shape of [[2, 3, 4], [3, 1, 2, 2]]) {
      const n = shape.reduce((x, y) => x * y, 1);
      // Value at C index (i,j,k...) is its C linear index; write them in Fortran order.
      const fvals: number[] = [];
      const idx = new Array(shape.length).fill(0);
      for (let f = 0; f < n; f++) {
        let c = 0;
        for (let k = 0; k < shape.length; k++) c = c * shape[k] + idx[k];
        fvals.push(c);
        for (let k = 0; k < shape.length; k++) {
          if (++idx[k] < shape[k]) break;
          idx[k] = 0;
        }
      }
      for (const le of [true, false]) {
        const a = parseNpy(npyBytes(le ? '<i2' : '>i2', true, shape, elementBytes('i2', fvals, le)), FILE);
        same(a.data, Array.from({ length: n }, (_, i) => i));
      }
    }
  });

  it('Fortran order with rank 0, rank 1 and zero-size shapes', () => {
    same(parseNpy(npyBytes('<f4', true, [], elementBytes('f4', [7], true)), FILE).data, [7]);
    same(parseNpy(npyBytes('<f4', true, [3], elementBytes('f4', [1, 2, 3], true)), FILE).data, [1, 2, 3]);
    const z = parseNpy(npyBytes('<f4', true, [3, 0], new Uint8Array(0)), FILE);
    assert.deepEqual(z.shape, [3, 0]);
    assert.equal(z.data.length, 0);
  });

  it('0-d and zero-size arrays', () => {
    const s = parseNpy(npyBytes('>f8', false, [], elementBytes('f8', [2.5], false)), FILE);
    assert.deepEqual(s.shape, []);
    same(s.data, [2.5]);
    const z = parseNpy(npyBytes('<f8', false, [0, 5], new Uint8Array(0)), FILE);
    assert.deepEqual(z.shape, [0, 5]);
    assert.equal(z.data.length, 0);
  });

  for (const version of [1, 2, 3]) {
    it(`format version ${version}.0`, () => {
      const a = parseNpy(npyBytes('<u2', false, [3], elementBytes('u2', [1, 2, 3], true), { version }), FILE);
      same(a.data, [1, 2, 3]);
      assert.deepEqual(readNpyHeader(npyBytes('<u2', false, [0], new Uint8Array(0), { version }), FILE).version, [version, 0]);
    });
  }

  it('version 3.0 UTF-8 header and unaligned data', () => {
    const hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}";
    const a = parseNpy(npyBytes('', false, [], elementBytes('f4', [1, 2], true), { version: 3, header: hdr, align: 1 }), FILE);
    same(a.data, [1, 2]);
  });

  it('tolerates header spellings NumPy writers have used', () => {
    const data = elementBytes('f8', [1, 2, 3, 4], true);
    for (const header of [
      '{"descr": "<f8", "fortran_order": False, "shape": (2, 2)}',
      "{'shape': (2L, 2L), 'fortran_order': False, 'descr': '<f8'}",
      "{ 'descr' : '<f8' ,\t'fortran_order':False,'shape':(2,2,) , }",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }",
    ]) {
      const a = parseNpy(npyBytes('', false, [], data, { header }), FILE);
      same(a.data, [1, 2, 3, 4]);
    }
  });

  it('ignores bytes after the data, like NumPy', () => {
    const b = npyBytes('<i1', false, [2], new Uint8Array([1, 2, 3, 4]));
    same(parseNpy(b, FILE).data, [1, 2]);
  });

  it('never aliases the input bytes', () => {
    for (const data of [new Float64Array([1, 2, 3]), new Float32Array([1, 2, 3])]) {
      const b = encodeNpy(data, [3]);
      const a = parseNpy(b, FILE);
      b.fill(0, 64);
      same(a.data, [1, 2, 3]);
      a.data[0] = 99;
      same(parseNpy(encodeNpy(data, [3]), FILE).data, [1, 2, 3]);
    }
  });

  it('accepts a subarray at an odd byte offset', () => {
    const inner = npyBytes('<f8', false, [2], elementBytes('f8', [1.25, -3], true));
    const outer = new Uint8Array(inner.length + 3);
    outer.set(inner, 3);
    same(parseNpy(outer.subarray(3), FILE).data, [1.25, -3]);
  });
});

describe('parseNpy refuses bad input with one-line InputErrors', () => {
  const good = npyBytes('<f4', false, [2, 2], elementBytes('f4', [1, 2, 3, 4], true));

  it('wrong magic', () => {
    assertInputError(() => parseNpy(new TextEncoder().encode('PK\x03\x04 this is a zip'), FILE), /not a \.npy file: wrong magic/);
    const b = good.slice();
    b[1] = 0x4f;
    assertInputError(() => parseNpy(b, FILE), /magic/);
    assertInputError(() => parseNpy(new Uint8Array(0), FILE), /empty file/);
  });

  it('too short for a header', () => {
    assertInputError(() => parseNpy(good.subarray(0, 4), FILE), /truncated/);
    assertInputError(() => parseNpy(good.subarray(0, 9), FILE), /truncated/);
    assertInputError(() => parseNpy(good.subarray(0, 40), FILE), /truncated: header length is 118 bytes but only 30 bytes follow/);
  });

  it('unsupported version', () => {
    assertInputError(() => parseNpy(npyBytes('<f4', false, [0], new Uint8Array(0), { version: 4 }), FILE), /unsupported \.npy format version 4\.0/);
    assertInputError(() => parseNpy(npyBytes('<f4', false, [0], new Uint8Array(0), { version: 1, minor: 1 }), FILE), /version 1\.1/);
  });

  for (const [descr, word] of [
    ['<c8', /unsupported dtype '<c8' \(complex\)/],
    ['<c16', /complex/],
    ['|O', /unsupported dtype '\|O' \(Python objects\)/],
    ['<U5', /unsupported dtype '<U5' \(strings\)/],
    ['|S3', /strings/],
    ['|V8', /void/],
    ['<M8[ns]', /unsupported dtype '<M8\[ns\]'/],
    ['<m8', /datetime/],
    ['<f16', /extended-precision/],
    ['<f3', /unsupported dtype '<f3'/],
    ['<i3', /unsupported dtype/],
    ['xyz', /unsupported dtype 'xyz'/],
    ['|b2', /unsupported dtype/],
  ] as const) {
    it(`dtype ${descr}`, () => {
      assertInputError(() => parseNpy(npyBytes(descr, false, [1], new Uint8Array(32)), FILE), word);
    });
  }

  it('structured dtype', () => {
    const header = "{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }";
    assertInputError(() => parseNpy(npyBytes('', false, [], new Uint8Array(16), { header }), FILE), /unsupported dtype: structured/);
  });

  for (const [header, word] of [
    ["{'descr': '<f4', 'fortran_order': False}", /malformed \.npy header: missing key 'shape'/],
    ["{'descr': '<f4', 'shape': (1,)}", /missing key 'fortran_order'/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}", /unexpected key 'extra'/],
    ["['descr', '<f4']", /malformed \.npy header: header is not a dict/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (1,)", /malformed \.npy header: expected ',' or '}'/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} junk", /malformed/],
    ["{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}", /malformed/],
    ["{'descr': 4, 'fortran_order': False, 'shape': (1,)}", /'descr' is 4, not a string/],
    ["{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}", /'fortran_order' is 0, not True or False/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': [1]}", /'shape' is \[1\], not a tuple/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", /dimensions must be non-negative integers/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,)}", /non-negative integers/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': ('a',)}", /non-negative integers/],
    ["{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}", /duplicate key/],
    ["{1: '<f4'}", /dict key is not a string/],
    ['', /malformed .*end of header/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': ((((((((((((((((((((((((((((((((((1,),),),),),),),),),),),),),),),),),),),),),),),),),),),),),),),),),)}", /nesting too deep/],
  ] as const) {
    it(`malformed header ${header.slice(0, 60)}`, () => {
      assertInputError(() => parseNpy(npyBytes('', false, [], new Uint8Array(64), { header }), FILE), word);
    });
  }

  it('invalid UTF-8 in a v3 header', () => {
    const b = npyBytes('', false, [], new Uint8Array(4), { version: 3, header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)}" });
    b[14] = 0xff;
    assertInputError(() => parseNpy(b, FILE), /not valid UTF-8/);
  });

  it('truncated data (exact message)', () => {
    const b = npyBytes('<f4', false, [1000, 20], new Uint8Array(4096));
    const e = assertInputError(() => parseNpy(b, FILE), /truncated/);
    assert.equal(e.message, `${FILE}: truncated: header says 1000x20 float32 (80000 bytes) but only 4096 data bytes follow`);
    assertInputError(() => parseNpy(npyBytes('>i8', true, [], new Uint8Array(7)), FILE), /header says scalar int64 \(8 bytes\) but only 7/);
    assertInputError(() => parseNpy(good.subarray(0, good.length - 1), FILE), /truncated: header says 2x2 float32 \(16 bytes\) but only 15/);
  });

  it('absurd shapes', () => {
    assertInputError(() => parseNpy(npyBytes('<f8', false, [2 ** 40, 2 ** 40], new Uint8Array(8)), FILE), /too large/);
    assertInputError(() => parseNpy(npyBytes('<f8', false, [2 ** 30, 2 ** 10], new Uint8Array(8)), FILE), /truncated/);
  });

  it('every truncation and single-byte corruption gives an InputError or a valid array', () => {
    const samples = [good, npyBytes('>f2', true, [3, 2], elementBytes('f2', [1, 2, 3, 4, 5, 6], false), { version: 2 })];
    for (const s of samples) {
      for (let len = 0; len < s.length; len++) {
        assert.throws(() => parseNpy(s.subarray(0, len), FILE), InputError);
      }
      for (let i = 0; i < s.length; i++) {
        for (const x of [0x00, 0x20, 0x27, 0x28, 0x7b, 0xff, s[i] ^ 0x01]) {
          const b = s.slice();
          b[i] = x;
          try {
            const a = parseNpy(b, FILE);
            assert.equal(a.data.length, a.shape.reduce((p, q) => p * q, 1));
          } catch (e) {
            assert.ok(e instanceof InputError, `byte ${i} = ${x}: ${String(e)}`);
          }
        }
      }
    }
  });
});
