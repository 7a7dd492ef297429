import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../src/io/errors.js';
import { parseSafetensors } from '../src/io/safetensors.js';
import { elementBytes, safetensorsBytes, type Code, type StTensor } from './fixtures/io/builders.js';

const FILE = 'model/acts.safetensors';

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

function t(dtype: string, code: Code, shape: number[], values: Array<number | bigint>): StTensor {
  return { dtype, shape, data: elementBytes(code, values, true) };
}

describe('parseSafetensors dtypes', () => {
  const cases: Array<[string, Code, Array<number | bigint>, number[], string]> = [
    ['F16', 'f2', [0x3c00, 0x0001, 0x7c00, 0xc000], [1, 2 ** -24, Infinity, -2], '<f2'],
    ['BF16', 'bf2', [0x3f80, 0xc000, 0x7f80, 0x0001], [1, -2, Infinity, 2 ** -133], 'bfloat16'],
    ['F32', 'f4', [1.5, -0.1, 1e-45, 3e38], [1.5, Math.fround(-0.1), Math.fround(1e-45), Math.fround(3e38)], '<f4'],
    ['F64', 'f8', [Math.E, -1e-300, 0, 1e308], [Math.E, -1e-300, 0, 1e308], '<f8'],
    ['I8', 'i1', [-128, -1, 0, 127], [-128, -1, 0, 127], '|i1'],
    ['I16', 'i2', [-32768, -1, 0, 32767], [-32768, -1, 0, 32767], '<i2'],
    ['I32', 'i4', [-(2 ** 31), -1, 0, 2 ** 31 - 1], [-(2 ** 31), -1, 0, 2 ** 31 - 1], '<i4'],
    ['I64', 'i8', [-(2n ** 63n), -1n, 2n ** 53n + 1n, 2n ** 63n - 1n], [-(2 ** 63), -1, 2 ** 53, 2 ** 63], '<i8'],
    ['U8', 'u1', [0, 1, 128, 255], [0, 1, 128, 255], '|u1'],
    ['U16', 'u2', [0, 1, 32768, 65535], [0, 1, 32768, 65535], '<u2'],
    ['U32', 'u4', [0, 1, 2 ** 31, 2 ** 32 - 1], [0, 1, 2 ** 31, 2 ** 32 - 1], '<u4'],
    ['U64', 'u8', [0n, 1n, 2n ** 32n, 2n ** 64n - 1n], [0, 1, 2 ** 32, 2 ** 64], '<u8'],
    ['BOOL', 'b1', [0, 1, 1, 0], [0, 1, 1, 0], '|b1'],
  ];
  for (const [dtype, code, values, expected, npDtype] of cases) {
    it(dtype, () => {
      const got = parseSafetensors(safetensorsBytes([['x', t(dtype, code, [2, 2], values)]]), FILE);
      const a = got.get('x');
      assert.ok(a !== undefined);
      assert.deepEqual(a.shape, [2, 2]);
      assert.equal(a.dtype, npDtype);
      assert.deepEqual(Array.from(a.data), expected);
    });
  }

  it('all dtypes in one file, NaN patterns, metadata ignored', () => {
    const tensors: Array<[string, StTensor]> = cases.map(([dtype, code, values]) => [dtype.toLowerCase(), t(dtype, code, [4], values)]);
    tensors.push(['nan16', t('F16', 'f2', [2], [0x7e00, 0xfe01])], ['nanbf', t('BF16', 'bf2', [1], [0x7fc0])]);
    const got = parseSafetensors(safetensorsBytes(tensors, { metadata: { format: 'pt' } }), FILE);
    assert.equal(got.size, cases.length + 2);
    assert.ok(!got.has('__metadata__'));
    assert.ok(Number.isNaN(got.get('nan16')?.data[0]) && Number.isNaN(got.get('nan16')?.data[1]));
    assert.ok(Number.isNaN(got.get('nanbf')?.data[0]));
  });
});

