import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDelimited } from '../src/io/csv.js';
import { ByteNumberParser, NOT_A_NUMBER, parseNumberText } from '../src/io/numparse.js';
import { expectInputError, lcg, rows } from './fixtures/inputs/helpers.js';

const FILE = 'runs/acts.csv';
const enc = new TextEncoder();

function csv(text: string, delimiter: ',' | '\t' = ',', file = FILE) {
  return parseDelimited(enc.encode(text), file, { delimiter, layerName: 'acts' });
}

function layer(m: Map<string, { shape: number[]; data: Float64Array }>, name: string): number[][] {
  const a = m.get(name);
  assert.ok(a !== undefined, `no layer '${name}' in ${[...m.keys()].join(', ')}`);
  return rows(a.data, a.shape[0], a.shape[1]);
}

describe('number parsing', () => {
  const num = (s: string): number | typeof NOT_A_NUMBER => new ByteNumberParser(enc.encode(s)).parse(0, s.length);

  it('matches Number() on plain decimals, including long mantissas and large exponents', () => {
    const cases = [
      '0', '-0', '1', '+2', '1.5', '-0.25', '.5', '5.', '1e3', '1E-3', '-1.25e+2', '123456789012345', '1234567890123456789',
      '0.1', '0.30000000000000004', '3.141592653589793', '-1.9999686945229622e-05', '1.000000000000000000e+00', '1e22', '1e23',
      '1e-22', '1e-23', '4.9e-324', '1.7976931348623157e308', '1e400', '000123.4500', '0.000000000000000000001234',
    ];
    for (const s of cases) assert.ok(Object.is(num(s), Number(s)), `${s}: got ${String(num(s))}, want ${Number(s)}`);
    const r = lcg(3);
    const rnd = (): number => (r() + 2) / 4;
    for (let i = 0; i < 2000; i++) {
      const v = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 20 - 10);
      for (const s of [String(v), v.toExponential(18), v.toPrecision(7), v.toFixed(6)]) assert.ok(Object.is(num(s), Number(s)), s);
    }
  });

  it('accepts nan/inf spellings and refuses other text', () => {
    for (const s of ['nan', 'NaN', 'NAN', '-nan']) assert.ok(Number.isNaN(num(s)), s);
    for (const s of ['inf', 'Inf', 'Infinity', '+inf', 'INFINITY']) assert.equal(num(s), Infinity, s);
    for (const s of ['-inf', '-Infinity']) assert.equal(num(s), -Infinity, s);
    assert.equal(num(' 1.5 '), 1.5);
    for (const s of ['', ' ', 'abc', '0x10', '1_000', '1e', '1e+', '.', '-', '1.2.3', '1,5', 'infinit', 'true']) {
      assert.equal(num(s), NOT_A_NUMBER, JSON.stringify(s));
    }
    assert.equal(parseNumberText('"1"'), NOT_A_NUMBER);
  });
});

