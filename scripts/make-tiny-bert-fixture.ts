/**
 * Writes test/fixtures/models/tiny-bert/: a tiny BERT-style local Hugging Face folder
 * (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx) for the model tests and
 * the extraction benchmark. No PyTorch or network is involved: the ONNX graph is built with
 * onnx-buf in the layout of a BertModel export (opset 17; nodes named like
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
import type { NodeProto, TensorProto } from 'onnx-buf';
import { Rng } from '../src/core/random/rng.js';
import { buildModel, floatTensor, int64Tensor, node, OnnxDataType, valueInfo } from '../src/models/onnx-builder.js';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'a', 'cat', 'dog', 'bird', 'sat', 'ran', 'flew', 'on', 'in', 'mat', 'park', 'tree', 'big', 'small', 'red', '##s', '.', ',', 'and', 'is', 'was', 'over', 'under', 'fox'];
const H = 8;
const HEADS = 2;
const DH = H / HEADS;
const I = 16;
const L = 2;
const MAXPOS = 16;

const rng = new Rng(23);
const normal = (n: number, scale: number, shift = 0): number[] => Array.from({ length: n }, () => shift + scale * rng.normal());

const nodes: NodeProto[] = [];
const inits: TensorProto[] = [];
let matmulId = 100;

const init = (name: string, dims: number[], values: number[]): string => {
  inits.push(floatTensor(name, dims, values));
  return name;
};

// Constants shared by the graph.
inits.push(int64Tensor('/embeddings/Constant_output_0', [], [1]));
inits.push(int64Tensor('/embeddings/Constant_1_output_0', [1], [0]));
inits.push(int64Tensor('/embeddings/Constant_2_output_0', [1], [1]));
inits.push(int64Tensor('embeddings.position_ids', [1, MAXPOS], Array.from({ length: MAXPOS }, (_, i) => i)));
inits.push(floatTensor('/Constant_output_0', [], [1]));
inits.push(floatTensor('/Constant_1_output_0', [], [-10000]));
inits.push(int64Tensor('/encoder/Constant_output_0', [4], [0, 0, HEADS, DH]));
inits.push(int64Tensor('/encoder/Constant_1_output_0', [3], [0, 0, H]));
inits.push(floatTensor('/encoder/Constant_2_output_0', [], [Math.sqrt(DH)]));
inits.push(floatTensor('/encoder/Constant_3_output_0', [], [Math.SQRT2]));
inits.push(floatTensor('/encoder/Constant_4_output_0', [], [1]));
inits.push(floatTensor('/encoder/Constant_5_output_0', [], [0.5]));

const out0 = (name: string): string => `${name}_output_0`;
/** Adds a node named `name`; its output is `<name>_output_0` unless given. */
function op(opType: string, name: string, inputs: string[], attrs: Parameters<typeof node>[4] = {}, output = out0(name)): string {
  nodes.push(node(opType, inputs, [output], name, attrs));
  return output;
}
function linear(prefix: string, x: string, param: string, inp: number, outp: number, output?: string): string {
  const w = init(`onnx::MatMul_${matmulId++}`, [inp, outp], normal(inp * outp, 1 / Math.sqrt(inp)));
  const b = init(`${param}.bias`, [outp], normal(outp, 0.1));
  const m = op('MatMul', `${prefix}/MatMul`, [x, w]);
  return op('Add', `${prefix}/Add`, [b, m], {}, output);
}
function layerNorm(prefix: string, x: string, param: string, output?: string): string {
  const g = init(`${param}.weight`, [H], normal(H, 0.1, 1));
  const b = init(`${param}.bias`, [H], normal(H, 0.1));
  return op('LayerNormalization', `${prefix}/LayerNormalization`, [x, g, b], { axis: { i: -1 }, epsilon: { f: 1e-12 } }, output);
}

// Embeddings.
const wordEmb = init('embeddings.word_embeddings.weight', [VOCAB.length, H], normal(VOCAB.length * H, 1));
const posEmb = init('embeddings.position_embeddings.weight', [MAXPOS, H], normal(MAXPOS * H, 0.5));
const typeEmb = init('embeddings.token_type_embeddings.weight', [2, H], normal(2 * H, 0.5));
const words = op('Gather', '/embeddings/word_embeddings/Gather', [wordEmb, 'input_ids']);
const types = op('Gather', '/embeddings/token_type_embeddings/Gather', [typeEmb, 'token_type_ids']);
const sum0 = op('Add', '/embeddings/Add', [words, types]);
const shape = op('Shape', '/embeddings/Shape', ['input_ids']);
const seqLen = op('Gather', '/embeddings/Gather', [shape, '/embeddings/Constant_output_0'], { axis: { i: 0 } });
const seqLen1 = op('Unsqueeze', '/embeddings/Unsqueeze', [seqLen, '/embeddings/Constant_1_output_0']);
const posIds = op('Slice', '/embeddings/Slice', ['embeddings.position_ids', '/embeddings/Constant_1_output_0', seqLen1, '/embeddings/Constant_2_output_0']);
const pos = op('Gather', '/embeddings/position_embeddings/Gather', [posEmb, posIds]);
const sum1 = op('Add', '/embeddings/Add_1', [sum0, pos]);
let x = layerNorm('/embeddings/LayerNorm', sum1, 'embeddings.LayerNorm');

