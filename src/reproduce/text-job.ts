/**
 * One model of a transformer sweep, as a training worker runs it: build the task (seeded),
 * fine-tune the encoder (the committed pretrained one, or fresh weights) with a classifier head,
 * export it as a local Hugging Face folder with an ONNX graph, and take its activations through
 * the same `extract` path a user's exported DistilBERT takes (tokenizer.json read by
 * transformers.js, the ONNX graph run by onnxruntime, each block's [CLS] vector). Files:
 *
 *   model/            config.json, tokenizer.json, tokenizer_config.json, model.safetensors, onnx/model.onnx
 *   training.json     the record (written after model/)
 *   activations.npz   layer.0 .. layer.{L-1}: [CLS] vectors on the measurement texts
 *
 * A model is trained in one go (a few minutes at most); an interrupted one starts again.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../io/errors.js';
import { readFileBytes, writeFileAtomic } from '../io/files.js';
import { writeActivations } from './activations.js';
import { readEncoderFolder, writeEncoderFolder } from '../encoder/hf-folder-io.js';
import { accuracyOf, clsStates, finetune, predictClasses, predictWithWeights, type FinetuneHooks } from '../encoder/finetune.js';
import { registerSegmentSumKernel } from '../encoder/segment-sum-kernel.js';
import { WordPiece } from '../encoder/wordpiece.js';
import { bertBlockOutputs } from '../models/bert-onnx.js';
import { extractActivations } from '../models/extract.js';
import { packageDataPath } from '../package-data.js';
import { analysedLayers, type ModelJob } from './experiments.js';
import { deriveSeed, Stream } from './seeds.js';
import { loadTrainingTf } from './tf-backend.js';
import { sentimentAdjectivesTask, shuffledReviewsTask, uciSentences, type TextTask } from './text-data.js';
import { jobKey, postDynamics } from './job-key.js';
import type { JobMessage, TrainingRecord } from './training-record.js';
import { DynamicsRecorder } from './dynamics.js';
import { activationSetFromLayers } from '../core/activations/activation-set.js';
import type { EncoderConfig } from '../encoder/config.js';
import type { Tf } from './tf-backend.js';

/** The name of the committed pretrained encoder (data/encoders/<name>/). */
export const PRETRAINED_ENCODER = 'small';

/** The folder of an encoder: a name under data/encoders/, or a path (one with a slash, or starting with a dot). */
export function encoderDir(spec: string): string {
  return /[\\/]/.test(spec) || spec.startsWith('.') ? resolve(spec) : packageDataPath('encoders', spec);
}

/**
 * The pretrained encoder a run starts from (default the committed one): its name or path as
 * recorded in run.json, its folder, the SHA-256 of its weights and its number of blocks.
 * @throws InputError naming the folder when it is not an encoder folder
 */
export async function pretrainedEncoder(spec = PRETRAINED_ENCODER): Promise<{ name: string; dir: string; sha256: string; layers: number }> {
  const dir = encoderDir(spec);
  if (!existsSync(join(dir, 'model.safetensors')) || !existsSync(join(dir, 'config.json'))) {
    throw new InputError(dir, 'is not an encoder folder (config.json, tokenizer.json and model.safetensors, as scripts/pretrain-encoder.ts writes)');
  }
  const weights = await readFileBytes(join(dir, 'model.safetensors'));
  const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { num_hidden_layers?: unknown };
  if (typeof cfg.num_hidden_layers !== 'number') throw new InputError(join(dir, 'config.json'), 'has no num_hidden_layers');
  return { name: dir === packageDataPath('encoders', spec) ? spec : dir, dir, sha256: createHash('sha256').update(weights).digest('hex'), layers: cfg.num_hidden_layers };
}

/** The task of a job (seeded; identical in every process). */
export function textTask(job: ModelJob): TextTask {
  const t = job.config.text!;
  let sentences = uciSentences();
  if (t.sentences !== null) {
    // Quick and tiny runs: every k-th sentence of the file (grouped by source), so every source is in it.
    const step = sentences.length / t.sentences;
    sentences = Array.from({ length: t.sentences }, (_, i) => sentences[Math.floor(i * step)]);
  }
  return job.config.experiment === 'sentiment-adjectives'
    ? sentimentAdjectivesTask(sentences, { alpha: job.value, seed: job.seed, trainFraction: t.trainFraction, conflictShare: t.conflictShare })
    : shuffledReviewsTask(sentences, job.value, job.seed, t.trainFraction);
}

/**
 * The training dynamics of a text model (null when not tracked): the [CLS] vector of every block
 * on the measurement texts, through the TF.js forward pass (the final activations go through the
 * exported ONNX graph; the two agree to 1e-4), with the training and validation accuracy.
 * A text model restarts its training when interrupted, so its series starts afresh.
 */
