/**
 * Masked-LM pretraining of the encoder on a folder of plain-text documents, resumable:
 *
 *   out/tokenizer.json, tokenizer_config.json   the vocabulary, built from the corpus at the start
 *   out/config.json                             the encoder's Hugging Face config
 *   out/checkpoint/                             weights, AdamW moments, position, curve (atomic)
 *   out/pretraining.json                        settings, corpus statistics, the loss curve
 *   out/model.safetensors                       the encoder's weights, written at the end
 *
 * Every random choice is seeded: the vocabulary depends on the corpus only, the held-out split on
 * the sequence index, the batch order of epoch e and the masking and dropout of step t on (seed,
 * e) and (seed, t). A run stopped anywhere and resumed from its last checkpoint continues with the
 * same batches, and with `checkpointEvery` steps as the unit, gives the same weights.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AbortError } from '../engine/progress.js';
import { InputError } from '../io/errors.js';
import { readFileBytes, writeDirAtomic, writeFileAtomic } from '../io/files.js';
import { encodeSafetensors, parseSafetensors } from '../io/safetensors.js';
import { streamRng } from '../reproduce/seeds.js';
import { loadTrainingTf, type Tf } from '../reproduce/tf-backend.js';
import { VERSION } from '../version.js';
import { AdamW, ADAMW_DEFAULTS, learningRate, type AdamWState } from './adamw.js';
import { encoderConfig, hfConfigJson, type EncoderConfig, type EncoderSize } from './config.js';
import { crossEntropy, encode, encoderParams, initialValues, makeVariables, mlmHeadParams, mlmLogits, readVariables, disposeVariables, type ParamSpec } from './model.js';
import { registerSegmentSumKernel } from './segment-sum-kernel.js';
import { writeEncoderFolder } from './hf-folder-io.js';
import { cutSequences, maskBatch, type SequenceSet } from './sequences.js';
import { buildVocabulary, tokenizerConfigJson, tokenizerJson, vocabularyFromTokenizerJson, WordPiece } from './wordpiece.js';

/** Random streams of pretraining (beside the reproduction's own). */
const PRETRAIN_STREAM = { init: 101, batches: 102, masking: 103, dropout: 104, evalMask: 105 } as const;

export interface PretrainOptions {
  /** A folder of `.txt` documents (read in name order). */
  corpus: string;
  out: string;
  size?: EncoderSize;
  vocabSize?: number;
  /** Sequence length (and the encoder's positions). */
  length?: number;
  batch?: number;
  epochs?: number;
  learningRate?: number;
  /** Warm-up steps (default 5% of all steps). */
  warmup?: number;
  seed?: number;
  /** Stop (resumably) after this many minutes in this process. */
  maxMinutes?: number;
  /** Steps between checkpoints (default 250). */
  checkpointEvery?: number;
  /** Steps between held-out evaluations (default 250). */
  evalEvery?: number;
  /** Every this many sequences one is held out (default 100). */
  holdOutEvery?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface CurvePoint {
  step: number;
  epoch: number;
  /** Mean training MLM loss since the previous point. */
  trainLoss: number;
  heldOutLoss: number;
  heldOutAccuracy: number;
  learningRate: number;
  seconds: number;
}

interface CheckpointJson {
  key: string;
  step: number;
  curve: CurvePoint[];
  seconds: number;
}

export interface PretrainResult {
  done: boolean;
  step: number;
  totalSteps: number;
  curve: CurvePoint[];
}

/** Reads the corpus folder's `.txt` documents, in name order. */
export async function readCorpus(dir: string): Promise<{ name: string; text: string }[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.txt')).sort();
  } catch {
    throw new InputError(dir, 'cannot read the corpus folder (expected a folder of .txt documents)');
  }
  if (names.length === 0) throw new InputError(dir, 'holds no .txt documents');
  const out: { name: string; text: string }[] = [];
  for (const n of names) out.push({ name: n, text: new TextDecoder().decode(await readFileBytes(join(dir, n))) });
  return out;
}

