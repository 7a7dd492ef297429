import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Rng } from '../src/core/random/rng.js';
import type { NdArray } from '../src/io/array.js';
import { encodeNpy } from '../src/io/npy.js';
import { encodeNpz, parseNpz } from '../src/io/npz.js';
import { extractActivations } from '../src/models/extract.js';
import type { ModelInputs } from '../src/models/inputs.js';
import { listLayers } from '../src/models/layers.js';
import { buildModel, floatTensor, node, OnnxDataType, torchStyleMlp, valueInfo, type DenseWeights } from '../src/models/onnx-builder.js';
import { parseOnnx } from '../src/models/onnx-graph.js';
import { layerKeys } from '../src/models/acts-file.js';
import { fixturePath, repoRoot } from './helpers/fixtures.js';

const cli = join(repoRoot, 'build/src/cli/main.js');
const runCli = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const rng = new Rng(5);
const randn = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => scale * rng.normal());
const dense = (inp: number, out: number): DenseWeights => ({ in: inp, out, weight: randn(inp * out, 1 / Math.sqrt(inp)), bias: randn(out, 0.1) });
const arrays = (name: string, data: Float32Array, shape: number[]): ModelInputs => ({
  kind: 'arrays',
  arrays: new Map<string, NdArray>([[name, { data: Float64Array.from(data), shape, dtype: '<f4' }]]),
  source: 'inputs.npy',
});

/** y = W x + b with W out x in (float64 of float32 weights). */
function linear(x: Float64Array, l: DenseWeights, relu: boolean): Float64Array {
  const y = new Float64Array(l.out);
  for (let o = 0; o < l.out; o++) {
    let s = l.bias[o];
    for (let i = 0; i < l.in; i++) s += l.weight[o * l.in + i] * x[i];
    y[o] = relu ? Math.max(0, s) : s;
  }
  return y;
}

function assertMatrixClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])))) assert.fail(`${what}[${i}]: expected ${want[i]}, got ${got[i]}`);
  }
}

