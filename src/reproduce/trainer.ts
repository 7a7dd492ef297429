/**
 * The training loop: Adam on mini-batches in a seeded order (epoch e draws its permutation from
 * its own stream, so a resumed run sees the same batches), optional L2 on every parameter,
 * optional keep-the-best-validation-checkpoint, optional scikit-learn-style convergence stop.
 * Resumable: the whole state (epoch, weights, Adam moments, best weights, stop counters, history)
 * goes through {@link TrainState}.
 */
import type * as TfNs from '@tensorflow/tfjs';
import { AbortError } from '../engine/progress.js';
import { isTrackedEpoch } from '../track/tracked-epochs.js';
import { accuracy, predictLogits } from './mlp.js';
import { streamRng, Stream } from './seeds.js';
import type { Tf } from './tf-backend.js';
import type { EpochInfo, EpochRecord } from './training-record.js';

export interface Dataset {
  x: Float32Array;
  y: Int32Array;
  n: number;
  features: number;
}

export interface TrainConfig {
  /** Most epochs. */
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Coefficient of sum ||w||^2 over every parameter (0: none). */
  l2: number;
  /** Keep the weights of the epoch with the best validation accuracy (first best on ties). */
  keepBest: boolean;
  /** scikit-learn's stop: `patience` epochs in a row without the loss improving by `tol`. */
  stop?: { tol: number; patience: number };
  /** Validation accuracy every this many epochs (and at the last). */
  evalEvery: number;
  /** Seed of the batch orders. */
  seed: number;
}

/** Everything needed to continue training exactly where it stopped. */
export interface TrainState {
  /** Epochs completed. */
  epoch: number;
  history: EpochRecord[];
  bestEpoch: number;
  bestValAccuracy: number;
  bestWeights: Float32Array[] | null;
  stopBestLoss: number;
  stopCount: number;
  stopped: boolean;
  weights: Float32Array[];
  /** Adam's state (its 'iter' first, then the moments), by name. */
  optimizer: { name: string; shape: number[]; data: Float32Array }[];
}

export interface TrainHooks {
  onEpoch?: (e: EpochInfo) => void;
  /** Called about every `checkpointSeconds` with the state to persist. */
  checkpoint?: (s: TrainState) => Promise<void>;
  checkpointSeconds?: number;
  resume?: TrainState | null;
  signal?: AbortSignal;
  /**
   * Measures taken during training: `measure` is awaited with the current weights before the
   * first epoch (epoch 0, unless resuming), after every `every`-th epoch and after the last
   * (before the best weights are restored), with that epoch's data loss and validation accuracy.
   */
  track?: { every: number; measure: (epoch: number, loss: number | null, valAccuracy: number | null) => Promise<void> };
}

export interface TrainOutcome {
  epochs: number;
  bestEpoch: number;
  bestValAccuracy: number;
  finalLoss: number;
  stoppedEarly: boolean;
  history: EpochRecord[];
  seconds: number;
}