/** Splits sequences into training and held-out sets: every `every`-th sequence is held out. */
function splitHeldOut(set: SequenceSet, every: number): { train: Int32Array; heldOut: Int32Array } {
  const train: number[] = [];
  const held: number[] = [];
  for (let i = 0; i < set.count; i++) (i % every === every - 1 ? held : train).push(i);
  return { train: Int32Array.from(train), heldOut: Int32Array.from(held) };
}

export async function pretrainEncoder(opts: PretrainOptions): Promise<PretrainResult> {
  const log = opts.log ?? (() => undefined);
  const size = opts.size ?? 'small';
  const vocabSize = opts.vocabSize ?? 8000;
  const length = opts.length ?? 64;
  const batch = opts.batch ?? 32;
  const epochs = opts.epochs ?? 3;
  const seed = opts.seed ?? 0;
  const lr = opts.learningRate ?? 5e-4;
  const ckEvery = opts.checkpointEvery ?? 250;
  const evalEvery = opts.evalEvery ?? 250;
  const holdOut = opts.holdOutEvery ?? 100;
  const t0 = performance.now();
  await mkdir(opts.out, { recursive: true });

  const docs = await readCorpus(opts.corpus);
  const tokFile = join(opts.out, 'tokenizer.json');
  let vocab: string[];
  if (existsSync(tokFile)) {
    vocab = vocabularyFromTokenizerJson(JSON.parse(new TextDecoder().decode(await readFileBytes(tokFile))));
    log(`vocabulary of ${vocab.length} pieces read from ${tokFile}`);
  } else {
    vocab = buildVocabulary(docs.map((d) => d.text), { size: vocabSize });
    await writeFileAtomic(tokFile, JSON.stringify(tokenizerJson(vocab)) + '\n');
    await writeFileAtomic(join(opts.out, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigJson(length), null, 2) + '\n');
    log(`vocabulary of ${vocab.length} pieces built from ${docs.length} documents`);
  }
  const tok = new WordPiece(vocab);
  const config = encoderConfig(size, vocab.length, length);
  await writeFileAtomic(join(opts.out, 'config.json'), JSON.stringify(hfConfigJson(config), null, 2) + '\n');
  const seqs = cutSequences(tok, docs.map((d) => d.text), length);
  const { train, heldOut } = splitHeldOut(seqs, holdOut);
  const stepsPerEpoch = Math.floor(train.length / batch);
  const totalSteps = stepsPerEpoch * epochs;
  const warmup = opts.warmup ?? Math.round(0.05 * totalSteps);
  log(`${seqs.count} sequences of <= ${length} ids (${seqs.tokens} tokens); ${train.length} for training, ${heldOut.length} held out; ${totalSteps} steps of ${batch}`);
  if (stepsPerEpoch === 0) throw new InputError(opts.corpus, `too small: ${train.length} training sequences for batches of ${batch}`);

  const tf = await loadTrainingTf();
  registerSegmentSumKernel(tf);
  const specs: ParamSpec[] = [...encoderParams(config), ...mlmHeadParams(config)];
  const key = JSON.stringify({ config, seed, batch, epochs, lr, warmup, holdOut, sequences: seqs.count, tokens: seqs.tokens });
  const ckDir = join(opts.out, 'checkpoint');
  const prior = await loadCheckpoint(ckDir, key, specs);
  const values = prior?.values ?? initialValues(specs, streamRng(seed, PRETRAIN_STREAM.init));
  const params = makeVariables(tf, specs, values);
  const opt = new AdamW(tf, { ...ADAMW_DEFAULTS, learningRate: lr, warmup, total: totalSteps }, specs, params, prior?.adam);
  const curve: CurvePoint[] = prior?.json.curve ?? [];
  let seconds = prior?.json.seconds ?? 0;
  if (prior) log(`resuming at step ${opt.step} of ${totalSteps}`);
  const heldOutBatch = heldOut.subarray(0, Math.min(heldOut.length, 256));

  let lossSum = 0;
  let lossCount = 0;
  let tLast = performance.now();
  let tokensSince = 0;
  let tRate = performance.now();
  const save = async (): Promise<void> => {
    seconds += (performance.now() - tLast) / 1000;
    tLast = performance.now();
    await saveCheckpoint(ckDir, key, specs, readVariables(params), opt.state(), { key, step: opt.step, curve, seconds });
  };
  try {
    let order: Int32Array | null = null;
    let orderEpoch = -1;
    while (opt.step < totalSteps) {
      if (opts.signal?.aborted) {
        // Keep what was done since the last checkpoint (a save takes well under a second).
        await save();
        throw new AbortError();
      }
      if (opts.maxMinutes !== undefined && (performance.now() - t0) / 60000 > opts.maxMinutes) {
        await save();
        log(`stopped after ${opts.maxMinutes} min at step ${opt.step}; run again to resume`);
        return { done: false, step: opt.step, totalSteps, curve };
      }
      const epoch = Math.floor(opt.step / stepsPerEpoch);
      if (epoch !== orderEpoch) {
        const perm = streamRng(seed, PRETRAIN_STREAM.batches, epoch).permutation(train.length);
        order = Int32Array.from(perm, (i) => train[i]);
        orderEpoch = epoch;
      }
      const within = opt.step % stepsPerEpoch;
      const rows = order!.subarray(within * batch, (within + 1) * batch);
      const step = opt.step + 1;
      const mb = maskBatch(seqs, rows, vocab.length, 0.15, streamRng(seed, PRETRAIN_STREAM.masking, step));
      tokensSince += mb.mask.reduce((a, b) => a + b, 0);
      const loss = mlmStep(tf, config, params, opt, mb, batch, length, streamRng(seed, PRETRAIN_STREAM.dropout, step).uint32());
      lossSum += loss;
      lossCount++;
      if (opt.step % evalEvery === 0 || opt.step === totalSteps) {
        const ev = evaluateMlm(tf, config, params, seqs, heldOutBatch, vocab.length, seed);
        const now = performance.now();
        const point: CurvePoint = { step: opt.step, epoch: opt.step / stepsPerEpoch, trainLoss: lossSum / lossCount, heldOutLoss: ev.loss, heldOutAccuracy: ev.accuracy, learningRate: learningRate({ learningRate: lr, warmup, total: totalSteps }, opt.step), seconds: seconds + (now - tLast) / 1000 };
        curve.push(point);
        log(`step ${opt.step}/${totalSteps} epoch ${point.epoch.toFixed(2)} train loss ${point.trainLoss.toFixed(3)} held-out loss ${ev.loss.toFixed(3)} acc ${ev.accuracy.toFixed(3)}, ${(tokensSince / ((now - tRate) / 1000)).toFixed(0)} tokens/s`);
        tokensSince = 0;
        tRate = now;
        lossSum = 0;
        lossCount = 0;
      }
      if (opt.step % ckEvery === 0 || opt.step === totalSteps) await save();
    }
    await writeEncoderFolder(opts.out, { config, vocab, weights: readVariables(params), specs: encoderParams(config) }, { onnx: false });
    await writeFileAtomic(
      join(opts.out, 'pretraining.json'),
      JSON.stringify(
        {
          schema: 'infomem/encoder-pretraining',
          tool: { name: 'infomem', version: VERSION },
          config,
          settings: { seed, batch, epochs, learningRate: lr, warmup, steps: totalSteps, maskRate: 0.15, holdOutEvery: holdOut, optimizer: { name: 'AdamW', ...ADAMW_DEFAULTS } },
          corpus: { documents: docs.length, sequences: seqs.count, tokens: seqs.tokens, files: docs.map((d) => d.name) },
          seconds,
          curve,
        },
        null,
        2,
      ) + '\n',
    );
    log(`pretraining done: ${totalSteps} steps, ${(seconds / 60).toFixed(1)} min of training`);
    return { done: true, step: opt.step, totalSteps, curve };
  } finally {
    opt.dispose();
    disposeVariables(params);
  }
}

