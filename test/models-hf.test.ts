import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { extractActivations } from '../src/models/extract.js';
import { loadHfTokenizer } from '../src/models/hf-folder.js';
import { parseOnnx } from '../src/models/onnx-graph.js';
import { fixturePath } from './helpers/fixtures.js';

const folder = fixturePath('models/tiny-bert');
const graph = parseOnnx(readFileSync(join(folder, 'onnx/model.onnx')), 'model.onnx');
const inits = new Map(graph.model.graph!.initializer.map((t) => [t.name, new Float32Array(new Uint8Array(t.rawData).buffer)]));
const nodeInput = (name: string, i: number): Float32Array => inits.get(graph.model.graph!.node.find((n) => n.name === name)!.input[i])!;
const H = 8;
const HEADS = 2;
const DH = 4;

function erf(x: number): number {
  // Numerical Recipes' erfc Chebyshev fit (fractional error below 1.2e-7).
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y = 1 - t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? y : -y;
}
function layerNorm(x: number[], g: Float32Array, b: Float32Array): number[] {
  const m = x.reduce((p, v) => p + v, 0) / x.length;
  const v = x.reduce((p, u) => p + (u - m) ** 2, 0) / x.length;
  return x.map((u, i) => ((u - m) / Math.sqrt(v + 1e-12)) * g[i] + b[i]);
}
function dense(x: number[], prefix: string, out: number): number[] {
  const w = nodeInput(`${prefix}/MatMul`, 1);
  const b = nodeInput(`${prefix}/Add`, 0);
  return Array.from({ length: out }, (_, o) => b[o] + x.reduce((p, v, i) => p + v * w[i * out + o], 0));
}
/** Hidden states (T x H) after each block for one unpadded sequence. */
function bertForward(ids: number[]): number[][][] {
  const T = ids.length;
  const word = inits.get('embeddings.word_embeddings.weight')!;
  const pos = inits.get('embeddings.position_embeddings.weight')!;
  const typ = inits.get('embeddings.token_type_embeddings.weight')!;
  let x = ids.map((id, t) => layerNorm(Array.from({ length: H }, (_, d) => word[id * H + d] + typ[d] + pos[t * H + d]), inits.get('embeddings.LayerNorm.weight')!, inits.get('embeddings.LayerNorm.bias')!));
  const states: number[][][] = [];
  for (let l = 0; l < 2; l++) {
    const p = `/encoder/layer.${l}`;
    const q = x.map((r) => dense(r, `${p}/attention/self/query`, H));
    const k = x.map((r) => dense(r, `${p}/attention/self/key`, H));
    const v = x.map((r) => dense(r, `${p}/attention/self/value`, H));
    const ctx = x.map(() => new Array<number>(H).fill(0));
    for (let h = 0; h < HEADS; h++) {
      for (let i = 0; i < T; i++) {
        const sc = Array.from({ length: T }, (_, j) => {
          let s = 0;
          for (let d = 0; d < DH; d++) s += q[i][h * DH + d] * k[j][h * DH + d];
          return s / Math.sqrt(DH);
        });
        const mx = Math.max(...sc);
        const e = sc.map((s) => Math.exp(s - mx));
        const z = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j < T; j++) for (let d = 0; d < DH; d++) ctx[i][h * DH + d] += (e[j] / z) * v[j][h * DH + d];
      }
    }
    const a = x.map((r, i) => layerNorm(dense(ctx[i], `${p}/attention/output/dense`, H).map((u, d) => u + r[d]), nodeInput(`${p}/attention/output/LayerNorm/LayerNormalization`, 1), nodeInput(`${p}/attention/output/LayerNorm/LayerNormalization`, 2)));
    x = a.map((r) => {
      const inter = dense(r, `${p}/intermediate/dense`, 16).map((u) => 0.5 * u * (1 + erf(u / Math.SQRT2)));
      return layerNorm(dense(inter, `${p}/output/dense`, H).map((u, d) => u + r[d]), nodeInput(`${p}/output/LayerNorm/LayerNormalization`, 1), nodeInput(`${p}/output/LayerNorm/LayerNormalization`, 2));
    });
    states.push(x);
  }
  return states;
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) if (!(Math.abs(got[i] - want[i]) <= tol)) assert.fail(`${what}[${i}]: expected ${want[i]}, got ${got[i]}`);
}

