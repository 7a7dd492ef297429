import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseActivationJson } from '../src/io/json.js';
import { expectInputError, rows } from './fixtures/inputs/helpers.js';

const FILE = 'out/acts.json';
const json = (text: string) => parseActivationJson(new TextEncoder().encode(text), FILE);

describe('parseActivationJson', () => {
  it('reads S x N layers in key order, and flat arrays as one neuron', () => {
    const m = json('{"meta": {"model": "x"}, "layers": {"fc1": [[1, 2, 3], [4, 5.5, -6e-1]], "logit": [0.5, -1]}}');
    assert.deepEqual([...m.keys()], ['fc1', 'logit']);
    const fc1 = m.get('fc1');
    assert.ok(fc1 !== undefined);
    assert.deepEqual(fc1.shape, [2, 3]);
    assert.deepEqual(rows(fc1.data, 2, 3), [
      [1, 2, 3],
      [4, 5.5, -0.6],
    ]);
    assert.deepEqual(m.get('logit')?.shape, [2, 1]);
    assert.deepEqual(Array.from(m.get('logit')?.data ?? []), [0.5, -1]);
  });

  it('turns null into NaN and accepts NaN/Infinity as Python writes them', () => {
    const a = json('{"layers": {"l": [[1, null], [NaN, Infinity], [-Infinity, 2]]}}').get('l');
    assert.ok(a !== undefined);
    const d = Array.from(a.data);
    assert.ok(Number.isNaN(d[1]) && Number.isNaN(d[2]));
    assert.deepEqual([d[0], d[3], d[4], d[5]], [1, Infinity, -Infinity, 2]);
  });

  it('accepts a BOM, and a layer named __proto__', () => {
    const m = json('\ufeff{"layers": {"__proto__": [1, 2]}}');
    assert.deepEqual([...m.keys()], ['__proto__']);
    const m2 = json('{"layers": {"__proto__": [1, NaN]}}');
    assert.deepEqual([...m2.keys()], ['__proto__']);
  });

  it('reports malformed JSON with its position', async () => {
    await expectInputError(() => json('{"layers": {"l": [[1, 2], [3, 4]}}'), FILE, /malformed JSON at line 1, column 33 \(character 32\): expected ',' or '\]'/);
    await expectInputError(() => json('{"layers":\n  {"l": [1, 2,]}}'), FILE, /malformed JSON at line 2, column 15/);
    await expectInputError(() => json('{"layers": {"l": [1, 2]}'), FILE, /malformed JSON at .*end of input/);
    await expectInputError(() => json('{"layers": {"l": [1, 2]}} x'), FILE, /malformed JSON .*after the JSON value/);
    await expectInputError(() => json("{'layers': 1}"), FILE, /malformed JSON at line 1, column 2/);
    await expectInputError(() => json('{"layers": {"l": [1, "2\n"]}}'), FILE, /malformed JSON .*control character/);
  });

  it('refuses a missing or wrong "layers", ragged rows and non-numbers', async () => {
    await expectInputError(() => json(''), FILE, /empty file/);
    await expectInputError(() => json('[1, 2]'), FILE, /expected a JSON object/);
    await expectInputError(() => json('{"fc1": [[1]]}'), FILE, /missing "layers"/);
    await expectInputError(() => json('{"layers": [[1]]}'), FILE, /"layers" must be an object/);
    await expectInputError(() => json('{"layers": {"l": 3}}'), FILE, /layer 'l': expected an array of rows/);
    await expectInputError(() => json('{"layers": {"l": [[1, 2], [3]]}}'), FILE, /layer 'l': ragged rows: example 1 has 1 values but example 0 has 2/);
    await expectInputError(() => json('{"layers": {"l": [[1, 2], 3]}}'), FILE, /layer 'l': example 1 is number 3, not an array/);
    await expectInputError(() => json('{"layers": {"l": [1, [2]]}}'), FILE, /layer 'l': example 1 is an array but example 0 is a number/);
    await expectInputError(() => json('{"layers": {"l": [[1, "2"]]}}'), FILE, /layer 'l': example 0, neuron 1: expected a number, got a string "2"/);
    await expectInputError(() => json('{"layers": {"l": [true]}}'), FILE, /layer 'l': example 0: expected a number, got boolean true/);
    await expectInputError(() => parseActivationJson(new Uint8Array([0x7b, 0xff, 0x7d]), FILE), FILE, /not valid UTF-8/);
  });
});
