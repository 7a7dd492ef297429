import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Rng } from '../src/core/random/rng.js';
import { toyData } from './helpers/toy-data.js';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { buildMlp } from '../src/reproduce/mlp.js';
import { extractActivations } from '../src/reproduce/activations.js';
import { loadTrainingTf } from '../src/reproduce/tf-backend.js';
import { trainMlp } from '../src/reproduce/trainer.js';
import { isTrackedEpoch, resumePoints, DYNAMICS_SCHEMA } from '../src/reproduce/dynamics.js';
import { measureCheckpoint } from '../src/track/checkpoint-measures.js';
import { infomemCallback } from '../src/track/tfjs-callback.js';
import { analyzeSet } from '../src/analyze/analyze.js';
import { dynamicsMarkdown, sweepDynamics, type SweepDynamics } from '../src/reproduce/dynamics-summary.js';

const root = mkdtempSync(join(tmpdir(), 'infomem-track-training-'));
after(() => rmSync(root, { recursive: true, force: true }));


describe('measures during training', () => {
  it('measureCheckpoint: the analysis of the same set under binned MI and GCMI, per layer', async () => {
    const r = new Rng(4);
    const a = new Float32Array(300 * 5).map(() => r.normal());
    const b = new Float32Array(300 * 3).map((_, i) => a[Math.floor(i / 3) * 5 + (i % 3)] + 0.3 * r.normal());
    const set = activationSetFromLayers([
      { name: 'a', data: a, samples: 300, neurons: 5 },
      { name: 'b', data: b, samples: 300, neurons: 3 },
    ]);
    const m = await measureCheckpoint(set, { bins: 20, miPairs: 10, seed: 3 });
    const binned = (await analyzeSet(set, { mi: 'binned', bins: 20, pairs: 10, seed: 3, baselinePairs: 0, threads: 1 })).results;
    const gcmi = (await analyzeSet(set, { mi: 'gcmi', bins: 20, baselinePairs: 0, threads: 1 })).results;
    assert.equal(m.meanEntropy, binned.overall.meanEntropy);
    assert.equal(m.meanMI.binned, binned.overall.meanMI);
    assert.equal(m.meanMI.gcmi, gcmi.overall.meanMI);
    assert.ok(m.meanMIStdErr.binned !== null && m.meanMIStdErr.binned > 0, 'a sample of 10 of the 28 pairs has a standard error');
    assert.equal(m.layers[1].meanMI.gcmi, gcmi.layers[1].mi?.mean);
    assert.equal(m.layers[0].meanEntropy, binned.layers[0].entropy.mean);
  });

  it('trainMlp measures at epoch 0, every E epochs and the last, with that epoch\'s loss and accuracy', async () => {
    const tf = await loadTrainingTf();
    const train = toyData(200, 1);
    const val = toyData(100, 2);
    const model = buildMlp(tf, { inputs: 4, hidden: [8], outputs: 1, init: 'xavier' }, new Rng(3));
    const seen: [number, number | null, number | null][] = [];
    const out = await trainMlp(tf, model, train, val, { epochs: 7, batchSize: 50, learningRate: 1e-2, l2: 0, keepBest: false, evalEvery: 1, seed: 1 }, { track: { every: 3, measure: async (e, loss, acc) => void seen.push([e, loss, acc]) } });
    assert.deepEqual(seen.map((s) => s[0]), [0, 3, 6, 7]);
    assert.deepEqual(seen[0], [0, null, null]);
    for (const [e, loss, acc] of seen.slice(1)) {
      assert.equal(loss, out.history[e - 1].loss);
      assert.equal(acc, out.history[e - 1].valAccuracy);
    }
    // a run stopped by convergence is measured at the epoch it stopped
    const stopped: number[] = [];
    const o2 = await trainMlp(tf, model, train, null, { epochs: 500, batchSize: 50, learningRate: 1e-2, l2: 0, keepBest: false, evalEvery: 1, seed: 1, stop: { tol: 1, patience: 2 } }, { track: { every: 100, measure: async (e) => void stopped.push(e) } });
    assert.deepEqual(stopped, [0, o2.epochs]);
    await assert.rejects(trainMlp(tf, model, train, val, { epochs: 1, batchSize: 50, learningRate: 1e-2, l2: 0, keepBest: false, evalEvery: 1, seed: 1 }, { track: { every: 0, measure: async () => undefined } }), /track.every must be a positive integer/);
    model.dispose();
  });

  it('dynamics.json: the tracked epochs, and a resumed training keeps only the points up to its checkpoint', async () => {
    assert.deepEqual(
      Array.from({ length: 12 }, (_, e) => e).filter((e) => isTrackedEpoch(e, 5, e === 11)),
      [0, 5, 10, 11],
    );
    const p = join(root, 'dynamics.json');
    const point = (epoch: number) => ({ epoch, loss: null, trainAccuracy: 0.5, valAccuracy: 0.5, seconds: 0, meanEntropy: 1, meanMI: { binned: 0, gcmi: 0 }, medianMI: { binned: 0, gcmi: 0 }, meanMIStdErr: { binned: null }, constantNeurons: 0, layers: [] });
    writeFileSync(p, JSON.stringify({ schema: DYNAMICS_SCHEMA, version: 1, key: 'k', every: 5, complete: false, points: [0, 5, 10, 15].map(point) }));
    assert.deepEqual((await resumePoints(p, 'k', 12)).map((q) => q.epoch), [0, 5, 10]);
    assert.deepEqual(await resumePoints(p, 'another training', 12), []);
    assert.deepEqual(await resumePoints(join(root, 'none.json'), 'k', 12), []);
  });

  it('the summary tables: means over seeds by epoch, at most 12 epoch columns, a dash where a seed had stopped', () => {
    const row = (epoch: number, h: number) => ({ epoch, loss: null, trainAccuracy: 0.5, valAccuracy: 0.5, meanEntropy: h, meanMIGcmi: 0.1, meanMIBinned: 0.2, constantNeurons: 0 });
    const d = sweepDynamics('division', undefined, []);
    assert.equal(d, null);
    const many: SweepDynamics = {
      parameter: 'division',
      every: 50,
      bins: 20,
      binnedPairs: 20000,
      figures: [],
      models: [
        { value: 0.5, seed: 0, rows: Array.from({ length: 30 }, (_, i) => row(50 * i, 1 + i)) },
        { value: 0.5, seed: 1, rows: Array.from({ length: 20 }, (_, i) => row(50 * i, 3 + i)) },
      ],
    };
    const md = dynamicsMarkdown(many).join('\n');
    const header = md.split('\n').find((l) => l.startsWith('| division | ep 0'))!;
    const epochs = header.split('|').slice(2, -1).map((c) => Number(c.trim().replace('ep ', '')));
    assert.equal(epochs.length, 12);
    assert.equal(epochs[0], 0);
    assert.equal(epochs[11], 1450);
    // epoch 0: mean of 1 and 3; the last epoch: only seed 0 got there
    assert.match(md, /\| 0\.50 \| 2\.000 \|.* \| - \|/);
    assert.match(md, /means over 2 seeds/);
  });

  it('infomemCallback records the right epochs during model.fit, and its values are those of the model at that epoch', async () => {
    const tf = await loadTrainingTf();
    const d = toyData(256, 5);
    const x = tf.tensor2d(d.x, [d.n, 4]);
    const y = tf.tensor2d(Float32Array.from(d.y), [d.n, 1]);
    const xm = tf.tensor2d(toyData(200, 6).x, [200, 4]);
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 6, activation: 'relu', inputShape: [4], name: 'h1' }), tf.layers.dense({ units: 5, activation: 'tanh', name: 'h2' }), tf.layers.dense({ units: 1, name: 'out' })],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError', metrics: ['accuracy'] });
    const seen: number[] = [];
    const cb = infomemCallback({ model, inputs: xm, every: 2, bins: 30, onMeasure: (p) => void seen.push(p.epoch) });
    await model.fit(x, y, { epochs: 5, batchSize: 64, shuffle: false, callbacks: cb, verbose: 0 });
    assert.deepEqual(cb.points.map((p) => p.epoch), [0, 2, 4, 5]);
    assert.deepEqual(seen, [0, 2, 4, 5]);
    assert.deepEqual(cb.points[0].logs, {});
    assert.equal(typeof cb.points[2].logs.loss, 'number');
    assert.deepEqual(cb.points[3].layers.map((l) => [l.name, l.neurons]), [['h1', 6], ['h2', 5]], 'every layer but the last, by default');
    // the last point is the trained model's measures
    const again = await measureCheckpoint(activationSetFromLayers(extractActivations(tf, model, ['h1', 'h2'], toyData(200, 6).x, 200, 4)), { bins: 30 });
    assert.equal(cb.points[3].meanEntropy, again.meanEntropy);
    assert.equal(cb.points[3].meanMI.gcmi, again.meanMI.gcmi);
    assert.throws(() => infomemCallback({ model, inputs: xm, every: 0 }), /every must be a positive integer/);
    for (const t of [x, y, xm]) t.dispose();
    model.dispose();
  });
});
