/**
 * Streaming .npy / .npz into the activation set: the same values as parsing the whole file (every
 * layout: C and Fortran order, rank 1-4, token reductions, stored and deflated members, several
 * chunks), float32 kept as float32, the file's SHA-256, NaN handling, progress and cancellation.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { layerToRowMajor, type ActivationSet } from '../src/core/activations/activation-set.js';
import { AbortError } from '../src/engine/progress.js';
import { encodeNpy, parseNpy } from '../src/io/npy.js';
import { encodeNpz } from '../src/io/npz.js';
import { loadActivationFiles } from '../src/inputs/load-activations.js';
import { arrayToLayer } from '../src/inputs/to-layer.js';
import { expectInputError, tempDir } from './fixtures/inputs/helpers.js';
import { elementBytes, npyBytes } from './fixtures/io/builders.js';
import { fixturePath } from './helpers/fixtures.js';

const tmp = tempDir('inputs-stream');
after(() => tmp.cleanup());

function ramp(n: number, f32: boolean): Float32Array | Float64Array {
  const a = f32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(i * 0.731) * 5 + (i % 13) - (f32 ? 0 : 1 / 3);
  return a;
}

/** The layer `name` of `set` as row-major values. */
function layer(set: ActivationSet, name: string): Float64Array {
  const li = set.layers.findIndex((l) => l.name === name);
  assert.ok(li >= 0, `no layer ${name}`);
  return layerToRowMajor(set, li);
}

/** What parsing the whole file gives (the reference for the streamed values). */
function whole(path: string, token: 'first' | 'last' | 'mean' = 'first'): Float64Array {
  const a = parseNpy(readFileSync(path), path);
  return Float64Array.from(arrayToLayer(a, 'x', path, { token }).data);
}

