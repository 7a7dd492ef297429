import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { layerToRowMajor, type ActivationSet } from '../src/core/activations/activation-set.js';
import { encodeNpy } from '../src/io/npy.js';
import { loadActivationFiles } from '../src/inputs/load-activations.js';
import { expectInputError, rows, tempDir } from './fixtures/inputs/helpers.js';

const tmp = tempDir('inputs-load');
after(() => tmp.cleanup());

function layerRows(set: ActivationSet, name: string): number[][] {
  const li = set.layers.findIndex((l) => l.name === name);
  assert.ok(li >= 0, `no layer '${name}' in ${set.layers.map((l) => l.name).join(', ')}`);
  return rows(layerToRowMajor(set, li), set.samples, set.layers[li].size);
}

describe('loadActivationFiles: formats', () => {
  it('reads CSV with layer prefixes, TSV, Parquet, JSON and .npy together (extensions in any case)', async () => {
    const csv = tmp.write('acts.CSV', 'fc1/0,fc1/1,fc2/0\r\n1,2,3\r\n4,5,6\r\n7,8,9\r\n');
    const tsv = tmp.write('probe.tsv', 'p\tq\n0.5\t-1\n"1.5"\t-2\n2.5\t-3\n');
    const pq = tmp.parquet('head.Parquet', [
      { name: 'head/a', data: [10n, 20n, 2n ** 40n], type: 'INT64' },
      { name: 'head/b', data: new Float32Array([0.25, 0.5, 0.75]), type: 'FLOAT' },
    ]);
    const js = tmp.write('extra.json', JSON.stringify({ layers: { emb: [[1, 1], [2, 2], [3, 3]], logit: [0, 1, 0] } }));
    const npy = tmp.write('resid.npy', encodeNpy(new Float64Array([9, 8, 7]), [3]));
    const info: string[] = [];
    const { set, inputs, dropped } = await loadActivationFiles([csv, tsv, pq, js, npy], { info: (m) => info.push(m) });
    assert.equal(dropped, 0);
    assert.deepEqual(info, []);
    assert.equal(set.samples, 3);
    assert.deepEqual(
      set.layers.map((l) => [l.name, l.size]),
      [
        ['fc1', 2],
        ['fc2', 1],
        ['probe', 2],
        ['head', 2],
        ['emb', 2],
        ['logit', 1],
        ['resid', 1],
      ],
    );
    assert.deepEqual(layerRows(set, 'fc1'), [
      [1, 2],
      [4, 5],
      [7, 8],
    ]);
    assert.deepEqual(layerRows(set, 'probe'), [
      [0.5, -1],
      [1.5, -2],
      [2.5, -3],
    ]);
    assert.deepEqual(layerRows(set, 'head'), [
      [10, 0.25],
      [20, 0.5],
      [2 ** 40, 0.75],
    ]);
    assert.deepEqual(layerRows(set, 'logit'), [[0], [1], [0]]);
    assert.equal(inputs.length, 5);
    assert.ok(inputs.every((r) => /^[0-9a-f]{64}$/.test(r.sha256) && r.bytes > 0));
  });

  it('renames a layer that another file already has, with a warning', async () => {
    const a = tmp.write('a.csv', 'l/x\n1\n2\n');
    const b = tmp.write('b.json', '{"layers": {"l": [3, 4]}}');
    const warn: string[] = [];
    const { set } = await loadActivationFiles([a, b], { warn: (m) => warn.push(m) });
    assert.deepEqual(
      set.layers.map((l) => l.name),
      ['l', 'b/l'],
    );
    assert.equal(warn.length, 1);
  });

  it('accepts constant neurons', async () => {
    const p = tmp.write('const.csv', 'a,b\n1,0\n1,2\n1,4\n');
    const { set } = await loadActivationFiles([p]);
    assert.deepEqual(layerRows(set, 'const'), [
      [1, 0],
      [1, 2],
      [1, 4],
    ]);
  });
});