async function textTracking(job: ModelJob, task: ReturnType<typeof textTask>, tf: Tf, c: EncoderConfig, tok: WordPiece, post: (m: JobMessage) => void): Promise<{ hook: NonNullable<FinetuneHooks['track']>; finish: () => Promise<void> } | null> {
  const every = job.trackEvery ?? 0;
  if (every <= 0) return null;
  const t = job.config.text!;
  const names = analysedLayers(job.config);
  const recorder = new DynamicsRecorder(join(job.dir, 'dynamics.json'), { key: jobKey(job), every, bins: job.config.bins ?? 100, measuredOn: `the ${task.measureTexts.length} measurement texts ([CLS] of every block, TF.js forward)` }, [], job.seed);
  return {
    hook: {
      every,
      measure: async (epoch, params, loss, valAccuracy) => {
        const t0 = performance.now();
        const states = clsStates(tf, c, tok, params, task.measureTexts, t.maxLength);
        const set = activationSetFromLayers(states.map((data, i) => ({ name: names[i], data, samples: task.measureTexts.length, neurons: c.hidden })));
        const trainAccuracy = accuracyOf(predictClasses(tf, c, tok, params, task.trainTexts, t.maxLength), task.trainLabels);
        const val = valAccuracy ?? accuracyOf(predictClasses(tf, c, tok, params, task.valTexts, t.maxLength), task.valLabels);
        postDynamics(post, job.label, await recorder.measure(epoch, set, { loss, trainAccuracy, valAccuracy: val }, t0));
      },
    },
    finish: () => recorder.finish(),
  };
}

export async function runTextJob(job: ModelJob, post: (m: JobMessage) => void): Promise<TrainingRecord> {
  const t = job.config.text!;
  const modelDir = join(job.dir, 'model');
  const trainingPath = join(job.dir, 'training.json');
  const actsPath = join(job.dir, 'activations.npz');
  await mkdir(job.dir, { recursive: true });
  const task = textTask(job);
  let record: TrainingRecord;
  if (existsSync(trainingPath) && existsSync(join(modelDir, 'onnx', 'model.onnx'))) {
    record = JSON.parse(new TextDecoder().decode(await readFileBytes(trainingPath))) as TrainingRecord;
  } else {
    const tf = await loadTrainingTf();
    registerSegmentSumKernel(tf);
    const enc = await readEncoderFolder(encoderDir(t.encoder));
    const tok = new WordPiece(enc.vocab);
    const cfg = { ...t, classes: 2, seed: deriveSeed(job.seed, Stream.init, job.from === 'scratch' ? 1 : 0) };
    const tStart = performance.now();
    const track = await textTracking(job, task, tf, enc.config, tok, post);
    const outcome = await finetune(
      tf,
      enc.config,
      tok,
      job.from === 'scratch' ? null : enc.weights,
      { texts: task.trainTexts, labels: task.trainLabels },
      { texts: task.valTexts, labels: task.valLabels },
      cfg,
      {
        onEpoch: (e) =>
          post({
            type: 'epoch',
            label: job.label,
            info: { epoch: e.epoch, epochs: t.maxEpochs, loss: e.loss, valAccuracy: e.valAccuracy, bestValAccuracy: e.valAccuracy, elapsed: (performance.now() - tStart) / 1000, secondsPerEpoch: e.seconds },
          }),
        track: track?.hook,
      },
    );
    await track?.finish();
    const valPred = predictWithWeights(tf, enc.config, tok, outcome.specs, outcome.weights, task.valTexts, t.maxLength);
    const trainPred = predictWithWeights(tf, enc.config, tok, outcome.specs, outcome.weights, task.trainTexts, t.maxLength);
    const last = outcome.history[outcome.history.length - 1];
    record = {
      experiment: job.config.experiment,
      parameter: job.parameter,
      value: job.value,
      seed: job.seed,
      from: job.from,
      valAccuracy: accuracyOf(valPred, task.valLabels),
      conflictAccuracy: task.valConflicting ? accuracyOf(valPred, task.valLabels, task.valConflicting) : null,
      conflictCount: task.valConflicting ? task.valConflicting.reduce((a, x) => a + x, 0) : null,
      testAccuracy: null,
      trainAccuracy: accuracyOf(trainPred, task.trainLabels),
      epochs: outcome.epochs,
      bestEpoch: outcome.epochs,
      stoppedEarly: outcome.stoppedAtLoss,
      finalLoss: last?.loss ?? NaN,
      trainSeconds: outcome.seconds,
      backend: tf.getBackend(),
      data: task.data,
      history: outcome.history.map((h) => ({ epoch: h.epoch, loss: h.loss, valAccuracy: h.valAccuracy, seconds: h.seconds })),
    };
    await writeEncoderFolder(modelDir, { config: enc.config, vocab: enc.vocab, weights: outcome.weights, specs: outcome.specs });
    await writeFileAtomic(trainingPath, JSON.stringify(record, null, 1) + '\n');
  }
  if (!existsSync(actsPath)) {
    post({ type: 'status', label: job.label, text: `activations on ${task.measureTexts.length} texts (ONNX export, extract path)` });
    const names = analysedLayers(job.config);
    const ex = await extractActivations(modelDir, { kind: 'texts', texts: task.measureTexts, source: 'measurement texts' }, { layers: bertBlockOutputs(names.length), token: 'first', threads: 1 });
    await writeActivations(
      actsPath,
      ex.layers.map((l, i) => ({ name: names[i], samples: l.samples, neurons: l.neurons, data: Float32Array.from(l.data) })),
    );
  }
  return record;
}
