import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NdArray } from '../src/io/array.js';
import { extractActivations } from '../src/models/extract.js';
import type { ModelInputs } from '../src/models/inputs.js';
import { listLayers } from '../src/models/layers.js';
import { loadTf } from '../src/models/tfjs-runner.js';

const inputsOf = (name: string, data: Float32Array, shape: number[]): ModelInputs => ({
  kind: 'arrays',
  arrays: new Map<string, NdArray>([[name, { data: Float64Array.from(data), shape, dtype: '<f4' }]]),
  source: 'inputs.npy',
});

function close(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) if (!(Math.abs(got[i] - want[i]) <= tol * (1 + Math.abs(want[i])))) assert.fail(`${what}[${i}]: expected ${want[i]}, got ${got[i]}`);
}

/** Saves a model in memory and writes it as model.json + weights.bin (the tfjs file format). */
async function saveToDir(tf: Awaited<ReturnType<typeof loadTf>>, model: import('@tensorflow/tfjs').LayersModel, dir: string): Promise<string> {
  let art: import('@tensorflow/tfjs').io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      art = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const weights = new Uint8Array(art!.weightData as ArrayBuffer);
  writeFileSync(join(dir, 'weights.bin'), weights);
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: art!.modelTopology, format: 'layers-model', generatedBy: 'test', weightsManifest: [{ paths: ['weights.bin'], weights: art!.weightSpecs }] }));
  return join(dir, 'model.json');
}

describe('TF.js LayersModels', () => {
  it('extracts hidden Dense layers of a saved MLP, equal to a direct forward pass', async () => {
    const tf = await loadTf();
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 6, inputShape: [4], activation: 'relu', name: 'fc1', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ stddev: 0.1, seed: 2 }) }),
        tf.layers.dropout({ rate: 0.5, name: 'drop' }),
        tf.layers.dense({ units: 5, activation: 'tanh', name: 'fc2', kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }),
        tf.layers.dense({ units: 2, name: 'out', kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) }),
      ],
    });
    const dir = mkdtempSync(join(tmpdir(), 'infomem-tfjs-'));
    const file = await saveToDir(tf, model, dir);
    const W = model.getWeights().map((w) => Array.from(w.dataSync()));
    const S = 9;
    const x = Float32Array.from({ length: S * 4 }, (_, i) => Math.sin(i * 1.7) * 2);
    const h1: number[] = [];
    const h2: number[] = [];
    for (let s = 0; s < S; s++) {
      const a = Array.from({ length: 6 }, (_, j) => Math.max(0, W[1][j] + [0, 1, 2, 3].reduce((p, i) => p + x[s * 4 + i] * W[0][i * 6 + j], 0)));
      const b = Array.from({ length: 5 }, (_, j) => Math.tanh(W[3][j] + a.reduce((p, v, i) => p + v * W[2][i * 5 + j], 0)));
      h1.push(...a);
      h2.push(...b);
    }
    const r = await extractActivations(file, inputsOf('x', x, [S, 4]), { batch: 4 });
    assert.deepEqual(r.layers.map((l) => l.name), ['fc1', 'fc2']);
    close(r.layers[0].data, h1, 1e-5, 'fc1');
    close(r.layers[1].data, h2, 1e-5, 'fc2');
    const listing = await listLayers(file);
    assert.deepEqual(listing.layers.map((l) => [l.name, l.op, l.shape.join('x'), l.auto]), [
      ['fc1', 'Dense', 'batchx6', true],
      ['drop', 'Dropout', 'batchx6', false],
      ['fc2', 'Dense', 'batchx5', true],
      ['out', 'Dense', 'batchx2', false],
    ]);
    await assert.rejects(extractActivations(file, inputsOf('x', x, [S, 4]), { layers: ['fc3'] }), /unknown layer 'fc3'; candidates include/);
    model.dispose();
  });

  it('pools conv blocks over H x W (channels last) from in-memory artifacts', async () => {
    const tf = await loadTf();
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 2], name: 'conv1', kernelInitializer: tf.initializers.glorotNormal({ seed: 5 }) }),
        tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ units: 4, activation: 'relu', name: 'fc', kernelInitializer: tf.initializers.glorotNormal({ seed: 6 }) }),
        tf.layers.dense({ units: 2, name: 'out', kernelInitializer: tf.initializers.glorotNormal({ seed: 7 }) }),
      ],
    });
    let artifacts: import('@tensorflow/tfjs').io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const S = 5;
    const x = Float32Array.from({ length: S * 72 }, (_, i) => Math.cos(i * 0.37));
    const direct = tf.model({ inputs: model.inputs, outputs: model.getLayer('pool1').output as import('@tensorflow/tfjs').SymbolicTensor });
    const map = (direct.predict(tf.tensor(x, [S, 6, 6, 2])) as import('@tensorflow/tfjs').Tensor).dataSync();
    const pooled: number[] = [];
    for (let s = 0; s < S; s++) for (let c = 0; c < 3; c++) {
      let acc = 0;
      for (let p = 0; p < 9; p++) acc += map[s * 27 + p * 3 + c];
      pooled.push(acc / 9);
    }
    const r = await extractActivations({ kind: 'tfjs', artifacts: artifacts! }, inputsOf('x', x, [S, 6, 6, 2]), { batch: 2 });
    assert.deepEqual(r.layers.map((l) => [l.name, l.neurons, l.reduction]), [['pool1', 3, 'pool:avg'], ['fc', 4, 'none']]);
    close(r.layers[0].data, pooled, 1e-5, 'pool1');
    const flat = await extractActivations({ kind: 'tfjs', artifacts: artifacts! }, inputsOf('x', x, [S, 6, 6, 2]), { layers: ['pool1'], pool: 'none' });
    close(flat.layers[0].data, map, 1e-6, 'flattened');
    model.dispose();
  });
});

describe('--layers auto on a TF.js graph', () => {
  const node = (name: string, className: string, inbound: string[], outbound: string[], activation?: string) => ({ name, className, inbound, outbound, ...(activation ? { activation } : {}) });
  it('auto: the hidden layers after their activation; auto:pre: the Dense outputs before it, refused where the activation is inside the Dense', async () => {
    const { autoLayersTfjs } = await import('../src/models/auto-layers.js');
    const split = [
      node('in', 'InputLayer', [], ['d1']),
      node('d1', 'Dense', ['in'], ['a1'], 'linear'),
      node('a1', 'Activation', ['d1'], ['d2']),
      node('d2', 'Dense', ['a1'], ['a2'], 'linear'),
      node('a2', 'Activation', ['d2'], ['out']),
      node('out', 'Dense', ['a2'], [], 'softmax'),
    ];
    assert.deepEqual(autoLayersTfjs(split).layers, ['a1', 'a2']);
    assert.match(autoLayersTfjs(split).description, /2 hidden dense layers after their activation/);
    assert.deepEqual(autoLayersTfjs(split, 'pre').layers, ['d1', 'd2']);
    assert.match(autoLayersTfjs(split, 'pre').description, /2 hidden dense layers before their activation/);
    const fused = [node('in', 'InputLayer', [], ['d1']), node('d1', 'Dense', ['in'], ['out'], 'relu'), node('out', 'Dense', ['d1'], [], 'softmax')];
    assert.deepEqual(autoLayersTfjs(fused).layers, ['d1']);
    assert.throws(() => autoLayersTfjs(fused, 'pre'), /Dense layer 'd1' applies its activation \(relu\) inside the layer/);
  });
});
