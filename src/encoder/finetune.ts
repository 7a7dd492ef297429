/**
 * Fine-tuning the encoder with a classifier head, as the paper fine-tunes DistilBERT with the
 * Hugging Face Trainer: AdamW (weight decay 0.01, gradients clipped to norm 1), linear warm-up
 * then linear decay over the epoch budget, mini-batches in a seeded order; training stops at the
 * end of the first epoch whose mean training loss is <= `stopLoss` (the paper's 0.075) or after
 * `maxEpochs`, and the last weights are kept (the paper evaluated its last checkpoint).
 */
import { isTrackedEpoch } from '../track/tracked-epochs.js';
import type * as TfNs from '@tensorflow/tfjs';
import { AbortError } from '../engine/progress.js';
import { streamRng } from '../reproduce/seeds.js';
import type { Tf } from '../reproduce/tf-backend.js';
import { AdamW, ADAMW_DEFAULTS } from './adamw.js';
import type { EncoderConfig } from './config.js';
import { classifierLogits, classifierParams, crossEntropy, disposeVariables, encode, encoderParams, initialValues, makeVariables, readVariables, type ParamSpec } from './model.js';
import type { WordPiece } from './wordpiece.js';
import type { FinetuneSchedule } from './schedule.js';

export interface FinetuneConfig extends FinetuneSchedule {
  classes: number;
  seed: number;
}

export interface FinetuneEpoch {
  epoch: number;
  loss: number;
  valAccuracy: number;
  seconds: number;
}

export interface FinetuneOutcome {
  /** Every parameter (encoder and classifier) after the last epoch. */
  weights: Map<string, Float32Array>;
  specs: ParamSpec[];
  history: FinetuneEpoch[];
  epochs: number;
  stoppedAtLoss: boolean;
  seconds: number;
}

export interface LabelledTexts {
  texts: readonly string[];
  labels: Int32Array;
}

/** Random streams of fine-tuning. */
const FT_STREAM = { head: 301, batches: 302, dropout: 303, init: 304 } as const;

export interface FinetuneHooks {
  onEpoch?: (e: FinetuneEpoch) => void;
  signal?: AbortSignal;
  /**
   * Measures taken during training: `measure` is awaited with the current parameters before the
   * first epoch (epoch 0), after every `every`-th epoch and after the last (the stop or the
   * budget), with that epoch's loss and validation accuracy.
   */
  track?: { every: number; measure: (epoch: number, params: Map<string, TfNs.Variable>, loss: number | null, valAccuracy: number | null) => Promise<void> };
}

/**
 * Fine-tunes from `start` (encoder weights by name; null = a fresh encoder drawn from the seed).
 * `onEpoch` sees each epoch; `signal` stops between batches.
 */
export async function finetune(
  tf: Tf,
  c: EncoderConfig,
  tok: WordPiece,
  start: Map<string, Float32Array> | null,
  train: LabelledTexts,
  val: LabelledTexts,
  cfg: FinetuneConfig,
  hooks: FinetuneHooks = {},
): Promise<FinetuneOutcome> {
  const t0 = performance.now();
  const encSpecs = encoderParams(c);
  const headSpecs = classifierParams(c, cfg.classes);
  const specs = [...encSpecs, ...headSpecs];
  const values = start ? new Map(start) : initialValues(encSpecs, streamRng(cfg.seed, FT_STREAM.init));
  for (const [k, v] of initialValues(headSpecs, streamRng(cfg.seed, FT_STREAM.head))) values.set(k, v);
  const params = makeVariables(tf, specs, values);
  const n = train.texts.length;
  const stepsPerEpoch = Math.ceil(n / cfg.batchSize);
  const opt = new AdamW(tf, { ...ADAMW_DEFAULTS, weightDecay: cfg.weightDecay, learningRate: cfg.learningRate, warmup: cfg.warmup, total: stepsPerEpoch * cfg.maxEpochs }, specs, params);
  const history: FinetuneEpoch[] = [];
  let stopped = false;
  const track = hooks.track;
  if (track && !(Number.isInteger(track.every) && track.every >= 1)) throw new RangeError(`track.every must be a positive integer, got ${track.every}`);
  try {
    if (track) await track.measure(0, params, null, null);
    for (let epoch = 1; epoch <= cfg.maxEpochs; epoch++) {
      const te = performance.now();
      const order = streamRng(cfg.seed, FT_STREAM.batches, epoch).permutation(n);
      let lossSum = 0;
      for (let s = 0; s < n; s += cfg.batchSize) {
        if (hooks.signal?.aborted) throw new AbortError();
        const rows = Array.from(order.subarray(s, s + cfg.batchSize));
        const batch = tok.encodeBatch(rows.map((r) => train.texts[r]), cfg.maxLength);
        const labels = Int32Array.from(rows, (r) => train.labels[r]);
        lossSum += step(tf, c, params, opt, batch, labels, streamRng(cfg.seed, FT_STREAM.dropout, epoch, s).uint32()) * rows.length;
      }
      const valAccuracy = accuracyOf(predictClasses(tf, c, tok, params, val.texts, cfg.maxLength), val.labels);
      const rec = { epoch, loss: lossSum / n, valAccuracy, seconds: (performance.now() - te) / 1000 };
      history.push(rec);
      hooks.onEpoch?.(rec);
      if (rec.loss <= cfg.stopLoss) stopped = true;
      if (track && isTrackedEpoch(epoch, track.every, stopped || epoch === cfg.maxEpochs)) await track.measure(epoch, params, rec.loss, valAccuracy);
      if (stopped) break;
    }
    return { weights: readVariables(params), specs, history, epochs: history.length, stoppedAtLoss: stopped, seconds: (performance.now() - t0) / 1000 };
  } finally {
    opt.dispose();
    disposeVariables(params);
  }
}

