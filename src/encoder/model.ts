/**
 * The BERT-style encoder in TF.js, written with raw ops over named parameters so that the same
 * numbers can be exported as a Hugging Face `BertModel` ONNX graph (export-hf.ts):
 *
 *   e   = LN(W_word[ids] + W_pos[0..T) + W_type[0])                        embeddings
 *   a   = LN(x + dropout(Attn(x) Wo + bo))                                  per block
 *   x'  = LN(a + dropout(GELU(a Wi + bi) Wf + bf)),  GELU(z) = z (1 + erf(z / sqrt 2)) / 2
 *   Attn: per head softmax(q k^T / sqrt(d_h) + (1 - mask) * -10000) v
 *   LN(z) = (z - mean) / sqrt(var + eps) * gamma + beta over the hidden axis
 *
 * Heads: masked-LM (dense, GELU, LN, then the word embeddings transposed plus a bias) and a
 * DistilBERT-style classifier on the last block's [CLS] vector (dense, ReLU, dropout, dense).
 *
 * Parameters carry Hugging Face's names; matrices are stored as `in x out` (x W), the transpose
 * of PyTorch's `nn.Linear.weight`, which is also the layout of the exported MatMul initialisers.
 * Initialisation as BERT's: N(0, 0.02) matrices and embeddings, zero biases, unit LN gains.
 */
import type * as TfNs from '@tensorflow/tfjs';
import type { Rng } from '../core/random/rng.js';
import type { Tf } from '../reproduce/tf-backend.js';
import { checkEncoderConfig, type EncoderConfig } from './config.js';

export interface ParamSpec {
  name: string;
  shape: number[];
  /** Weight decay applies (matrices and embeddings; not biases or LayerNorm). */
  decay: boolean;
  init: 'normal' | 'zeros' | 'ones';
}

/** The encoder's parameters, in a fixed order. */
export function encoderParams(c: EncoderConfig): ParamSpec[] {
  checkEncoderConfig(c);
  const d = c.hidden;
  const mat = (name: string, shape: number[]): ParamSpec => ({ name, shape, decay: true, init: 'normal' });
  const bias = (name: string, n: number): ParamSpec => ({ name, shape: [n], decay: false, init: 'zeros' });
  const ln = (prefix: string): ParamSpec[] => [
    { name: `${prefix}.weight`, shape: [d], decay: false, init: 'ones' },
    { name: `${prefix}.bias`, shape: [d], decay: false, init: 'zeros' },
  ];
  const dense = (prefix: string, i: number, o: number): ParamSpec[] => [mat(`${prefix}.weight`, [i, o]), bias(`${prefix}.bias`, o)];
  const out: ParamSpec[] = [
    mat('embeddings.word_embeddings.weight', [c.vocabSize, d]),
    mat('embeddings.position_embeddings.weight', [c.maxPositions, d]),
    mat('embeddings.token_type_embeddings.weight', [2, d]),
    ...ln('embeddings.LayerNorm'),
  ];
  for (let l = 0; l < c.layers; l++) {
    const p = `encoder.layer.${l}`;
    out.push(
      ...dense(`${p}.attention.self.query`, d, d),
      ...dense(`${p}.attention.self.key`, d, d),
      ...dense(`${p}.attention.self.value`, d, d),
      ...dense(`${p}.attention.output.dense`, d, d),
      ...ln(`${p}.attention.output.LayerNorm`),
      ...dense(`${p}.intermediate.dense`, d, c.intermediate),
      ...dense(`${p}.output.dense`, c.intermediate, d),
      ...ln(`${p}.output.LayerNorm`),
    );
  }
  return out;
}

/** Masked-LM head parameters (the decoder matrix is tied to the word embeddings). */
export function mlmHeadParams(c: EncoderConfig): ParamSpec[] {
  const d = c.hidden;
  return [
    { name: 'cls.predictions.transform.dense.weight', shape: [d, d], decay: true, init: 'normal' },
    { name: 'cls.predictions.transform.dense.bias', shape: [d], decay: false, init: 'zeros' },
    { name: 'cls.predictions.transform.LayerNorm.weight', shape: [d], decay: false, init: 'ones' },
    { name: 'cls.predictions.transform.LayerNorm.bias', shape: [d], decay: false, init: 'zeros' },
    { name: 'cls.predictions.bias', shape: [c.vocabSize], decay: false, init: 'zeros' },
  ];
}