/** One masked-LM step; returns the batch's loss. */
function mlmStep(tf: Tf, c: EncoderConfig, params: Map<string, import('@tensorflow/tfjs').Variable>, opt: AdamW, mb: ReturnType<typeof maskBatch>, B: number, T: number, dropSeed: number): number {
  const ids = tf.tensor2d(mb.input, [B, T], 'int32');
  const mask = tf.tensor2d(mb.mask, [B, T], 'int32');
  const pos = tf.tensor1d(mb.positions, 'int32');
  const lab = tf.tensor1d(mb.labels, 'int32');
  try {
    return opt.minimize(() => {
      const states = encode(tf, c, params, ids, mask, { training: true, seed: dropSeed });
      return crossEntropy(tf, mlmLogits(tf, c, params, states[states.length - 1], pos), lab);
    });
  } finally {
    ids.dispose();
    mask.dispose();
    pos.dispose();
    lab.dispose();
  }
}

/** Masked-LM loss and accuracy on held-out sequences (a fixed masking). */
function evaluateMlm(tf: Tf, c: EncoderConfig, params: Map<string, import('@tensorflow/tfjs').Variable>, seqs: SequenceSet, rows: Int32Array, vocabSize: number, seed: number): { loss: number; accuracy: number } {
  const T = seqs.length;
  let lossSum = 0;
  let correct = 0;
  let n = 0;
  for (let s = 0; s < rows.length; s += 64) {
    const r = rows.subarray(s, s + 64);
    const mb = maskBatch(seqs, r, vocabSize, 0.15, streamRng(seed, PRETRAIN_STREAM.evalMask, s));
    const out = tf.tidy(() => {
      const states = encode(tf, c, params, tf.tensor2d(mb.input, [r.length, T], 'int32'), tf.tensor2d(mb.mask, [r.length, T], 'int32'), { training: false });
      const logits = mlmLogits(tf, c, params, states[states.length - 1], tf.tensor1d(mb.positions, 'int32'));
      const lab = tf.tensor1d(mb.labels, 'int32');
      const loss = tf.mul(crossEntropy(tf, logits, lab), mb.labels.length);
      const hit = tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), lab), 'float32'));
      return tf.stack([loss, hit]);
    });
    const [l, h] = out.dataSync() as Float32Array;
    out.dispose();
    lossSum += l;
    correct += h;
    n += mb.labels.length;
  }
  return { loss: lossSum / n, accuracy: correct / n };
}