describe('parseSafetensors layout', () => {
  it('orders tensors by data offset, not header order', () => {
    const bytes = safetensorsBytes(
      [
        ['b', t('F32', 'f4', [2], [1, 2])],
        ['10', t('F32', 'f4', [1], [3])],
        ['a', t('I8', 'i1', [3], [4, 5, 6])],
      ],
      { layout: ['a', 'b', '10'] },
    );
    const got = parseSafetensors(bytes, FILE);
    assert.deepEqual([...got.keys()], ['a', 'b', '10']);
    assert.deepEqual(Array.from(got.get('b')?.data ?? []), [1, 2]);
    assert.deepEqual(Array.from(got.get('10')?.data ?? []), [3]);
  });

  it('0-d, zero-size and unaligned tensors', () => {
    const got = parseSafetensors(
      safetensorsBytes(
        [
          ['byte', t('U8', 'u1', [1], [9])],
          ['s', t('F64', 'f8', [], [2.5])],
          ['z', t('F32', 'f4', [0, 4], [])],
          ['m', t('F32', 'f4', [2, 1], [7, 8])],
        ],
        { headerPad: 3 },
      ),
      FILE,
    );
    assert.deepEqual([...got.keys()], ['byte', 's', 'z', 'm']);
    assert.deepEqual(got.get('s')?.shape, []);
    assert.deepEqual(Array.from(got.get('s')?.data ?? []), [2.5]);
    assert.deepEqual(got.get('z')?.shape, [0, 4]);
    assert.equal(got.get('z')?.data.length, 0);
    assert.deepEqual(Array.from(got.get('m')?.data ?? []), [7, 8]);
  });

  it('empty header {} with no data', () => {
    assert.equal(parseSafetensors(safetensorsBytes([]), FILE).size, 0);
  });
});

