/**
 * Writes test/fixtures/models/tiny-bert/: a tiny BERT-style local Hugging Face folder
 * (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx) for the model tests and
 * the extraction benchmark. No PyTorch or network is involved: the ONNX graph is built with
 * src/models/bert-onnx.ts in the layout of a BertModel export (opset 17; nodes named like
 * `/encoder/layer.0/attention/self/query/MatMul`; the last block's output is `last_hidden_state`),
 * with random weights from infomem's seeded Rng (seed 23), and the tokenizer is a WordPiece
 * tokenizer.json over a 30-word vocabulary.
 *
 * Architecture: vocab 30, hidden 8, 2 heads of 4, intermediate 16 (exact erf GELU), 2 layers,
 * 16 positions, 2 token types, LayerNorm eps 1e-12; attention mask as (1 - mask) * -10000.
 *
 * Run: npx tsc -p tsconfig.json && node build/scripts/make-tiny-bert-fixture.js
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/random/rng.js';
import { tokenizerConfigJson, tokenizerJson } from '../src/encoder/wordpiece.js';
import { bertOnnx } from '../src/models/bert-onnx.js';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'a', 'cat', 'dog', 'bird', 'sat', 'ran', 'flew', 'on', 'in', 'mat', 'park', 'tree', 'big', 'small', 'red', '##s', '.', ',', 'and', 'is', 'was', 'over', 'under', 'fox'];
const H = 8;
const HEADS = 2;
const I = 16;
const L = 2;
const MAXPOS = 16;

const rng = new Rng(23);
const normal = (n: number, scale: number, shift = 0): number[] => Array.from({ length: n }, () => shift + scale * rng.normal());

// Weights in the order the graph uses them (the order of the draws fixes the fixture's values).
const weights = new Map<string, number[]>();
const draw = (name: string, n: number, scale: number, shift = 0): void => void weights.set(name, normal(n, scale, shift));
const drawLinear = (param: string, inp: number, outp: number): void => {
  draw(`${param}.weight`, inp * outp, 1 / Math.sqrt(inp));
  draw(`${param}.bias`, outp, 0.1);
};
const drawLayerNorm = (param: string): void => {
  draw(`${param}.weight`, H, 0.1, 1);
  draw(`${param}.bias`, H, 0.1);
};
draw('embeddings.word_embeddings.weight', VOCAB.length * H, 1);
draw('embeddings.position_embeddings.weight', MAXPOS * H, 0.5);
draw('embeddings.token_type_embeddings.weight', 2 * H, 0.5);
drawLayerNorm('embeddings.LayerNorm');
for (let l = 0; l < L; l++) {
  const param = `encoder.layer.${l}`;
  for (const part of ['query', 'key', 'value']) drawLinear(`${param}.attention.self.${part}`, H, H);
  drawLinear(`${param}.attention.output.dense`, H, H);
  drawLayerNorm(`${param}.attention.output.LayerNorm`);
  drawLinear(`${param}.intermediate.dense`, H, I);
  drawLinear(`${param}.output.dense`, I, H);
  drawLayerNorm(`${param}.output.LayerNorm`);
}
const bytes = bertOnnx(
  { vocabSize: VOCAB.length, hidden: H, layers: L, heads: HEADS, intermediate: I, maxPositions: MAXPOS, layerNormEps: 1e-12 },
  weights,
  { producerName: 'infomem make-tiny-bert-fixture (BertModel export layout)' },
);

const tokenizer = tokenizerJson(VOCAB);
const config = {
  architectures: ['BertModel'],
  model_type: 'bert',
  vocab_size: VOCAB.length,
  hidden_size: H,
  num_hidden_layers: L,
  num_attention_heads: HEADS,
  intermediate_size: I,
  hidden_act: 'gelu',
  max_position_embeddings: MAXPOS,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
};
const tokenizerConfig = tokenizerConfigJson(MAXPOS);

const dir = fileURLToPath(new URL('../../test/fixtures/models/tiny-bert/', import.meta.url));
mkdirSync(`${dir}onnx`, { recursive: true });
writeFileSync(`${dir}onnx/model.onnx`, bytes);
writeFileSync(`${dir}config.json`, `${JSON.stringify(config, null, 2)}\n`);
writeFileSync(`${dir}tokenizer.json`, `${JSON.stringify(tokenizer, null, 2)}\n`);
writeFileSync(`${dir}tokenizer_config.json`, `${JSON.stringify(tokenizerConfig, null, 2)}\n`);
writeFileSync(`${dir}texts.txt`, ['The cat sat on the mat.', 'A big dog ran in the park', 'birds flew over the red tree', 'the small fox is under a tree, and the cat was on the mat.', 'cats', 'a red bird sat on a big dog'].join('\n') + '\n');
process.stdout.write(`wrote ${dir}\n`);