/** Classifier head parameters (DistilBERT's pre_classifier and classifier). */
export function classifierParams(c: EncoderConfig, classes: number): ParamSpec[] {
  const d = c.hidden;
  return [
    { name: 'pre_classifier.weight', shape: [d, d], decay: true, init: 'normal' },
    { name: 'pre_classifier.bias', shape: [d], decay: false, init: 'zeros' },
    { name: 'classifier.weight', shape: [d, classes], decay: true, init: 'normal' },
    { name: 'classifier.bias', shape: [classes], decay: false, init: 'zeros' },
  ];
}

/** Initial values of parameters drawn from `rng` (in spec order, so the result depends on the seed only). */
export function initialValues(specs: readonly ParamSpec[], rng: Rng): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const s of specs) {
    const n = s.shape.reduce((p, d) => p * d, 1);
    const v = new Float32Array(n);
    if (s.init === 'ones') v.fill(1);
    else if (s.init === 'normal') for (let i = 0; i < n; i++) v[i] = 0.02 * rng.normal();
    out.set(s.name, v);
  }
  return out;
}

/** Parameters as TF.js variables, by name. */
export type Params = Map<string, TfNs.Variable>;

export function makeVariables(tf: Tf, specs: readonly ParamSpec[], values: Map<string, Float32Array>): Params {
  const out: Params = new Map();
  for (const s of specs) {
    const v = values.get(s.name);
    if (!v) throw new RangeError(`no value for parameter ${s.name}`);
    const n = s.shape.reduce((p, d) => p * d, 1);
    if (v.length !== n) throw new RangeError(`parameter ${s.name}: ${v.length} values for shape [${s.shape.join(', ')}]`);
    out.set(s.name, tf.variable(tf.tensor(v, s.shape, 'float32'), true));
  }
  return out;
}

/** Current values of variables, by name (copies). */
export function readVariables(params: Params): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [k, v] of params) out.set(k, Float32Array.from(v.dataSync() as Float32Array));
  return out;
}

export function disposeVariables(params: Params): void {
  for (const v of params.values()) v.dispose();
}

/** Dropout on or off; `seed` makes each call's mask reproducible. */
export interface ForwardMode {
  training: boolean;
  seed?: number;
}

function get(p: Params, name: string): TfNs.Variable {
  const v = p.get(name);
  if (!v) throw new RangeError(`missing parameter ${name}`);
  return v;
}

function layerNorm(tf: Tf, x: TfNs.Tensor, p: Params, prefix: string, eps: number): TfNs.Tensor {
  const mean = tf.mean(x, -1, true);
  const xc = tf.sub(x, mean);
  const v = tf.mean(tf.square(xc), -1, true);
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(v, eps))), get(p, `${prefix}.weight`)), get(p, `${prefix}.bias`));
}

function dense(tf: Tf, x2: TfNs.Tensor, p: Params, prefix: string): TfNs.Tensor {
  return tf.add(tf.matMul(x2 as TfNs.Tensor2D, get(p, `${prefix}.weight`) as TfNs.Tensor2D), get(p, `${prefix}.bias`));
}

function gelu(tf: Tf, z: TfNs.Tensor): TfNs.Tensor {
  return tf.mul(tf.mul(z, tf.add(tf.erf(tf.div(z, Math.SQRT2)), 1)), 0.5);
}

/** Per-call dropout seeds: site k of the call with seed s. */
function dropout(tf: Tf, x: TfNs.Tensor, rate: number, mode: ForwardMode, site: number): TfNs.Tensor {
  if (!mode.training || rate === 0) return x;
  return tf.dropout(x, rate, undefined, ((mode.seed ?? 0) * 64 + site) >>> 0);
}

/**
 * The encoder's hidden states for a batch: the embeddings' output and every block's output, each
 * (B*T) x d (row b*T + t is token t of example b). `ids` and `mask` are B x T int32.
 */