describe('local transformer folder (tiny BERT fixture, see scripts/make-tiny-bert-fixture.ts)', () => {
  const textsFile = join(folder, 'texts.txt');
  const texts = readFileSync(textsFile, 'utf8').split('\n').filter((l) => l.trim() !== '');

  it('tokenizes with transformers.js from the local files', async () => {
    const tok = await loadHfTokenizer(folder);
    const enc = tok.encode(['The cat sat on the mat.', 'cats']);
    assert.deepEqual(enc.dims, [2, 9]);
    assert.deepEqual(Array.from(enc.input_ids, Number), [2, 5, 7, 10, 13, 5, 15, 22, 3, 2, 7, 21, 3, 0, 0, 0, 0, 0]);
    assert.deepEqual(Array.from(enc.attention_mask, Number), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
  });

  it("truncates at model_max_length as Python's tokenizers do: [SEP] kept (transformers.js alone would cut it)", async () => {
    const tok = await loadHfTokenizer(folder);
    const long = 'the big dog ran in the park and the small cat sat on the red mat and the bird flew over the tree';
    const enc = tok.encode([long, 'cats']);
    assert.deepEqual(enc.dims, [2, 16]);
    const ids = Array.from(enc.input_ids, Number);
    assert.deepEqual(ids.slice(0, 16), [2, 5, 18, 8, 11, 14, 5, 16, 24, 5, 19, 7, 10, 13, 5, 3]);
    assert.deepEqual(ids.slice(16, 21), [2, 7, 21, 3, 0]);
    assert.deepEqual(Array.from(enc.attention_mask, Number).slice(16), [1, 1, 1, 1, ...new Array<number>(12).fill(0)]);
  });

  it('a texts file with an empty line: every line an example (the empty one an empty text), the empty lines named', async () => {
    const { mkdtempSync: mk, writeFileSync: wf } = await import('node:fs');
    const { tmpdir: td } = await import('node:os');
    const f = join(mk(join(td(), 'infomem-blank-')), 'texts.txt');
    wf(f, `${texts[0]}\n\n${texts[1]}\n`);
    const info: string[] = [];
    const r = await extractActivations(folder, f, { token: 'first', batch: 4, info: (m) => info.push(m) });
    assert.equal(r.samples, 3);
    assert.deepEqual(r.blankLines, [2]);
    assert.match(info.join('\n'), /texts\.txt: 1 empty line \(2\) kept as examples of an empty text, so that example i is line i \+ 1/);
    const tok = await loadHfTokenizer(folder);
    const empty = bertForward(Array.from(tok.encode(['']).input_ids, Number))[1][0];
    close(r.layers[1].data.subarray(H, 2 * H), empty, 2e-4, 'the empty line is example 1');
  });

  it('extracts every block output reduced per --token, equal to a direct forward pass of each unpadded text', async () => {
    const tok = await loadHfTokenizer(folder);
    const states = texts.map((t) => {
      const e = tok.encode([t]);
      return bertForward(Array.from(e.input_ids, Number));
    });
    for (const token of ['first', 'last', 'mean'] as const) {
      const r = await extractActivations(folder, textsFile, { token, batch: 4 });
      assert.deepEqual(r.layers.map((l) => l.name), ['/encoder/layer.0/output/LayerNorm/LayerNormalization_output_0', 'last_hidden_state']);
      assert.equal(r.kind, 'hf');
      for (let l = 0; l < 2; l++) {
        const want = states.flatMap((st) => {
          const seq = st[l];
          if (token === 'first') return seq[0];
          if (token === 'last') return seq[seq.length - 1];
          return Array.from({ length: H }, (_, d) => seq.reduce((p, row) => p + row[d], 0) / seq.length);
        });
        assert.equal(r.layers[l].samples, texts.length);
        close(r.layers[l].data, want, 2e-4, `${token} block ${l}`);
      }
    }
  });

  it('never downloads: a missing folder or file is a one-line error', async () => {
    await assert.rejects(extractActivations(join(folder, '..', 'no-such-bert'), join(folder, 'texts.txt')), /no-such-bert: no such file or folder .*nothing is downloaded/);
    const dir = mkdtempSync(join(tmpdir(), 'infomem-hf-'));
    writeFileSync(join(dir, 'config.json'), '{"model_type": "bert"}');
    await assert.rejects(extractActivations(dir, join(folder, 'texts.txt')), /has config\.json but no onnx\/model\.onnx/);
    mkdirSync(join(dir, 'onnx'));
    writeFileSync(join(dir, 'onnx', 'model.onnx'), readFileSync(join(folder, 'onnx/model.onnx')));
    await assert.rejects(extractActivations(dir, join(folder, 'texts.txt')), /has no tokenizer\.json/);
  });
});