describe('loadActivationFiles: bad input', () => {
  it('missing file', async () => {
    const p = tmp.path('nope.csv');
    await expectInputError(() => loadActivationFiles([p]), p, /no such file/);
  });

  it('wrong extension', async () => {
    const p = tmp.write('acts.txt', '1,2\n');
    await expectInputError(() => loadActivationFiles([p]), p, /unsupported file type '\.txt' \(supported: .*\.csv, \.tsv, \.parquet, \.json/);
    const q = tmp.write('noext', '1,2\n');
    await expectInputError(() => loadActivationFiles([q]), q, /unsupported file type '\(none\)'/);
  });

  it('non-numeric CSV cell names row and column', async () => {
    const p = tmp.write('bad.csv', 'fc1/a,fc1/b\n1,2\n3,oops\n');
    await expectInputError(() => loadActivationFiles([p]), p, /row 3 \(example 1\), column 'fc1\/b': "oops" is not a number/);
  });

  it('ragged CSV', async () => {
    const p = tmp.write('ragged.csv', 'a,b\n1,2\n3\n');
    await expectInputError(() => loadActivationFiles([p]), p, /row 3 has 1 field but the header has 2 columns/);
  });

  it('malformed JSON', async () => {
    const p = tmp.write('bad.json', '{"layers": {"l": [1, 2}}');
    await expectInputError(() => loadActivationFiles([p]), p, /malformed JSON at line 1, column 23/);
  });

  it('string Parquet column', async () => {
    const p = tmp.parquet('strings.parquet', [
      { name: 'a', data: new Float64Array([1, 2]), type: 'DOUBLE' },
      { name: 'token', data: ['a', 'b'], type: 'STRING' },
    ]);
    await expectInputError(() => loadActivationFiles([p]), p, /column 'token' holds STRING values/);
  });

  it('S differing between layers across files names both files and layers', async () => {
    const a = tmp.write('three.csv', 'x\n1\n2\n3\n');
    const b = tmp.write('two.json', '{"layers": {"y": [1, 2]}}');
    const e = await expectInputError(() => loadActivationFiles([a, b]), b, /layer 'y' has 2 examples but layer 'three' \(.*three\.csv\) has 3/);
    assert.ok(e.message.includes('two.json'));
    // The check comes before NaN handling.
    await expectInputError(() => loadActivationFiles([a, b], { nan: 'drop-examples' }), b, /has 2 examples/);
  });

  it('S differing between layers of one file', async () => {
    const p = tmp.write('uneven.json', '{"layers": {"a": [1, 2, 3], "b": [[1], [2]]}}');
    await expectInputError(() => loadActivationFiles([p]), p, /layer 'b' has 2 examples but layer 'a' .* has 3/);
  });

  it('a layer with no neurons or no examples', async () => {
    const noNeurons = tmp.write('noneurons.json', '{"layers": {"l": [[], []]}}');
    await expectInputError(() => loadActivationFiles([noNeurons]), noNeurons, /'l' has no neurons/);
    const noExamples = tmp.write('header-only.csv', 'a,b\n');
    await expectInputError(() => loadActivationFiles([noExamples]), noExamples, /'header-only' has no examples/);
    const emptyJson = tmp.write('emptylayer.json', '{"layers": {"l": []}}');
    await expectInputError(() => loadActivationFiles([emptyJson]), emptyJson, /'l' has no examples/);
    const noLayers = tmp.write('nolayers.json', '{"layers": {}}');
    await expectInputError(() => loadActivationFiles([noLayers]), noLayers, /holds no arrays/);
  });

  it('empty CSV / Parquet-named junk', async () => {
    const e = tmp.write('empty.csv', '');
    await expectInputError(() => loadActivationFiles([e]), e, /empty file/);
    const j = tmp.write('junk.parquet', 'not parquet');
    await expectInputError(() => loadActivationFiles([j]), j, /not a Parquet file/);
  });
});

describe('loadActivationFiles: NaN policy', () => {
  const nanCsv = (): string => tmp.write('nan.csv', 'fc1/a,fc1/b\n1,2\n3,nan\n5,6\n7,8\n');

  it('refuses NaN by default, naming file, layer, example and neuron, suggesting --nan drop-examples', async () => {
    const p = nanCsv();
    await expectInputError(() => loadActivationFiles([p]), p, /'fc1' holds NaN at example 1, neuron 1 .*--nan drop-examples/);
    await expectInputError(() => loadActivationFiles([p], { nan: 'refuse' }), p, /NaN at example 1/);
    const pq = tmp.parquet('inf.parquet', [{ name: 'v', data: new Float64Array([1, -Infinity]), type: 'DOUBLE' }]);
    await expectInputError(() => loadActivationFiles([pq]), pq, /'inf' holds -Infinity at example 1, neuron 0/);
  });

  it('drops examples with NaN/Inf in any layer of any file, and reports the count', async () => {
    const a = nanCsv(); // NaN at example 1
    const b = tmp.parquet('b.parquet', [
      { name: 'p/x', data: [1n, 2n, 3n, null], type: 'INT64', nullable: true }, // null (NaN) at example 3
      { name: 'p/y', data: new Float64Array([0.1, 0.2, 0.3, 0.4]), type: 'DOUBLE' },
    ]);
    const c = tmp.write('c.json', '{"layers": {"j": [[1, Infinity], [2, 2], [3, 3], [4, 4]]}}'); // Inf at example 0
    const info: string[] = [];
    const { set, dropped } = await loadActivationFiles([a, b, c], { nan: 'drop-examples', info: (m) => info.push(m) });
    assert.equal(dropped, 3);
    assert.equal(set.samples, 1);
    assert.deepEqual(layerRows(set, 'fc1'), [[5, 6]]);
    assert.deepEqual(layerRows(set, 'p'), [[3, 0.3]]);
    assert.deepEqual(layerRows(set, 'j'), [[3, 3]]);
    assert.equal(info.length, 1);
    assert.match(info[0], /^dropped 3 of 4 examples with NaN\/Inf \(first: example 0 in .*c\.json layer 'j'\)$/);
  });

  it('drops nothing (and says nothing) when all values are finite', async () => {
    const p = tmp.write('fine.csv', 'a\n1\n2\n');
    const info: string[] = [];
    const r = await loadActivationFiles([p], { nan: 'drop-examples', info: (m) => info.push(m) });
    assert.equal(r.dropped, 0);
    assert.equal(r.set.samples, 2);
    assert.deepEqual(info, []);
  });

  it('drops from .npy too, with the example index in the message', async () => {
    const data = new Float64Array(20).map((_, i) => i);
    data[17] = NaN;
    const p = tmp.write('acts.npy', encodeNpy(data, [20, 1]));
    const info: string[] = [];
    const r = await loadActivationFiles([p], { nan: 'drop-examples', info: (m) => info.push(m) });
    assert.equal(r.dropped, 1);
    assert.equal(r.set.samples, 19);
    assert.match(info[0], /dropped 1 of 20 examples with NaN\/Inf \(first: example 17 in .*acts\.npy layer 'acts'\)/);
  });

  it('errors when every example would be dropped', async () => {
    const p = tmp.write('allnan.csv', 'a,b\nnan,1\n2,inf\n');
    await expectInputError(() => loadActivationFiles([p], { nan: 'drop-examples' }), p, /every one of the 2 examples has NaN\/Inf/);
  });

  it('rejects an unknown policy', async () => {
    const p = tmp.write('ok.csv', 'a\n1\n');
    await assert.rejects(() => loadActivationFiles([p], { nan: 'ignore' as never }), RangeError);
  });
});