describe('ONNX models built with onnx-buf', () => {
  const layers = [dense(5, 6), dense(6, 7), dense(7, 2)];
  const bytes = torchStyleMlp(layers);
  const S = 11;
  const x = randn(S * 5);
  const want = (k: number): Float64Array => {
    const out: number[] = [];
    for (let s = 0; s < S; s++) {
      let h: Float64Array = Float64Array.from(x.subarray(s * 5, s * 5 + 5));
      for (let j = 0; j <= k; j++) h = linear(h, layers[j], true);
      out.push(...h);
    }
    return Float64Array.from(out);
  };

  it('auto picks the hidden ReLU outputs, which match a direct forward pass for any batch size', async () => {
    for (const batch of [1, 4, 64]) {
      const r = await extractActivations({ kind: 'onnx', bytes }, arrays('input', x, [S, 5]), { batch });
      assert.deepEqual(r.layers.map((l) => l.name), ['/1/Relu_output_0', '/3/Relu_output_0']);
      assert.deepEqual(r.layers.map((l) => [l.samples, l.neurons]), [[S, 6], [S, 7]]);
      assertMatrixClose(r.layers[0].data, want(0), 1e-5, 'relu1');
      assertMatrixClose(r.layers[1].data, want(1), 1e-5, 'relu2');
    }
  });

  it('auto:pre picks the hidden linear outputs before their activation (the pre-ReLU values), and says which it took', async () => {
    const info: string[] = [];
    const r = await extractActivations({ kind: 'onnx', bytes }, arrays('input', x, [S, 5]), { layers: 'auto:pre', info: (m) => info.push(m) });
    assert.deepEqual(r.layers.map((l) => l.name), ['/0/Gemm_output_0', '/2/Gemm_output_0']);
    const pre = (k: number): number[] => {
      const out: number[] = [];
      for (let s = 0; s < S; s++) {
        let h: Float64Array = Float64Array.from(x.subarray(s * 5, s * 5 + 5));
        for (let j = 0; j < k; j++) h = linear(h, layers[j], true);
        out.push(...linear(h, layers[k], false));
      }
      return out;
    };
    assertMatrixClose(r.layers[0].data, pre(0), 1e-5, 'pre 0');
    assertMatrixClose(r.layers[1].data, pre(1), 1e-5, 'pre 1');
    assert.match(info.join('\n'), /layers auto: 2 hidden linear layers before their activation \(each linear op's output, bias included, as the paper's MNIST analysis\)/);
    const post: string[] = [];
    await extractActivations({ kind: 'onnx', bytes }, arrays('input', x, [S, 5]), { info: (m) => post.push(m) });
    assert.match(post.join('\n'), /2 hidden linear layers after their activation \(the next linear op's input; --layers auto:pre for the values before it\)/);
  });

  it('extracts named inner tensors (pre-activation Gemm output, final output)', async () => {
    const r = await extractActivations({ kind: 'onnx', bytes }, arrays('x', x, [S, 5]), { layers: ['/0/Gemm_output_0', 'output'], batch: 5 });
    const pre: number[] = [];
    const fin: number[] = [];
    for (let s = 0; s < S; s++) {
      const x0 = Float64Array.from(x.subarray(s * 5, s * 5 + 5));
      pre.push(...linear(x0, layers[0], false));
      fin.push(...linear(linear(linear(x0, layers[0], true), layers[1], true), layers[2], false));
    }
    assertMatrixClose(r.layers[0].data, pre, 1e-5, 'gemm0');
    assertMatrixClose(r.layers[1].data, fin, 1e-5, 'output');
  });

  it('pools conv maps (global average over H x W, channels first) or flattens them', async () => {
    // Conv 2 -> 3 channels, 3x3 kernel, pad 1, on 4x4 maps; Relu; then Flatten + Gemm to 2.
    const C = 2;
    const K = 3;
    const HW = 4;
    const w = randn(K * C * 9, 0.5);
    const b = randn(K, 0.1);
    const fc = dense(K * HW * HW, 2);
    const model = buildModel({
      nodes: [
        node('Conv', ['input', 'conv.weight', 'conv.bias'], ['/conv/Conv_output_0'], '/conv/Conv', { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] } }),
        node('Relu', ['/conv/Conv_output_0'], ['/relu/Relu_output_0'], '/relu/Relu'),
        node('Flatten', ['/relu/Relu_output_0'], ['/Flatten_output_0'], '/Flatten', { axis: { i: 1 } }),
        node('Gemm', ['/Flatten_output_0', 'fc.weight', 'fc.bias'], ['output'], '/fc/Gemm', { transB: { i: 1 } }),
      ],
      initializers: [floatTensor('conv.weight', [K, C, 3, 3], w), floatTensor('conv.bias', [K], b), floatTensor('fc.weight', [2, K * HW * HW], fc.weight), floatTensor('fc.bias', [2], fc.bias)],
      inputs: [valueInfo('input', OnnxDataType.FLOAT, ['N', C, HW, HW])],
      outputs: [valueInfo('output', OnnxDataType.FLOAT, ['N', 2])],
    });
    const n = 5;
    const xin = randn(n * C * HW * HW);
    const maps: number[][] = [];
    for (let s = 0; s < n; s++) {
      const m: number[] = [];
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < HW; i++) {
          for (let j = 0; j < HW; j++) {
            let acc = b[k];
            for (let c = 0; c < C; c++) {
              for (let di = -1; di <= 1; di++) {
                for (let dj = -1; dj <= 1; dj++) {
                  const ii = i + di;
                  const jj = j + dj;
                  if (ii < 0 || jj < 0 || ii >= HW || jj >= HW) continue;
                  acc += w[((k * C + c) * 3 + (di + 1)) * 3 + (dj + 1)] * xin[((s * C + c) * HW + ii) * HW + jj];
                }
              }
            }
            m.push(Math.max(0, acc));
          }
        }
      }
      maps.push(m);
    }
    const inputs = arrays('input', xin, [n, C, HW, HW]);
    const r = await extractActivations({ kind: 'onnx', bytes: model }, inputs, { batch: 2 });
    assert.deepEqual(r.layers.map((l) => l.name), ['/relu/Relu_output_0'], 'auto: the conv block (a lone Gemm has no hidden layer)');
    assert.equal(r.layers[0].reduction, 'pool:avg');
    const pooled = maps.flatMap((m) => Array.from({ length: K }, (_, k) => m.slice(k * 16, k * 16 + 16).reduce((p, v) => p + v, 0) / 16));
    assertMatrixClose(r.layers[0].data, pooled, 1e-5, 'pooled');
    const flat = await extractActivations({ kind: 'onnx', bytes: model }, inputs, { layers: ['/relu/Relu_output_0'], pool: 'none' });
    assert.equal(flat.layers[0].neurons, K * HW * HW);
    assertMatrixClose(flat.layers[0].data, maps.flat(), 1e-5, 'flattened');
  });

  it('uses a fixed batch size from the model, padding the last batch', async () => {
    const l0 = dense(3, 4);
    const model = buildModel({
      nodes: [node('Gemm', ['x', 'w', 'b'], ['/0/Gemm_output_0'], '/0/Gemm', { transB: { i: 1 } }), node('Relu', ['/0/Gemm_output_0'], ['/1/Relu_output_0'], '/1/Relu'), node('ReduceSum', ['/1/Relu_output_0'], ['y'], '/2/ReduceSum', { keepdims: { i: 1 } })],
      initializers: [floatTensor('w', [4, 3], l0.weight), floatTensor('b', [4], l0.bias)],
      inputs: [valueInfo('x', OnnxDataType.FLOAT, [4, 3])],
      outputs: [valueInfo('y', OnnxDataType.FLOAT, [4, 1])],
    });
    const n = 10;
    const xin = randn(n * 3);
    const infos: string[] = [];
    const r = await extractActivations({ kind: 'onnx', bytes: model }, arrays('x', xin, [n, 3]), { layers: ['/1/Relu_output_0'], batch: 3, info: (m) => infos.push(m) });
    const want2: number[] = [];
    for (let s = 0; s < n; s++) want2.push(...linear(Float64Array.from(xin.subarray(s * 3, s * 3 + 3)), l0, true));
    assertMatrixClose(r.layers[0].data, want2, 1e-5, 'fixed batch');
    assert.match(infos.join('\n'), /fixed batch size of 4/);
  });

  it('reports bad requests as one-line InputErrors', async () => {
    const inputs = arrays('input', x, [S, 5]);
    await assert.rejects(extractActivations({ kind: 'onnx', bytes, name: 'm.onnx' }, inputs, { layers: ['/1/relu'] }), (e: Error) => e.name === 'InputError' && /unknown layer '\/1\/relu'; candidates include '\/1\/Relu_output_0'/.test(e.message) && !e.message.includes('\n'));
    await assert.rejects(extractActivations({ kind: 'onnx', bytes, name: 'm.onnx' }, arrays('input', x.subarray(0, S * 4), [S, 4])), /inputs\.npy: input 'input' of m\.onnx expects S x 5, got 11x4|expects S x 5/);
    await assert.rejects(extractActivations({ kind: 'onnx', bytes, name: 'm.onnx' }, { kind: 'texts', texts: ['a'], source: 't.txt' }), /t\.txt: texts need a local transformer folder/);
    await assert.rejects(extractActivations('no/such/model.onnx', inputs), /no\/such\/model\.onnx: no such file or folder/);
    await assert.rejects(extractActivations({ kind: 'onnx', bytes: new Uint8Array([1, 2, 3, 4]), name: 'bad.onnx' }, inputs), /bad\.onnx: not an ONNX model/);
  });
});

