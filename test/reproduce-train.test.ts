import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Rng } from '../src/core/random/rng.js';
import { toyData } from './helpers/toy-data.js';
import { accuracy, buildMlp, predictLogits } from '../src/reproduce/mlp.js';
import { loadModel, loadTrainState, saveModel, saveTrainState } from '../src/reproduce/model-io.js';
import { loadTrainingTf } from '../src/reproduce/tf-backend.js';
import { trainMlp, type TrainConfig, type TrainState } from '../src/reproduce/trainer.js';

const root = mkdtempSync(join(tmpdir(), 'infomem-train-'));
after(() => rmSync(root, { recursive: true, force: true }));


const cfg: TrainConfig = { epochs: 6, batchSize: 32, learningRate: 1e-2, l2: 0.002, keepBest: true, evalEvery: 1, seed: 5 };

describe('reproduce: MLP training (TF.js wasm)', () => {
  it('runs on the wasm backend, learns a linear rule, and the transposed-matmul patch gives the same gradients', async () => {
    const tf = await loadTrainingTf();
    assert.equal(tf.getBackend(), 'wasm');
    const a = tf.randomUniform([7, 5], -1, 1, 'float32', 1);
    const b = tf.randomUniform([7, 3], -1, 1, 'float32', 2);
    const viaPatch = tf.matMul(a, b, true, false).dataSync();
    const explicit = tf.matMul(tf.transpose(a), b).dataSync();
    assert.deepEqual([...viaPatch], [...explicit]);
    const train = toyData(400, 1);
    const val = toyData(200, 2);
    const model = buildMlp(tf, { inputs: 4, hidden: [16, 16], outputs: 1, init: 'xavier' }, new Rng(3));
    const out = await trainMlp(tf, model, train, val, cfg);
    assert.equal(out.epochs, 6);
    assert.ok(out.bestValAccuracy > 0.85, `accuracy ${out.bestValAccuracy}`);
    // keepBest: the model ends with the best epoch's weights
    assert.equal(accuracy(predictLogits(tf, model, val.x, val.n, 4), 1, val.y), out.bestValAccuracy);
    model.dispose();
  });

  it('without keepBest the model ends with the last epoch\'s weights (reproduce --keep last)', async () => {
    const tf = await loadTrainingTf();
    const train = toyData(400, 1);
    const val = toyData(200, 2);
    const model = buildMlp(tf, { inputs: 4, hidden: [16, 16], outputs: 1, init: 'xavier' }, new Rng(3));
    const out = await trainMlp(tf, model, train, val, { ...cfg, keepBest: false });
    assert.equal(out.history.length, 6);
    assert.equal(accuracy(predictLogits(tf, model, val.x, val.n, 4), 1, val.y), out.history[5].valAccuracy);
    model.dispose();
  });

  it('an interrupted run resumed from its checkpoint ends where an uninterrupted one does (to float32 rounding)', async () => {
    const tf = await loadTrainingTf();
    const train = toyData(300, 11);
    const val = toyData(100, 12);
    const full = buildMlp(tf, { inputs: 4, hidden: [8, 8], outputs: 3, init: 'sklearn' }, new Rng(4));
    const y3 = { ...train, y: train.y.map((v, i) => (i % 7 === 0 ? 2 : v)) };
    const a = await trainMlp(tf, full, y3, val, cfg);
    const dir = join(root, 'ckpt');
    const first = buildMlp(tf, { inputs: 4, hidden: [8, 8], outputs: 3, init: 'sklearn' }, new Rng(4));
    await assert.rejects(
      trainMlp(tf, first, y3, val, cfg, {
        checkpointSeconds: 0,
        checkpoint: async (st: TrainState) => {
          await saveTrainState(dir, st, 'run-a');
          if (st.epoch === 3) throw new Error('interrupted');
        },
      }),
      /interrupted/,
    );
    assert.equal(await loadTrainState(dir, 'another run'), null);
    const resume = await loadTrainState(dir, 'run-a');
    assert.equal(resume?.epoch, 3);
    const second = buildMlp(tf, { inputs: 4, hidden: [8, 8], outputs: 3, init: 'sklearn' }, new Rng(99));
    const b = await trainMlp(tf, second, y3, val, cfg, { resume });
    assert.equal(b.epochs, 6);
    // The epochs before the interruption are the same numbers; after it, TF.js's Adam recomputes
    // its bias corrections as beta^t instead of a running product: float32 rounding only.
    assert.deepEqual(
      b.history.slice(0, 4).map((h) => h.loss),
      a.history.slice(0, 4).map((h) => h.loss),
    );
    b.history.forEach((h, i) => assert.ok(Math.abs(h.loss - a.history[i].loss) < 1e-5 * a.history[i].loss, `epoch ${i + 1}`));
    const wa = full.getWeights().flatMap((t) => [...t.dataSync()]);
    const wb = second.getWeights().flatMap((t) => [...t.dataSync()]);
    wa.forEach((w, i) => assert.ok(Math.abs(wb[i] - w) < 1e-5, `weight ${i}: ${wb[i]} vs ${w}`));
  });

  it('scikit-learn-style convergence stops training; saved models load back identical', async () => {
    const tf = await loadTrainingTf();
    const train = toyData(200, 21);
    const model = buildMlp(tf, { inputs: 4, hidden: [16, 16], outputs: 1, init: 'sklearn' }, new Rng(6));
    const out = await trainMlp(tf, model, train, null, { ...cfg, epochs: 2000, l2: 0, keepBest: false, stop: { tol: 1e-2, patience: 3 } });
    assert.ok(out.stoppedEarly && out.epochs < 2000);
    const dir = join(root, 'model');
    await saveModel(tf, model, dir);
    const back = await loadModel(tf, dir);
    assert.deepEqual([...predictLogits(tf, back, train.x, train.n, 4)], [...predictLogits(tf, model, train.x, train.n, 4)]);
  });
});