describe('parseSafetensors refuses bad input', () => {
  const one = (over: Record<string, unknown>, extra: Partial<Parameters<typeof safetensorsBytes>[1]> = {}): Uint8Array =>
    safetensorsBytes([['w', t('F32', 'f4', [2, 3], [1, 2, 3, 4, 5, 6])]], { override: { w: over }, ...extra });

  for (const dtype of ['F8_E4M3', 'F8_E5M2', 'C64', 'STR', 'f32']) {
    it(`unsupported dtype ${dtype} is named`, () => {
      assertInputError(() => parseSafetensors(one({ dtype }), FILE), new RegExp(`tensor 'w': unsupported dtype '${dtype}'`));
    });
  }

  it('offsets out of range', () => {
    assertInputError(() => parseSafetensors(one({ data_offsets: [0, 48] }), FILE), /tensor 'w': data_offsets \[0, 48\] out of range: the data buffer has 24 bytes/);
    assertInputError(() => parseSafetensors(one({ data_offsets: [8, 4] }), FILE), /reversed/);
    assertInputError(() => parseSafetensors(one({ data_offsets: [0, -24] }), FILE), /'data_offsets' must be \[begin, end\]/);
    assertInputError(() => parseSafetensors(one({ data_offsets: [0] }), FILE), /data_offsets/);
  });

  it('byte length differs from shape x itemsize', () => {
    assertInputError(() => parseSafetensors(one({ shape: [2, 2] }), FILE), /tensor 'w': byte length 24 does not match shape 2x2 float32 \(16 bytes\)/);
    assertInputError(() => parseSafetensors(one({ dtype: 'F64' }), FILE), /does not match shape 2x3 float64 \(48 bytes\)/);
  });

  it('bad shapes and entries', () => {
    assertInputError(() => parseSafetensors(one({ shape: [-1, 3] }), FILE), /'shape' must be a list of non-negative integers/);
    assertInputError(() => parseSafetensors(one({ shape: '2x3' }), FILE), /'shape'/);
    assertInputError(() => parseSafetensors(one({ dtype: 5 }), FILE), /missing 'dtype'/);
    const notObj = safetensorsBytes([]);
    const txt = new TextEncoder().encode('{"w":[1,2]}');
    const b = new Uint8Array(8 + txt.length);
    new DataView(b.buffer).setUint32(0, txt.length, true);
    b.set(txt, 8);
    assertInputError(() => parseSafetensors(b, FILE), /tensor 'w': malformed header entry/);
    assert.equal(parseSafetensors(notObj, FILE).size, 0);
  });

  it('header length beyond the file', () => {
    const b = one({});
    assertInputError(() => parseSafetensors(b.subarray(0, 30), FILE), /truncated or not a safetensors file: header length \d+ exceeds the 22 bytes/);
    const huge = b.slice();
    huge[7] = 1; // 2^56 + ...
    assertInputError(() => parseSafetensors(huge, FILE), /header length/);
    assertInputError(() => parseSafetensors(new Uint8Array(5), FILE), /truncated/);
    assertInputError(() => parseSafetensors(new Uint8Array(0), FILE), /empty file/);
  });

  it('truncated data', () => {
    const b = one({});
    assertInputError(() => parseSafetensors(b.subarray(0, b.length - 4), FILE), /out of range.*truncated/);
  });

  it('invalid JSON / not an object / bad metadata', () => {
    const mk = (s: string): Uint8Array => {
      const txt = new TextEncoder().encode(s);
      const b = new Uint8Array(8 + txt.length);
      new DataView(b.buffer).setUint32(0, txt.length, true);
      b.set(txt, 8);
      return b;
    };
    assertInputError(() => parseSafetensors(mk('{"a": '), FILE), /malformed safetensors header/);
    assertInputError(() => parseSafetensors(mk('[1, 2]'), FILE), /malformed safetensors header: not a JSON object/);
    assertInputError(() => parseSafetensors(mk('{"__metadata__": 3}'), FILE), /'__metadata__' is not an object/);
    const bad = mk('{"a": 1}');
    bad[10] = 0xff;
    assertInputError(() => parseSafetensors(bad, FILE), /malformed safetensors header/);
  });

  it('overlaps, gaps and leftover bytes', () => {
    const two = (o: Record<string, Record<string, unknown>>, trailing?: Uint8Array): Uint8Array =>
      safetensorsBytes(
        [
          ['a', t('F32', 'f4', [2], [1, 2])],
          ['b', t('F32', 'f4', [2], [3, 4])],
        ],
        { override: o, trailing },
      );
    assertInputError(() => parseSafetensors(two({ b: { data_offsets: [4, 12] } }), FILE), /tensor 'b': data_offsets \[4, 12\] overlap another tensor/);
    assertInputError(() => parseSafetensors(two({ a: { data_offsets: [4, 12] }, b: { data_offsets: [12, 20] } }, new Uint8Array(4)), FILE), /tensor 'a': gap in data buffer before offset 4/);
    assertInputError(() => parseSafetensors(two({}, new Uint8Array(4)), FILE), /inconsistent: tensors cover 16 of the 20 data bytes/);
  });

  it('every truncation and many single-byte corruptions give InputError or a valid map', () => {
    const s = safetensorsBytes([
      ['a', t('BF16', 'bf2', [3], [1, 2, 3])],
      ['b', t('I64', 'i8', [1], [5n])],
    ]);
    for (let len = 0; len < s.length; len++) assert.throws(() => parseSafetensors(s.subarray(0, len), FILE), InputError);
    for (let i = 0; i < s.length; i++) {
      for (const x of [0x00, 0x20, 0x22, 0x2c, 0x30, 0x7d, 0xff, s[i] ^ 0x01]) {
        const b = s.slice();
        b[i] = x;
        try {
          parseSafetensors(b, FILE);
        } catch (e) {
          assert.ok(e instanceof InputError, `byte ${i}=${x}: ${String(e)}`);
        }
      }
    }
  });
});