describe('PyTorch-style export fixture (stand-in, see scripts/make-torch-mlp-fixture.ts)', () => {
  const file = fixturePath('models/torch-mlp/model.onnx');
  const g = parseOnnx(readFileSync(file), file);
  const init = (name: string): Float32Array => {
    const t = g.model.graph!.initializer.find((x) => x.name === name)!;
    return new Float32Array(new Uint8Array(t.rawData).buffer);
  };

  it('has the torch.onnx.export names and layout', async () => {
    assert.deepEqual(g.model.graph!.node.map((n) => [n.name, n.opType, n.output[0]]), [
      ['/0/Gemm', 'Gemm', '/0/Gemm_output_0'],
      ['/1/Relu', 'Relu', '/1/Relu_output_0'],
      ['/2/Gemm', 'Gemm', 'output'],
    ]);
    assert.equal(g.model.opsetImport[0].version, 17n);
    assert.equal(g.model.producerName, 'pytorch');
    assert.deepEqual(g.inputs, ['input']);
    const listing = await listLayers(file);
    assert.deepEqual(listing.layers.map((l) => [l.name, l.op, l.dtype, l.shape.join('x'), l.auto]), [
      ['/0/Gemm_output_0', 'Gemm', 'float32', 'batch_sizex8', false],
      ['/1/Relu_output_0', 'Relu', 'float32', 'batch_sizex8', true],
      ['output', 'Gemm', 'float32', 'batch_sizex3', false],
    ]);
  });

  it('extracts /1/Relu_output_0 equal to relu(x W0^T + b0) from the stored weights', async () => {
    const l0: DenseWeights = { in: 4, out: 8, weight: init('0.weight'), bias: init('0.bias') };
    const n = 9;
    const xin = randn(n * 4);
    const r = await extractActivations(file, arrays('input', xin, [n, 4]), { layers: ['/1/Relu_output_0'], batch: 4 });
    const want: number[] = [];
    for (let s = 0; s < n; s++) want.push(...linear(Float64Array.from(xin.subarray(s * 4, s * 4 + 4)), l0, true));
    assertMatrixClose(r.layers[0].data, want, 1e-5, 'relu');
  });
});