function step(tf: Tf, c: EncoderConfig, params: Map<string, TfNs.Variable>, opt: AdamW, batch: { ids: Int32Array; mask: Int32Array; length: number }, labels: Int32Array, seed: number): number {
  const B = labels.length;
  const T = batch.length;
  const ids = tf.tensor2d(batch.ids, [B, T], 'int32');
  const mask = tf.tensor2d(batch.mask, [B, T], 'int32');
  const lab = tf.tensor1d(labels, 'int32');
  try {
    return opt.minimize(() => {
      const mode = { training: true, seed };
      const states = encode(tf, c, params, ids, mask, mode);
      return crossEntropy(tf, classifierLogits(tf, c, params, states[states.length - 1], B, T, mode), lab);
    });
  } finally {
    ids.dispose();
    mask.dispose();
    lab.dispose();
  }
}

/** Class predictions (argmax of the classifier's logits), in batches of 64. */
export function predictClasses(tf: Tf, c: EncoderConfig, tok: WordPiece, params: Map<string, TfNs.Variable>, texts: readonly string[], maxLength: number): Int32Array {
  const out = new Int32Array(texts.length);
  for (let s = 0; s < texts.length; s += 64) {
    const chunk = texts.slice(s, s + 64);
    const b = tok.encodeBatch(chunk, maxLength);
    const pred = tf.tidy(() => {
      const states = encode(tf, c, params, tf.tensor2d(b.ids, [chunk.length, b.length], 'int32'), tf.tensor2d(b.mask, [chunk.length, b.length], 'int32'), { training: false });
      return tf.argMax(classifierLogits(tf, c, params, states[states.length - 1], chunk.length, b.length, { training: false }), -1);
    });
    out.set(pred.dataSync() as Int32Array, s);
    pred.dispose();
  }
  return out;
}

/**
 * The [CLS] vector (position 0) of every block's output for `texts`, in batches of 64: one
 * row-major texts x hidden array per block (the embeddings' output left out), in eval mode.
 */
export function clsStates(tf: Tf, c: EncoderConfig, tok: WordPiece, params: Map<string, TfNs.Variable>, texts: readonly string[], maxLength: number): Float32Array[] {
  const d = c.hidden;
  const out = Array.from({ length: c.layers }, () => new Float32Array(texts.length * d));
  for (let s = 0; s < texts.length; s += 64) {
    const chunk = texts.slice(s, s + 64);
    const b = tok.encodeBatch(chunk, maxLength);
    const cls = tf.tidy(() => {
      const states = encode(tf, c, params, tf.tensor2d(b.ids, [chunk.length, b.length], 'int32'), tf.tensor2d(b.mask, [chunk.length, b.length], 'int32'), { training: false });
      const rows = tf.range(0, chunk.length * b.length, b.length, 'int32');
      return states.slice(1).map((h) => tf.gather(h, rows));
    });
    cls.forEach((t, l) => {
      out[l].set(t.dataSync() as Float32Array, s * d);
      t.dispose();
    });
  }
  return out;
}

/** Share of predictions equal to the labels (optionally only where `where` is 1). */
export function accuracyOf(pred: Int32Array, labels: Int32Array, where?: Uint8Array | null): number {
  let hit = 0;
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    if (where && !where[i]) continue;
    n++;
    if (pred[i] === labels[i]) hit++;
  }
  return n === 0 ? NaN : hit / n;
}

/** Predictions of a fine-tuned model from its weights (for accuracies after training). */
export function predictWithWeights(tf: Tf, c: EncoderConfig, tok: WordPiece, specs: readonly ParamSpec[], weights: Map<string, Float32Array>, texts: readonly string[], maxLength: number): Int32Array {
  const params = makeVariables(tf, specs, weights);
  try {
    return predictClasses(tf, c, tok, params, texts, maxLength);
  } finally {
    disposeVariables(params);
  }
}