async function saveCheckpoint(dir: string, key: string, specs: readonly ParamSpec[], values: Map<string, Float32Array>, adam: AdamWState, json: CheckpointJson): Promise<void> {
  const tensors = new Map<string, { data: Float32Array; shape: number[] }>();
  for (const s of specs) {
    tensors.set(s.name, { data: values.get(s.name)!, shape: s.shape });
    tensors.set(`adam.m.${s.name}`, { data: adam.m.get(s.name)!, shape: s.shape });
    tensors.set(`adam.v.${s.name}`, { data: adam.v.get(s.name)!, shape: s.shape });
  }
  const bytes = encodeSafetensors(tensors);
  await writeDirAtomic(dir, async (tmp) => {
    await writeFile(join(tmp, 'state.safetensors'), bytes);
    await writeFile(join(tmp, 'state.json'), JSON.stringify({ ...json, key, adamStep: adam.step }));
  }, { replace: true });
}

async function loadCheckpoint(dir: string, key: string, specs: readonly ParamSpec[]): Promise<{ values: Map<string, Float32Array>; adam: AdamWState; json: CheckpointJson } | null> {
  if (!existsSync(join(dir, 'state.json'))) return null;
  const json = JSON.parse(new TextDecoder().decode(await readFileBytes(join(dir, 'state.json')))) as CheckpointJson & { adamStep: number };
  if (json.key !== key) throw new InputError(dir, 'is a checkpoint of a pretraining with other settings; use another --out or delete it');
  const file = join(dir, 'state.safetensors');
  const arrays = parseSafetensors(await readFileBytes(file), file);
  const take = (name: string): Float32Array => {
    const a = arrays.get(name);
    if (!a) throw new InputError(file, `has no tensor ${name}`);
    return Float32Array.from(a.data);
  };
  const values = new Map<string, Float32Array>();
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  for (const s of specs) {
    values.set(s.name, take(s.name));
    m.set(s.name, take(`adam.m.${s.name}`));
    v.set(s.name, take(`adam.v.${s.name}`));
  }
  return { values, adam: { step: json.adamStep, m, v }, json };
}