export function encode(tf: Tf, c: EncoderConfig, p: Params, ids: TfNs.Tensor2D, mask: TfNs.Tensor2D, mode: ForwardMode): TfNs.Tensor2D[] {
  const [B, T] = ids.shape;
  if (T > c.maxPositions) throw new RangeError(`sequence length ${T} exceeds the encoder's ${c.maxPositions} positions`);
  const d = c.hidden;
  const H = c.heads;
  const dh = d / H;
  const flatIds = tf.reshape(ids, [B * T]);
  const words = tf.gather(get(p, 'embeddings.word_embeddings.weight'), flatIds);
  const pos = tf.slice(get(p, 'embeddings.position_embeddings.weight'), [0, 0], [T, d]);
  const type0 = tf.slice(get(p, 'embeddings.token_type_embeddings.weight'), [0, 0], [1, d]);
  const emb = tf.add(tf.reshape(tf.add(tf.reshape(words, [B, T, d]), pos), [B * T, d]), type0);
  let x = dropout(tf, layerNorm(tf, emb, p, 'embeddings.LayerNorm', c.layerNormEps), c.dropout, mode, 0) as TfNs.Tensor2D;
  const states: TfNs.Tensor2D[] = [x];
  // (1 - mask) * -10000, broadcast over heads and query positions.
  const maskBias = tf.reshape(tf.mul(tf.sub(1, tf.cast(mask, 'float32')), -10000), [B, 1, 1, T]);
  const scale = 1 / Math.sqrt(dh);
  for (let l = 0; l < c.layers; l++) {
    const pre = `encoder.layer.${l}`;
    const heads = (t: TfNs.Tensor, perm: number[]): TfNs.Tensor4D => tf.transpose(tf.reshape(t, [B, T, H, dh]), perm) as TfNs.Tensor4D;
    const q = heads(dense(tf, x, p, `${pre}.attention.self.query`), [0, 2, 1, 3]);
    const k = heads(dense(tf, x, p, `${pre}.attention.self.key`), [0, 2, 3, 1]);
    const v = heads(dense(tf, x, p, `${pre}.attention.self.value`), [0, 2, 1, 3]);
    const scores = tf.add(tf.mul(tf.matMul(q, k), scale), maskBias);
    const probs = tf.softmax(scores, -1) as TfNs.Tensor4D;
    const ctx = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [B * T, d]);
    const ao = dropout(tf, dense(tf, ctx, p, `${pre}.attention.output.dense`), c.dropout, mode, 1 + 2 * l);
    const a = layerNorm(tf, tf.add(ao, x), p, `${pre}.attention.output.LayerNorm`, c.layerNormEps);
    const f = dropout(tf, dense(tf, gelu(tf, dense(tf, a, p, `${pre}.intermediate.dense`)), p, `${pre}.output.dense`), c.dropout, mode, 2 + 2 * l);
    x = layerNorm(tf, tf.add(f, a), p, `${pre}.output.LayerNorm`, c.layerNormEps) as TfNs.Tensor2D;
    states.push(x);
  }
  return states;
}

/**
 * Masked-LM logits at `positions` (flat indices b*T + t into the last hidden state), M x V.
 */
export function mlmLogits(tf: Tf, c: EncoderConfig, p: Params, last: TfNs.Tensor2D, positions: TfNs.Tensor1D): TfNs.Tensor2D {
  const h = tf.gather(last, positions);
  const t = layerNorm(tf, gelu(tf, dense(tf, h, p, 'cls.predictions.transform.dense')), p, 'cls.predictions.transform.LayerNorm', c.layerNormEps);
  return tf.add(tf.matMul(t as TfNs.Tensor2D, get(p, 'embeddings.word_embeddings.weight') as TfNs.Tensor2D, false, true), get(p, 'cls.predictions.bias')) as TfNs.Tensor2D;
}

/** Classifier logits from the [CLS] rows of the last hidden state (B x classes). */
export function classifierLogits(tf: Tf, c: EncoderConfig, p: Params, last: TfNs.Tensor2D, batch: number, length: number, mode: ForwardMode): TfNs.Tensor2D {
  const cls = tf.gather(last, tf.range(0, batch * length, length, 'int32'));
  const h = dropout(tf, tf.relu(dense(tf, cls, p, 'pre_classifier')), c.dropout, mode, 63);
  return dense(tf, h, p, 'classifier') as TfNs.Tensor2D;
}

/** Mean softmax cross-entropy of logits (n x C) against integer labels. */
export function crossEntropy(tf: Tf, logits: TfNs.Tensor2D, labels: TfNs.Tensor1D): TfNs.Scalar {
  const C = logits.shape[1];
  const logp = tf.logSoftmax(logits, -1);
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels, C), logp), -1))) as TfNs.Scalar;
}