/** Trains `model` in place (with `keepBest`, it ends with the best weights). */
export async function trainMlp(tf: Tf, model: TfNs.LayersModel, train: Dataset, val: Dataset | null, cfg: TrainConfig, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  const outputs = model.outputs[0].shape[1] as number;
  const optimizer = tf.train.adam(cfg.learningRate, 0.9, 0.999, 1e-8);
  const vars = model.trainableWeights.map((w) => w.read() as TfNs.Variable);
  const varList = vars;
  const F = train.features;
  let st: TrainState = hooks.resume ?? {
    epoch: 0,
    history: [],
    bestEpoch: 0,
    bestValAccuracy: -Infinity,
    bestWeights: null,
    stopBestLoss: Infinity,
    stopCount: 0,
    stopped: false,
    weights: [],
    optimizer: [],
  };
  if (hooks.resume) {
    model.setWeights(st.weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
    if (st.optimizer.length > 0) await optimizer.setWeights(st.optimizer.map((o) => ({ name: o.name, tensor: tf.tensor(o.data, o.shape) })));
  }
  const snapshot = (): Float32Array[] => model.getWeights().map((t) => (t.dataSync() as Float32Array).slice());
  const t0 = performance.now();
  const prior = st.history.reduce((a, h) => a + h.seconds, 0);
  let lastCheckpoint = performance.now();
  if (hooks.track && !(Number.isInteger(hooks.track.every) && hooks.track.every >= 1)) throw new RangeError(`track.every must be a positive integer, got ${hooks.track.every}`);
  if (hooks.track && st.epoch === 0) await hooks.track.measure(0, null, null);
  const bufX = new Float32Array(cfg.batchSize * F);
  const bufY = new Float32Array(cfg.batchSize * (outputs === 1 ? 1 : outputs));
  while (!st.stopped && st.epoch < cfg.epochs) {
    if (hooks.signal?.aborted) throw new AbortError();
    const te = performance.now();
    const e = st.epoch;
    const order = streamRng(cfg.seed, Stream.batches, e).permutation(train.n);
    let lossSum: TfNs.Tensor = tf.scalar(0);
    for (let s = 0; s < train.n; s += cfg.batchSize) {
      const m = Math.min(cfg.batchSize, train.n - s);
      const xs = m === cfg.batchSize ? bufX : new Float32Array(m * F);
      const ys = m === cfg.batchSize ? bufY : new Float32Array(m * (outputs === 1 ? 1 : outputs));
      if (outputs !== 1) ys.fill(0);
      for (let r = 0; r < m; r++) {
        const i = order[s + r];
        xs.set(train.x.subarray(i * F, (i + 1) * F), r * F);
        if (outputs === 1) ys[r] = train.y[i];
        else ys[r * outputs + train.y[i]] = 1;
      }
      const next = tf.tidy(() => {
        const x = tf.tensor2d(xs, [m, F]);
        const y = tf.tensor2d(ys, [m, outputs]);
        let dataLoss: TfNs.Scalar | null = null;
        optimizer.minimize(
          () => {
            const logits = model.apply(x, { training: true }) as TfNs.Tensor;
            const l = (outputs === 1 ? tf.losses.sigmoidCrossEntropy(y, logits) : tf.losses.softmaxCrossEntropy(y, logits)) as TfNs.Scalar;
            dataLoss = tf.keep(l.clone());
            if (cfg.l2 === 0) return l;
            let reg: TfNs.Tensor = tf.scalar(0);
            for (const v of vars) reg = reg.add(tf.sum(tf.square(v)));
            return l.add(reg.mul(cfg.l2)) as TfNs.Scalar;
          },
          false,
          varList,
        );
        const add = lossSum.add((dataLoss as unknown as TfNs.Scalar).mul(m));
        (dataLoss as unknown as TfNs.Scalar).dispose();
        return add;
      });
      lossSum.dispose();
      lossSum = next;
    }
    const loss = ((await lossSum.data()) as Float32Array)[0] / train.n;
    lossSum.dispose();
    st.epoch = e + 1;
    const last = st.epoch >= cfg.epochs;
    // Convergence (scikit-learn's _update_no_improvement_count; the data loss, L2 is 0 there).
    if (cfg.stop) {
      if (loss > st.stopBestLoss - cfg.stop.tol) st.stopCount++;
      else st.stopCount = 0;
      if (loss < st.stopBestLoss) st.stopBestLoss = loss;
      if (st.stopCount > cfg.stop.patience) st.stopped = true;
    }
    let valAccuracy: number | null = null;
    if (val && (cfg.keepBest || st.epoch % cfg.evalEvery === 0 || last || st.stopped)) {
      valAccuracy = accuracy(predictLogits(tf, model, val.x, val.n, val.features), outputs, val.y);
      if (valAccuracy > st.bestValAccuracy) {
        st.bestValAccuracy = valAccuracy;
        st.bestEpoch = st.epoch;
        if (cfg.keepBest) st.bestWeights = snapshot();
      }
    }
    const seconds = (performance.now() - te) / 1000;
    st.history.push({ epoch: st.epoch, loss, valAccuracy, seconds });
    if (hooks.track && isTrackedEpoch(st.epoch, hooks.track.every, last || st.stopped)) await hooks.track.measure(st.epoch, loss, valAccuracy);
    const elapsed = prior + (performance.now() - t0) / 1000;
    hooks.onEpoch?.({ epoch: st.epoch, epochs: cfg.epochs, loss, valAccuracy, bestValAccuracy: st.bestValAccuracy, elapsed, secondsPerEpoch: elapsed / st.epoch });
    if (hooks.checkpoint && !st.stopped && st.epoch < cfg.epochs && performance.now() - lastCheckpoint > 1000 * (hooks.checkpointSeconds ?? 60)) {
      st.weights = snapshot();
      const ow = await optimizer.getWeights();
      st.optimizer = await Promise.all(ow.map(async (w) => ({ name: w.name, shape: w.tensor.shape, data: Float32Array.from((await w.tensor.data()) as Float32Array) })));
      await hooks.checkpoint(st);
      st = { ...st, weights: [], optimizer: [] };
      lastCheckpoint = performance.now();
    }
  }
  if (cfg.keepBest && st.bestWeights) {
    const ts = st.bestWeights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape));
    model.setWeights(ts);
    for (const t of ts) t.dispose();
  }
  optimizer.dispose();
  const h = st.history;
  return {
    epochs: st.epoch,
    bestEpoch: st.bestEpoch,
    bestValAccuracy: Number.isFinite(st.bestValAccuracy) ? st.bestValAccuracy : NaN,
    finalLoss: h.length > 0 ? h[h.length - 1].loss : NaN,
    stoppedEarly: st.stopped,
    history: h,
    seconds: h.reduce((a, r) => a + r.seconds, 0),
  };
}
