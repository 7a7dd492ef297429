/**
 * An encoder as a local Hugging Face-style folder, the form a user's exported DistilBERT takes:
 *
 *   config.json, tokenizer.json, tokenizer_config.json
 *   model.safetensors        every parameter (float32; matrices in x out, see model.ts)
 *   onnx/model.onnx          the encoder (BertModel layout), every block's output a graph output
 *
 * {@link readEncoderFolder} reads config, vocabulary and weights back (to start fine-tuning from a
 * pretrained encoder).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../io/errors.js';
import { readFileBytes, writeFileAtomic } from '../io/files.js';
import { encodeSafetensors, parseSafetensors } from '../io/safetensors.js';
import { bertOnnx } from '../models/bert-onnx.js';
import { hfConfigJson, type EncoderConfig } from './config.js';
import { encoderParams, type ParamSpec } from './model.js';
import { tokenizerConfigJson, tokenizerJson, vocabularyFromTokenizerJson } from './wordpiece.js';

export interface EncoderFolder {
  config: EncoderConfig;
  vocab: string[];
  weights: Map<string, Float32Array>;
}

/** Writes the folder's files into `dir` (which must exist or be creatable); each file atomically. */
export async function writeEncoderFolder(dir: string, f: EncoderFolder & { specs: readonly ParamSpec[] }, opts: { onnx?: boolean } = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, 'config.json'), JSON.stringify(hfConfigJson(f.config), null, 2) + '\n');
  await writeFileAtomic(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(f.vocab)) + '\n');
  await writeFileAtomic(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigJson(f.config.maxPositions), null, 2) + '\n');
  const tensors = new Map(f.specs.map((s) => [s.name, { data: need(f.weights, s.name), shape: s.shape }]));
  await writeFileAtomic(join(dir, 'model.safetensors'), encodeSafetensors(tensors, { format: 'infomem-encoder', layout: 'in x out' }));
  if (opts.onnx !== false) {
    await mkdir(join(dir, 'onnx'), { recursive: true });
    await writeFileAtomic(join(dir, 'onnx', 'model.onnx'), bertOnnx(f.config, f.weights, { allHiddenStates: true }));
  }
}

function need(m: Map<string, Float32Array>, name: string): Float32Array {
  const v = m.get(name);
  if (!v) throw new RangeError(`no weight ${name}`);
  return v;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  const bytes = await readFileBytes(file);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch (e) {
    throw new InputError(file, `not valid JSON (${(e as Error).message})`);
  }
}

/** Reads an encoder folder written by {@link writeEncoderFolder} (encoder weights only). */
export async function readEncoderFolder(dir: string): Promise<EncoderFolder> {
  const cfgFile = join(dir, 'config.json');
  const j = await readJson(cfgFile);
  const num = (k: string): number => {
    const v = j[k];
    if (typeof v !== 'number') throw new InputError(cfgFile, `has no numeric ${k}`);
    return v;
  };
  const config: EncoderConfig = {
    vocabSize: num('vocab_size'),
    hidden: num('hidden_size'),
    layers: num('num_hidden_layers'),
    heads: num('num_attention_heads'),
    intermediate: num('intermediate_size'),
    maxPositions: num('max_position_embeddings'),
    dropout: typeof j.hidden_dropout_prob === 'number' ? j.hidden_dropout_prob : 0.1,
    layerNormEps: typeof j.layer_norm_eps === 'number' ? j.layer_norm_eps : 1e-12,
  };
  const tokFile = join(dir, 'tokenizer.json');
  let vocab: string[];
  try {
    vocab = vocabularyFromTokenizerJson(await readJson(tokFile));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(tokFile, (e as Error).message);
  }
  if (vocab.length !== config.vocabSize) throw new InputError(tokFile, `has ${vocab.length} pieces; config.json says ${config.vocabSize}`);
  const wFile = join(dir, 'model.safetensors');
  const arrays = parseSafetensors(await readFileBytes(wFile), wFile);
  const weights = new Map<string, Float32Array>();
  for (const s of encoderParams(config)) {
    const a = arrays.get(s.name);
    if (!a) throw new InputError(wFile, `has no tensor ${s.name}`);
    if (a.shape.join('x') !== s.shape.join('x')) throw new InputError(wFile, `tensor ${s.name} has shape [${a.shape.join(', ')}], expected [${s.shape.join(', ')}]`);
    weights.set(s.name, Float32Array.from(a.data));
  }
  return { config, vocab, weights };
}