// Extended attention mask: (1 - mask[:, None, None, :]) * -10000.
inits.push(int64Tensor('/Constant_2_output_0', [2], [1, 2]));
const m1 = op('Unsqueeze', '/Unsqueeze', ['attention_mask', '/Constant_2_output_0']);
const mf = op('Cast', '/Cast', [m1], { to: { i: OnnxDataType.FLOAT } });
const inv = op('Sub', '/Sub', ['/Constant_output_0', mf]);
const maskBias = op('Mul', '/Mul', [inv, '/Constant_1_output_0']);

for (let l = 0; l < L; l++) {
  const p = `/encoder/layer.${l}`;
  const param = `encoder.layer.${l}`;
  const q = linear(`${p}/attention/self/query`, x, `${param}.attention.self.query`, H, H);
  const k = linear(`${p}/attention/self/key`, x, `${param}.attention.self.key`, H, H);
  const v = linear(`${p}/attention/self/value`, x, `${param}.attention.self.value`, H, H);
  const s = `${p}/attention/self`;
  const qh = op('Transpose', `${s}/Transpose`, [op('Reshape', `${s}/Reshape`, [q, '/encoder/Constant_output_0'])], { perm: { ints: [0, 2, 1, 3] } });
  const kt = op('Transpose', `${s}/Transpose_1`, [op('Reshape', `${s}/Reshape_1`, [k, '/encoder/Constant_output_0'])], { perm: { ints: [0, 2, 3, 1] } });
  const vh = op('Transpose', `${s}/Transpose_2`, [op('Reshape', `${s}/Reshape_2`, [v, '/encoder/Constant_output_0'])], { perm: { ints: [0, 2, 1, 3] } });
  const scores = op('Div', `${s}/Div`, [op('MatMul', `${s}/MatMul`, [qh, kt]), '/encoder/Constant_2_output_0']);
  const probs = op('Softmax', `${s}/Softmax`, [op('Add', `${s}/Add`, [scores, maskBias])], { axis: { i: -1 } });
  const ctx = op('Reshape', `${s}/Reshape_3`, [op('Transpose', `${s}/Transpose_3`, [op('MatMul', `${s}/MatMul_1`, [probs, vh])], { perm: { ints: [0, 2, 1, 3] } }), '/encoder/Constant_1_output_0']);
  const ao = linear(`${p}/attention/output/dense`, ctx, `${param}.attention.output.dense`, H, H);
  const a = layerNorm(`${p}/attention/output/LayerNorm`, op('Add', `${p}/attention/output/Add`, [ao, x]), `${param}.attention.output.LayerNorm`);
  const hIn = linear(`${p}/intermediate/dense`, a, `${param}.intermediate.dense`, H, I);
  const g = `${p}/intermediate/intermediate_act_fn`;
  const erf = op('Erf', `${g}/Erf`, [op('Div', `${g}/Div`, [hIn, '/encoder/Constant_3_output_0'])]);
  const gelu = op('Mul', `${g}/Mul_1`, [op('Mul', `${g}/Mul`, [hIn, op('Add', `${g}/Add`, [erf, '/encoder/Constant_4_output_0'])]), '/encoder/Constant_5_output_0']);
  const o = linear(`${p}/output/dense`, gelu, `${param}.output.dense`, I, H);
  x = layerNorm(`${p}/output/LayerNorm`, op('Add', `${p}/output/Add`, [o, a]), `${param}.output.LayerNorm`, l === L - 1 ? 'last_hidden_state' : undefined);
}

const bytes = buildModel({
  nodes,
  initializers: inits,
  inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map((n) => valueInfo(n, OnnxDataType.INT64, ['batch_size', 'sequence_length'])),
  outputs: [valueInfo('last_hidden_state', OnnxDataType.FLOAT, ['batch_size', 'sequence_length', H])],
  producerName: 'infomem make-tiny-bert-fixture (BertModel export layout)',
});

const vocab = Object.fromEntries(VOCAB.map((w, i) => [w, i]));
const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const tokenizer = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: special.map((c) => ({ id: vocab[c], content: c, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
  normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  post_processor: {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
    pair: [
      { SpecialToken: { id: '[CLS]', type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: '[SEP]', type_id: 0 } },
      { Sequence: { id: 'B', type_id: 1 } },
      { SpecialToken: { id: '[SEP]', type_id: 1 } },
    ],
    special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
  },
  decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
};
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
const tokenizerConfig = {
  tokenizer_class: 'BertTokenizer',
  do_lower_case: true,
  model_max_length: MAXPOS,
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  mask_token: '[MASK]',
};

const dir = fileURLToPath(new URL('../../test/fixtures/models/tiny-bert/', import.meta.url));
mkdirSync(`${dir}onnx`, { recursive: true });
writeFileSync(`${dir}onnx/model.onnx`, bytes);
writeFileSync(`${dir}config.json`, `${JSON.stringify(config, null, 2)}\n`);
writeFileSync(`${dir}tokenizer.json`, `${JSON.stringify(tokenizer, null, 2)}\n`);
writeFileSync(`${dir}tokenizer_config.json`, `${JSON.stringify(tokenizerConfig, null, 2)}\n`);
writeFileSync(`${dir}texts.txt`, ['The cat sat on the mat.', 'A big dog ran in the park', 'birds flew over the red tree', 'the small fox is under a tree, and the cat was on the mat.', 'cats', 'a red bird sat on a big dog'].join('\n') + '\n');
process.stdout.write(`wrote ${dir}\n`);