describe('streaming .npy into the set', () => {
  it('a float32 file larger than one chunk: float32 set, same values, the file\'s SHA-256, progress in bytes', async () => {
    const S = 3001;
    const N = 800; // 9.6 MB: two 8 MiB chunks
    const p = tmp.write('big.npy', encodeNpy(ramp(S * N, true), [S, N]));
    const seen: { done: number; total: number; unit?: string }[] = [];
    const { set, inputs } = await loadActivationFiles([p], { onProgress: (q) => seen.push(q) });
    assert.ok(set.values instanceof Float32Array);
    assert.deepEqual(Array.from(layer(set, 'big')), Array.from(whole(p)));
    assert.equal(inputs[0].sha256, createHash('sha256').update(readFileSync(p)).digest('hex'));
    assert.equal(inputs[0].bytes, readFileSync(p).length);
    const last = seen[seen.length - 1];
    assert.equal(last.unit, 'bytes');
    assert.equal(last.done, last.total);
  });

  it('float64 and integer files make a float64 set (exact), small integers a float32 one', async () => {
    const f64 = tmp.write('f64.npy', encodeNpy(ramp(40, false), [10, 4]));
    const a = await loadActivationFiles([f64]);
    assert.ok(a.set.values instanceof Float64Array);
    assert.deepEqual(Array.from(layer(a.set, 'f64')), Array.from(whole(f64)));
    const i2 = tmp.write('i2.npy', npyBytes('>i2', false, [3, 2], elementBytes('i2', [-3, 7, 32767, -32768, 0, 1], false)));
    const b = await loadActivationFiles([i2]);
    assert.ok(b.set.values instanceof Float32Array);
    assert.deepEqual(Array.from(layer(b.set, 'i2')), [-3, 7, 32767, -32768, 0, 1]);
    const i4 = tmp.write('i4.npy', npyBytes('<i4', true, [2, 2], elementBytes('i4', [2 ** 30 + 1, -5, 3, 4], true)));
    const c = await loadActivationFiles([i4]);
    assert.ok(c.set.values instanceof Float64Array);
    assert.deepEqual(Array.from(layer(c.set, 'i4')), [2 ** 30 + 1, 3, -5, 4]);
    const f16 = fixturePath('io/numpy_v2_f16.npy');
    const d = await loadActivationFiles([f16], { nan: 'drop-examples' });
    assert.ok(d.set.values instanceof Float32Array);
  });

  it('Fortran order (big-endian too), rank 1, rank 4 flattened, rank 3 by token', async () => {
    const fortran = fixturePath('io/numpy_fortran_be.npy');
    const f = await loadActivationFiles([fortran]);
    assert.deepEqual(Array.from(layer(f.set, 'numpy_fortran_be')), Array.from(whole(fortran)));
    const r1 = tmp.write('r1.npy', encodeNpy(ramp(7, true), [7]));
    assert.deepEqual(Array.from(layer((await loadActivationFiles([r1])).set, 'r1')), Array.from(whole(r1)));
    const r4 = tmp.write('r4.npy', encodeNpy(ramp(5 * 2 * 3 * 2, true), [5, 2, 3, 2]));
    assert.deepEqual(Array.from(layer((await loadActivationFiles([r4])).set, 'r4')), Array.from(whole(r4)));
    const r3 = tmp.write('r3.npy', encodeNpy(ramp(6 * 4 * 3, true), [6, 4, 3]));
    for (const token of ['first', 'last', 'mean'] as const) {
      const { set } = await loadActivationFiles([r3], { token });
      assert.deepEqual(Array.from(layer(set, 'r3')), Array.from(whole(r3, token)), token);
      assert.equal(set.values instanceof Float32Array, token !== 'mean');
    }
  });

  it('a deflated .npz: progress counts inflated bytes (the work), then the file\'s own for its hash', async () => {
    const arrays = new Map([['z', { data: new Float32Array(300_000), shape: [3000, 100] }]]); // zeros: deflate squeezes them
    const p = tmp.write('zeros.npz', encodeNpz(arrays, true));
    const file = readFileSync(p).length;
    let last = { done: 0, total: 0 };
    await loadActivationFiles([p], { onProgress: (q) => (last = { done: q.done, total: q.total }) });
    const inflated = 128 + 4 * 300_000; // the member: its .npy header and data
    assert.ok(file < inflated / 50, `${file}`);
    assert.equal(last.total, inflated + file);
    assert.equal(last.done, last.total);
  });

  it('columns: only the chosen neurons are kept (every layout), named by their source columns; a layer with none is left out but hashed', async () => {
    const C = tmp.write('c2.npy', encodeNpy(ramp(40 * 9, true), [40, 9]));
    const r1 = tmp.write('c1.npy', encodeNpy(ramp(40, false), [40]));
    const r3 = tmp.write('c3.npy', encodeNpy(ramp(40 * 4 * 6, true), [40, 4, 6]));
    const z = tmp.write('cz.npz', encodeNpz(new Map([['za', { data: ramp(40 * 5, true), shape: [40, 5] }], ['zb', { data: ramp(40 * 3, false), shape: [40, 3] }]]), true));
    const csv = tmp.write('cs.csv', 'q/0,q/1,q/2\n' + Array.from({ length: 40 }, (_, i) => `${i},${i * 2},${-i}`).join('\n') + '\n');
    const fortran = fixturePath('io/numpy_fortran_be.npy');
    const files = [C, r1, r3, z, csv, fortran];
    for (const token of ['first', 'mean'] as const) {
      const full = (await loadActivationFiles(files.filter((f) => f !== fortran), { token })).set;
      const keep: Record<string, number[]> = { c2: [1, 4, 8], c1: [0], c3: [0, 5], za: [], zb: [2], q: [0, 2] };
      const { set, inputs } = await loadActivationFiles(files.filter((f) => f !== fortran), { token, columns: (name) => Int32Array.from(keep[name]) });
      assert.deepEqual(set.layers.map((l) => [l.name, l.size]), [['c2', 3], ['c1', 1], ['c3', 2], ['zb', 1], ['q', 2]]);
      for (const l of set.layers) {
        const fl = full.layers.find((x) => x.name === l.name)!;
        keep[l.name].forEach((col, k) => {
          assert.equal(set.sourceIndex[l.offset + k], col);
          const got = Array.from(set.values.subarray((l.offset + k) * 40, (l.offset + k + 1) * 40));
          const want = Array.from(full.values.subarray((fl.offset + col) * 40, (fl.offset + col + 1) * 40));
          assert.deepEqual(got, want, `${l.name} column ${col} (${token})`);
        });
      }
      assert.deepEqual(inputs.map((i) => i.sha256), files.filter((f) => f !== fortran).map((f) => createHash('sha256').update(readFileSync(f)).digest('hex')));
    }
    const ff = (await loadActivationFiles([fortran])).set;
    const N = ff.layers[0].size;
    const picked = (await loadActivationFiles([fortran], { columns: () => Int32Array.from([N - 1]) })).set;
    assert.deepEqual(Array.from(picked.values), Array.from(ff.values.subarray((N - 1) * ff.samples, N * ff.samples)));
    await assert.rejects(loadActivationFiles([C], { columns: () => Int32Array.from([3, 1]) }), /not ascending/);
  });

  it('.npz, stored and deflated, several members: the same values as parsing it whole', async () => {
    const arrays = new Map([
      ['fc1', { data: ramp(500 * 30, true), shape: [500, 30] }],
      ['fc2', { data: ramp(500 * 7, false), shape: [500, 7] }],
    ]);
    for (const compress of [false, true]) {
      const p = tmp.write(`m${compress}.npz`, encodeNpz(arrays, compress));
      const { set, inputs } = await loadActivationFiles([p]);
      assert.ok(set.values instanceof Float64Array); // fc2 is float64
      assert.deepEqual(set.layers.map((l) => [l.name, l.size]), [['fc1', 30], ['fc2', 7]]);
      for (const [k, a] of arrays) assert.deepEqual(Array.from(layer(set, k)), Array.from(a.data), k);
      assert.equal(inputs[0].sha256, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  });

  it('NaN: refused naming the first one (example, then neuron), or those examples dropped', async () => {
    const v = ramp(6 * 3, true);
    v[4 * 3 + 2] = NaN;
    v[1 * 3 + 1] = Infinity;
    const p = tmp.write('nan.npy', encodeNpy(v, [6, 3]));
    await expectInputError(() => loadActivationFiles([p]), p, /array 'nan' holds Infinity at example 1, neuron 1 \(NaN\/Inf are refused/);
    const info: string[] = [];
    const { set, dropped } = await loadActivationFiles([p], { nan: 'drop-examples', info: (m) => info.push(m) });
    assert.equal(dropped, 2);
    assert.equal(set.samples, 4);
    const want = [0, 2, 3, 5].flatMap((s) => Array.from(v.subarray(s * 3, s * 3 + 3)));
    assert.deepEqual(Array.from(layer(set, 'nan')), want);
    assert.match(info[0], /dropped 2 of 6 examples with NaN\/Inf \(first: example 1/);
  });

  it('a truncated file, a size the shape check refuses before reading, and cancellation', async () => {
    const full = encodeNpy(ramp(100, true), [25, 4]);
    const cut = tmp.write('cut.npy', full.subarray(0, full.length - 10));
    await expectInputError(() => loadActivationFiles([cut]), cut, /truncated: header says 25x4 float32 \(400 bytes\) but only 390 data bytes follow/);
    const ok = tmp.write('ok.npy', full);
    let read = false;
    await assert.rejects(
      loadActivationFiles([ok], {
        onProgress: () => (read = true),
        checkShape: (s) => {
          throw new RangeError(`refused ${s.samples} x ${s.layers[0].neurons}`);
        },
      }),
      /refused 25 x 4/,
    );
    assert.equal(read, false);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(loadActivationFiles([ok], { signal: controller.signal }), AbortError);
    // Formats parsed whole run in a worker thread: cancelled too, and their errors keep their one line.
    const csv = tmp.write('w.csv', 'a,b\n1,2\n3,x\n');
    await assert.rejects(loadActivationFiles([csv], { signal: controller.signal }), AbortError);
    await expectInputError(() => loadActivationFiles([csv]), csv, /row 3 \(example 1\), column 'b': "x" is not a number/);
  });
});