describe('infomem layers / extract / analyze --model (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infomem-models-'));
  const model = fixturePath('models/torch-mlp/model.onnx');
  const n = 60;
  const xin = randn(n * 4);
  const npy = join(dir, 'x.npy');
  writeFileSync(npy, encodeNpy(xin, [n, 4]));

  it('lists layers as a table and as JSON', () => {
    const t = runCli(['layers', model]);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /\/1\/Relu_output_0\s+Relu\s+float32\s+batch_size x 8\s+\*/);
    const j = runCli(['layers', model, '--json']);
    assert.equal(JSON.parse(j.stdout).layers.length, 3);
  });

  it('extract writes an npz with file-safe keys and a sidecar mapping', () => {
    const out = join(dir, 'acts.npz');
    const r = runCli(['extract', '--model', model, '--inputs', npy, '--layers', '/0/Gemm_output_0,/1/Relu_output_0', '--batch', '7', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const z = parseNpz(readFileSync(out), out);
    assert.deepEqual([...z.keys()], ['0_Gemm_output_0', '1_Relu_output_0']);
    assert.deepEqual(z.get('1_Relu_output_0')!.shape, [n, 8]);
    const side = JSON.parse(readFileSync(`${out}.json`, 'utf8'));
    assert.deepEqual(side.layers.map((l: { key: string; name: string }) => [l.key, l.name]), [['0_Gemm_output_0', '/0/Gemm_output_0'], ['1_Relu_output_0', '/1/Relu_output_0']]);
    assert.deepEqual(side.examples, { count: n, order: 'as the inputs' }); // row i is example i
    const g = z.get('0_Gemm_output_0')!.data;
    const relu = z.get('1_Relu_output_0')!.data;
    for (let i = 0; i < g.length; i++) assert.equal(relu[i], Math.max(0, g[i]));
  });

  it('extract names npz keys after the inputs and errors on unknown layers', () => {
    const npz = join(dir, 'x.npz');
    writeFileSync(npz, encodeNpz(new Map([['wrong', { data: xin, shape: [n, 4] }], ['other', { data: xin, shape: [n, 4] }]])));
    const r = runCli(['extract', '--model', model, '--inputs', npz, '--out', join(dir, 'a.npz')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /x\.npz: array 'wrong' matches no input of .*model\.onnx \(its inputs: input\)/);
    const u = runCli(['extract', '--model', model, '--inputs', npy, '--layers', 'relu', '--out', join(dir, 'a.npz')]);
    assert.equal(u.code, 2);
    assert.match(u.stderr, /unknown layer 'relu'; candidates include/);
    assert.equal(u.stderr.trim().split('\n').length, 1);
  });

  it('analyze --model extracts and analyses in one go', () => {
    const out = join(dir, 'an');
    const r = runCli(['analyze', '--model', model, '--inputs', npy, '--out', out, '--no-report', '--mi', 'binned', '--bins', '10', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.deepEqual(res.layers.map((l: { name: string }) => l.name), ['/1/Relu_output_0']);
    assert.equal(res.samples, n);
    assert.equal(res.inputs.length, 2);
    const both = runCli(['analyze', npy, '--model', model, '--inputs', npy]);
    assert.equal(both.code, 2);
  });

  it('makes layer names file-safe and unique', () => {
    assert.deepEqual(layerKeys(['/1/Relu_output_0', '1/Relu:output_0', 'a b', '///']), ['1_Relu_output_0', '1_Relu_output_0_2', 'a_b', 'layer']);
  });
});
