/**
 * Extraction throughput (examples per second, end to end: model load, batched runs, reduction)
 * for a 3 x 256 ReLU MLP (784 -> 256 -> 256 -> 256 -> 10; ONNX through onnxruntime-node and the
 * same network as a TF.js LayersModel on the wasm backend) and for the tiny transformer fixture
 * (test/fixtures/models/tiny-bert: tokenization with transformers.js + onnxruntime, two block
 * outputs, [CLS] token).
 *   npx tsc -p tsconfig.json && node build/bench/extract.js [--quick] [--threads T]
 */
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/random/rng.js';
import type { NdArray } from '../src/io/array.js';
import { extractActivations, type ExtractOptions } from '../src/models/extract.js';
import type { ModelInputs } from '../src/models/inputs.js';
import { torchStyleMlp, type DenseWeights } from '../src/models/onnx-builder.js';
import { loadTf } from '../src/models/tfjs-runner.js';

const quick = process.argv.includes('--quick');
const ti = process.argv.indexOf('--threads');
const threads = ti >= 0 ? Number(process.argv[ti + 1]) : undefined;
const rng = new Rng(1);
const sizes = [784, 256, 256, 256, 10];
const dense: DenseWeights[] = sizes.slice(1).map((out, i) => {
  const inp = sizes[i];
  return { in: inp, out, weight: Float32Array.from({ length: inp * out }, () => rng.normal() / Math.sqrt(inp)), bias: new Float32Array(out) };
});
const S = quick ? 2048 : 10000;
const x = Float64Array.from({ length: S * 784 }, () => rng.float());
const arrays: ModelInputs = { kind: 'arrays', arrays: new Map<string, NdArray>([['input', { data: x, shape: [S, 784], dtype: '<f4' }]]), source: 'synthetic' };

interface Row {
  model: string;
  backend: string;
  layers: string;
  samples: number;
  batch: number;
  seconds: number;
}
const rows: Row[] = [];
async function time(model: string, backend: string, run: () => ReturnType<typeof extractActivations>, batch: number): Promise<void> {
  await run(); // warm-up (module loading, session creation paths)
  const r = await run();
  rows.push({ model, backend, layers: r.layers.map((l) => `${l.neurons}`).join('+'), samples: r.samples, batch, seconds: r.seconds });
}

const opts = (batch: number): ExtractOptions => ({ batch, threads });
for (const batch of [64, 256]) {
  await time('MLP 784-3x256-10', 'onnxruntime-node (CPU)', () => extractActivations({ kind: 'onnx', bytes: torchStyleMlp(dense) }, arrays, opts(batch)), batch);
}

const tf = await loadTf();
const mlp = tf.sequential();
dense.forEach((d, i) => {
  // TF.js kernels are in x out (the transpose of nn.Linear's weight).
  const k = new Float32Array(d.in * d.out);
  for (let o = 0; o < d.out; o++) for (let j = 0; j < d.in; j++) k[j * d.out + o] = d.weight[o * d.in + j];
  const layer = tf.layers.dense({ units: d.out, activation: i < dense.length - 1 ? 'relu' : 'linear', name: `fc${i}`, ...(i === 0 ? { inputShape: [d.in] } : {}) });
  mlp.add(layer);
  layer.setWeights([tf.tensor(k, [d.in, d.out]), tf.tensor(d.bias)]);
});
let artifacts: import('@tensorflow/tfjs').io.ModelArtifacts | undefined;
await mlp.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
await time('MLP 784-3x256-10', `TF.js (${tf.getBackend()})`, () => extractActivations({ kind: 'tfjs', artifacts: artifacts! }, arrays, opts(256)), 256);

const folder = fileURLToPath(new URL('../../test/fixtures/models/tiny-bert', import.meta.url));
const words = ['the', 'a', 'cat', 'dog', 'bird', 'sat', 'ran', 'flew', 'on', 'in', 'mat', 'park', 'tree', 'big', 'small', 'red', 'and', 'over', 'under', 'fox'];
const T = quick ? 1024 : 4096;
const texts = Array.from({ length: T }, () => Array.from({ length: 3 + rng.int(9) }, () => words[rng.int(words.length)]).join(' '));
for (const batch of [64]) {
  await time('tiny BERT (2 x 8, <=12 tokens)', 'transformers.js tokenizer + onnxruntime', () => extractActivations(folder, { kind: 'texts', texts, source: 'synthetic' }, opts(batch)), batch);
}

const head = ['model', 'backend', 'neurons', 'S', 'batch', 'seconds', 'examples/s'];
const table = [head, ...rows.map((r) => [r.model, r.backend, r.layers, String(r.samples), String(r.batch), r.seconds.toFixed(2), (r.samples / r.seconds).toFixed(0)])];
const w = head.map((_, c) => Math.max(...table.map((t) => t[c].length)));
for (const t of table) process.stdout.write(`${t.map((c, i) => (i < 3 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ')}\n`);