describe('parseDelimited', () => {
  it('reads a plain CSV as one layer named after the file', () => {
    const m = csv('a,b,c\n1,2,3\n4.5,-6,7e-1\n');
    assert.deepEqual([...m.keys()], ['acts']);
    assert.deepEqual(m.get('acts')?.shape, [2, 3]);
    assert.deepEqual(layer(m, 'acts'), [
      [1, 2, 3],
      [4.5, -6, 0.7],
    ]);
  });

  it('handles quoted fields, "" escapes, delimiters and line breaks inside quotes, CRLF, no final newline', () => {
    const text = '"a, the first","b ""quoted""","c\r\nmultiline"\r\n"1",2,"3.5"\r\n4,"-5",6';
    const m = csv(text);
    assert.deepEqual(layer(m, 'acts'), [
      [1, 2, 3.5],
      [4, -5, 6],
    ]);
  });

  it('accepts a UTF-8 BOM, lone CR line ends, trailing blank lines and non-ASCII names', () => {
    const m = csv('\ufeffé/x,é/y\r1,2\r3,4\r\n\n\n');
    assert.deepEqual([...m.keys()], ['é']);
    assert.deepEqual(layer(m, 'é'), [
      [1, 2],
      [3, 4],
    ]);
  });

  it('groups layer/neuron columns by the part before the last /, in order of first appearance', () => {
    const m = csv('fc2/0,fc1/0,fc2/1,plain,model/blk.1/attn/3,fc1/1\n1,2,3,4,5,6\n7,8,9,10,11,12\n');
    assert.deepEqual([...m.keys()], ['fc2', 'fc1', 'acts', 'model/blk.1/attn']);
    assert.deepEqual(layer(m, 'fc2'), [
      [1, 3],
      [7, 9],
    ]);
    assert.deepEqual(layer(m, 'fc1'), [
      [2, 6],
      [8, 12],
    ]);
    assert.deepEqual(layer(m, 'acts'), [[4], [10]]);
    assert.deepEqual(layer(m, 'model/blk.1/attn'), [[5], [11]]);
  });

  it('reads TSV (commas are then ordinary characters, so quoted or not)', () => {
    const m = csv('l/a\tl/b\n1\t2\n"3"\t4\n', '\t', 'x.tsv');
    assert.deepEqual(layer(m, 'l'), [
      [1, 2],
      [3, 4],
    ]);
  });

  it('keeps nan/inf as numbers', () => {
    const a = csv('a,b,c,d,e\nnan,NaN,inf,-inf,Infinity\n').get('acts');
    assert.ok(a !== undefined);
    assert.ok(Number.isNaN(a.data[0]) && Number.isNaN(a.data[1]));
    assert.deepEqual(Array.from(a.data.subarray(2)), [Infinity, -Infinity, Infinity]);
  });

  it('reads a header-only file as zero examples (the loader refuses it)', () => {
    assert.deepEqual(csv('a,b\n').get('acts')?.shape, [0, 2]);
  });

  it('names the row (header = row 1) and the column of a non-numeric cell', async () => {
    const e = await expectInputError(() => csv('fc1/a,fc1/b\n1,2\n3,abc\n'), FILE, /row 3 \(example 1\), column 'fc1\/b': "abc" is not a number/);
    assert.equal(e.problem.includes('\n'), false);
    await expectInputError(() => csv('a,b\n1,\n'), FILE, /row 2 \(example 0\), column 'b': empty cell/);
    await expectInputError(() => csv('a,b\n1,2\n"x",2\n'), FILE, /row 3 .*column 'a': "x" is not a number/);
    await expectInputError(() => csv('a\n1\n2\nfoo bar\r\nbaz\n'), FILE, /row 4 .*"foo bar"/);
  });

  it('refuses ragged rows', async () => {
    await expectInputError(() => csv('a,b,c\n1,2,3\n4,5\n'), FILE, /row 3 has 2 fields but the header has 3 columns/);
    await expectInputError(() => csv('a,b\n1,2,3\n'), FILE, /row 2 has more than the 2 fields/);
    await expectInputError(() => csv('a,b\n1,2,\n'), FILE, /row 2 has more than the 2 fields/);
  });

  it('refuses empty files and headers, blank rows, bad quoting, empty or duplicate column names', async () => {
    await expectInputError(() => csv(''), FILE, /empty file/);
    await expectInputError(() => csv('\ufeff'), FILE, /empty file/);
    await expectInputError(() => csv('\n1,2\n'), FILE, /empty first row/);
    await expectInputError(() => csv('a,b\n1,2\n\n3,4\n'), FILE, /row 3 is blank/);
    await expectInputError(() => csv('a,b\n1,"2\n'), FILE, /unterminated quoted field/);
    await expectInputError(() => csv('a,b\n1,"2"x\n'), FILE, /row 2, column 'b': unexpected text after a closing quote/);
    await expectInputError(() => csv(',a,b\n0,1,2\n'), FILE, /column 1 has an empty name.*index/);
    await expectInputError(() => csv('a,b,a\n1,2,3\n'), FILE, /duplicate column name 'a' \(columns 1 and 3\)/);
    await expectInputError(() => csv('/a\n1\n'), FILE, /empty layer name/);
  });

  it('grows its buffer when the first line underestimates the row count', () => {
    const lines = ['a,b', '1,2'];
    for (let i = 0; i < 500; i++) lines.push(`${i},${-i}`);
    const a = csv(lines.join('\n')).get('acts');
    assert.ok(a !== undefined);
    assert.deepEqual(a.shape, [501, 2]);
    assert.equal(a.data.length, 1002);
    assert.deepEqual(Array.from(a.data.subarray(1000)), [499, -499]);
  });
});

describe('CSV without a header (np.savetxt)', () => {
  // np.savetxt('x.csv', np.arange(6).reshape(3, 2), delimiter=',') writes exactly this: no header.
  const savetxt = '0.000000000000000000e+00,1.000000000000000000e+00\n2.000000000000000000e+00,3.000000000000000000e+00\n4.000000000000000000e+00,5.000000000000000000e+00\n';

  it('a first row of numbers is data: every row is kept', () => {
    const m = csv(savetxt);
    assert.deepEqual([...m.keys()], ['acts']);
    assert.deepEqual(layer(m, 'acts'), [[0, 1], [2, 3], [4, 5]]);
  });

  it('keeps every row when a row repeats the first one (no "duplicate column name")', () => {
    const m = csv('1,1,2\n1,1,2\n3,4,5\n');
    assert.deepEqual(layer(m, 'acts'), [[1, 1, 2], [1, 1, 2], [3, 4, 5]]);
  });

  it('header: first reads the first row as names; header: none as data', () => {
    const names = parseDelimited(enc.encode('1,2\n3,4\n'), FILE, { layerName: 'acts', header: 'first' });
    assert.deepEqual(layer(names, 'acts'), [[3, 4]]);
    const none = parseDelimited(enc.encode('1,2\n3,4\n'), FILE, { layerName: 'acts', header: 'none' });
    assert.deepEqual(layer(none, 'acts'), [[1, 2], [3, 4]]);
  });

  it('header: none on a text first row names the row and column of the bad cell', async () => {
    await expectInputError(() => parseDelimited(enc.encode('a,b\n3,4\n'), FILE, { layerName: 'acts', header: 'none' }), FILE, /row 1 \(example 0\), column '0': "a" is not a number/);
  });

  it('a first row with any text cell is a header; errors in data rows count the header as row 1', async () => {
    const m = csv('fc1/0,fc1/1\n1,2\n');
    assert.deepEqual(layer(m, 'fc1'), [[1, 2]]);
    await expectInputError(() => csv('x,y\n1,2\n3,oops\n'), FILE, /row 3 \(example 1\), column 'y'/);
    await expectInputError(() => csv('1,2\n3,oops\n'), FILE, /row 2 \(example 1\), column '1'/);
  });
});
