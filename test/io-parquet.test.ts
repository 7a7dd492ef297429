import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'fflate';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { parseParquet } from '../src/io/parquet.js';
import { expectInputError, rows, tempDir } from './fixtures/inputs/helpers.js';

const tmp = tempDir('io-parquet');
after(() => tmp.cleanup());

async function read(path: string) {
  return parseParquet(new Uint8Array(readFileSync(path)), path, 'acts');
}

describe('parseParquet', () => {
  it('reads double, float, int32, int64 and boolean columns, grouping layer/ prefixes', async () => {
    const path = tmp.parquet('mixed.parquet', [
      { name: 'fc1/a', data: new Float64Array([1.5, -2.25, 3]), type: 'DOUBLE' },
      { name: 'x', data: new Float32Array([0.5, 1, 2]), type: 'FLOAT' },
      { name: 'fc1/b', data: [1n, -(2n ** 40n), 2n ** 53n + 1n], type: 'INT64' },
      { name: 'y', data: new Int32Array([-7, 0, 7]), type: 'INT32' },
      { name: 'fc2/flag', data: [true, false, true], type: 'BOOLEAN' },
    ]);
    const m = await read(path);
    assert.deepEqual([...m.keys()], ['fc1', 'acts', 'fc2']);
    const fc1 = m.get('fc1');
    assert.ok(fc1 !== undefined);
    assert.deepEqual(fc1.shape, [3, 2]);
    assert.deepEqual(rows(fc1.data, 3, 2), [
      [1.5, 1],
      [-2.25, -(2 ** 40)],
      [3, 2 ** 53],
    ]);
    const acts = m.get('acts');
    assert.ok(acts !== undefined);
    assert.deepEqual(rows(acts.data, 3, 2), [
      [0.5, -7],
      [1, 0],
      [2, 7],
    ]);
    assert.deepEqual(Array.from(m.get('fc2')?.data ?? []), [1, 0, 1]);
    assert.equal(m.get('fc2')?.dtype, '|b1');
  });

  it('turns nulls into NaN (int64 and double columns)', async () => {
    const path = tmp.parquet('nulls.parquet', [
      { name: 'l/a', data: [1n, null, 3n], type: 'INT64', nullable: true },
      { name: 'l/b', data: [null, 2.5, 3.5], type: 'DOUBLE', nullable: true },
    ]);
    const a = (await read(path)).get('l');
    assert.ok(a !== undefined);
    const got = rows(a.data, 3, 2);
    assert.equal(got[0][0], 1);
    assert.ok(Number.isNaN(got[1][0]));
    assert.ok(Number.isNaN(got[0][1]));
    assert.deepEqual(got[2], [3, 3.5]);
  });

  it('reads files with several row groups', async () => {
    const S = 1000;
    const a = Float64Array.from({ length: S }, (_, i) => i * 0.5);
    const b = Int32Array.from({ length: S }, (_, i) => 3 * i - 5);
    const path = tmp.parquet('groups.parquet', [
      { name: 'a', data: a, type: 'DOUBLE' },
      { name: 'b', data: b, type: 'INT32' },
    ], 128);
    const got = (await read(path)).get('acts');
    assert.ok(got !== undefined);
    assert.deepEqual(got.shape, [S, 2]);
    for (let i = 0; i < S; i++) {
      assert.equal(got.data[2 * i], i * 0.5);
      assert.equal(got.data[2 * i + 1], 3 * i - 5);
    }
  });

  it('reads GZIP-compressed and uncompressed column chunks', async () => {
    for (const codec of ['GZIP', 'UNCOMPRESSED'] as const) {
      const buf = parquetWriteBuffer({
        columnData: [{ name: 'v', data: new Float64Array([1, 2, 3]), type: 'DOUBLE' }],
        codec,
        compressors: { GZIP: (input: Uint8Array) => gzipSync(input) },
      });
      const path = tmp.write(`${codec}.parquet`, new Uint8Array(buf));
      assert.deepEqual(Array.from((await read(path)).get('acts')?.data ?? []), [1, 2, 3]);
    }
  });

  it('refuses a string column by name', async () => {
    const path = tmp.parquet('strings.parquet', [
      { name: 'fc1/a', data: new Float64Array([1, 2]), type: 'DOUBLE' },
      { name: 'label', data: ['cat', 'dog'], type: 'STRING' },
    ]);
    await expectInputError(() => read(path), path, /column 'label' holds STRING values, not numbers/);
  });

  it('refuses timestamps and nested columns', async () => {
    const ts = tmp.parquet('ts.parquet', [{ name: 'when', data: [new Date(0), new Date(1)], type: 'TIMESTAMP' }]);
    await expectInputError(() => read(ts), ts, /column 'when' holds TIMESTAMP/);
  });

  it('refuses files that are not Parquet or are truncated', async () => {
    const junk = tmp.write('junk.parquet', 'a,b\n1,2\n');
    await expectInputError(() => read(junk), junk, /not a Parquet file/);
    const empty = tmp.write('empty.parquet', '');
    await expectInputError(() => read(empty), empty, /empty file/);
    const good = readFileSync(tmp.parquet('ok.parquet', [{ name: 'v', data: new Float64Array([1, 2, 3]), type: 'DOUBLE' }]));
    const cut = tmp.write('cut.parquet', good.subarray(0, good.length - 10));
    await expectInputError(() => read(cut), cut, /truncated or corrupt/);
    const broken = new Uint8Array(good);
    broken.fill(0xff, 4, good.length - 8);
    const bad = tmp.write('broken.parquet', broken);
    await expectInputError(() => read(bad), bad, /corrupt|cannot read/);
  });
});
