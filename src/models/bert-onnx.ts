/**
 * A BERT encoder as ONNX, in the layout `torch.onnx.export` gives a Hugging Face `BertModel`
 * (opset 17): inputs `input_ids`, `attention_mask`, `token_type_ids` (int64, batch x sequence),
 * nodes named like `/encoder/layer.0/attention/self/query/MatMul`, matrices as `onnx::MatMul_<n>`
 * initialisers (in x out), the last block's output `last_hidden_state`. With `allHiddenStates`,
 * every block's output is also a graph output, so a runtime that only returns graph outputs
 * still sees each layer.
 *
 * The computation: embeddings (word + position + token type, LayerNorm), then per block
 * self-attention with the mask as (1 - mask) * -10000, residual + LayerNorm, an exact-erf GELU
 * feed-forward layer, residual + LayerNorm.
 */
import type { NodeProto, TensorProto } from 'onnx-buf';
import { buildModel, floatTensor, int64Tensor, node, OnnxDataType, valueInfo, type AttrValue } from './onnx-builder.js';

/** The shape of a BERT encoder. */
export interface BertShape {
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
  typeVocabSize?: number;
  layerNormEps: number;
}

/**
 * Weights by Hugging Face parameter name (`embeddings.word_embeddings.weight`,
 * `encoder.layer.0.attention.self.query.weight`, ...); linear weights `in x out`.
 */
export type BertWeights = ReadonlyMap<string, ArrayLike<number>>;

export interface BertOnnxOptions {
  /** Every block's output as a graph output too (default false). */
  allHiddenStates?: boolean;
  producerName?: string;
}

/** The graph output names of the block outputs, in order (the last is `last_hidden_state`). */
export function bertBlockOutputs(layers: number): string[] {
  return Array.from({ length: layers }, (_, l) => (l === layers - 1 ? 'last_hidden_state' : `/encoder/layer.${l}/output/LayerNorm/LayerNormalization_output_0`));
}

export function bertOnnx(c: BertShape, weights: BertWeights, opts: BertOnnxOptions = {}): Uint8Array {
  const H = c.hidden;
  const HEADS = c.heads;
  const DH = H / HEADS;
  if (!Number.isInteger(DH)) throw new RangeError(`hidden size ${H} is not a multiple of ${HEADS} heads`);
  const types = c.typeVocabSize ?? 2;
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  let matmulId = 100;
  const w = (name: string, dims: number[]): ArrayLike<number> => {
    const v = weights.get(name);
    if (!v) throw new RangeError(`no weight ${name}`);
    const n = dims.reduce((p, d) => p * d, 1);
    if (v.length !== n) throw new RangeError(`weight ${name} has ${v.length} values, expected ${n} ([${dims.join(', ')}])`);
    return v;
  };
  const init = (name: string, dims: number[], values: ArrayLike<number>): string => {
    inits.push(floatTensor(name, dims, values));
    return name;
  };
  inits.push(int64Tensor('/embeddings/Constant_output_0', [], [1]));
  inits.push(int64Tensor('/embeddings/Constant_1_output_0', [1], [0]));
  inits.push(int64Tensor('/embeddings/Constant_2_output_0', [1], [1]));
  inits.push(int64Tensor('embeddings.position_ids', [1, c.maxPositions], Array.from({ length: c.maxPositions }, (_, i) => i)));
  inits.push(floatTensor('/Constant_output_0', [], [1]));
  inits.push(floatTensor('/Constant_1_output_0', [], [-10000]));
  inits.push(int64Tensor('/encoder/Constant_output_0', [4], [0, 0, HEADS, DH]));
  inits.push(int64Tensor('/encoder/Constant_1_output_0', [3], [0, 0, H]));
  inits.push(floatTensor('/encoder/Constant_2_output_0', [], [Math.sqrt(DH)]));
  inits.push(floatTensor('/encoder/Constant_3_output_0', [], [Math.SQRT2]));
  inits.push(floatTensor('/encoder/Constant_4_output_0', [], [1]));
  inits.push(floatTensor('/encoder/Constant_5_output_0', [], [0.5]));

  const op = (opType: string, name: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output = `${name}_output_0`): string => {
    nodes.push(node(opType, inputs, [output], name, attrs));
    return output;
  };
  const linear = (prefix: string, x: string, param: string, inp: number, outp: number, output?: string): string => {
    const m = init(`onnx::MatMul_${matmulId++}`, [inp, outp], w(`${param}.weight`, [inp, outp]));
    const b = init(`${param}.bias`, [outp], w(`${param}.bias`, [outp]));
    return op('Add', `${prefix}/Add`, [b, op('MatMul', `${prefix}/MatMul`, [x, m])], {}, output);
  };
  const layerNorm = (prefix: string, x: string, param: string, output?: string): string => {
    const g = init(`${param}.weight`, [H], w(`${param}.weight`, [H]));
    const b = init(`${param}.bias`, [H], w(`${param}.bias`, [H]));
    return op('LayerNormalization', `${prefix}/LayerNormalization`, [x, g, b], { axis: { i: -1 }, epsilon: { f: c.layerNormEps } }, output);
  };

  const wordEmb = init('embeddings.word_embeddings.weight', [c.vocabSize, H], w('embeddings.word_embeddings.weight', [c.vocabSize, H]));
  const posEmb = init('embeddings.position_embeddings.weight', [c.maxPositions, H], w('embeddings.position_embeddings.weight', [c.maxPositions, H]));
  const typeEmb = init('embeddings.token_type_embeddings.weight', [types, H], w('embeddings.token_type_embeddings.weight', [types, H]));
  const words = op('Gather', '/embeddings/word_embeddings/Gather', [wordEmb, 'input_ids']);
  const typed = op('Gather', '/embeddings/token_type_embeddings/Gather', [typeEmb, 'token_type_ids']);
  const sum0 = op('Add', '/embeddings/Add', [words, typed]);
  const shape = op('Shape', '/embeddings/Shape', ['input_ids']);
  const seqLen = op('Gather', '/embeddings/Gather', [shape, '/embeddings/Constant_output_0'], { axis: { i: 0 } });
  const seqLen1 = op('Unsqueeze', '/embeddings/Unsqueeze', [seqLen, '/embeddings/Constant_1_output_0']);
  const posIds = op('Slice', '/embeddings/Slice', ['embeddings.position_ids', '/embeddings/Constant_1_output_0', seqLen1, '/embeddings/Constant_2_output_0']);
  const pos = op('Gather', '/embeddings/position_embeddings/Gather', [posEmb, posIds]);
  const sum1 = op('Add', '/embeddings/Add_1', [sum0, pos]);
  let x = layerNorm('/embeddings/LayerNorm', sum1, 'embeddings.LayerNorm');

  inits.push(int64Tensor('/Constant_2_output_0', [2], [1, 2]));
  const m1 = op('Unsqueeze', '/Unsqueeze', ['attention_mask', '/Constant_2_output_0']);
  const mf = op('Cast', '/Cast', [m1], { to: { i: OnnxDataType.FLOAT } });
  const inv = op('Sub', '/Sub', ['/Constant_output_0', mf]);
  const maskBias = op('Mul', '/Mul', [inv, '/Constant_1_output_0']);

  const blockOutputs = bertBlockOutputs(c.layers);
  for (let l = 0; l < c.layers; l++) {
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
    const hIn = linear(`${p}/intermediate/dense`, a, `${param}.intermediate.dense`, H, c.intermediate);
    const g = `${p}/intermediate/intermediate_act_fn`;
    const erf = op('Erf', `${g}/Erf`, [op('Div', `${g}/Div`, [hIn, '/encoder/Constant_3_output_0'])]);
    const gelu = op('Mul', `${g}/Mul_1`, [op('Mul', `${g}/Mul`, [hIn, op('Add', `${g}/Add`, [erf, '/encoder/Constant_4_output_0'])]), '/encoder/Constant_5_output_0']);
    const o = linear(`${p}/output/dense`, gelu, `${param}.output.dense`, c.intermediate, H);
    x = layerNorm(`${p}/output/LayerNorm`, op('Add', `${p}/output/Add`, [o, a]), `${param}.output.LayerNorm`, blockOutputs[l]);
  }
  const outputs = opts.allHiddenStates ? blockOutputs : ['last_hidden_state'];
  return buildModel({
    nodes,
    initializers: inits,
    inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map((n) => valueInfo(n, OnnxDataType.INT64, ['batch_size', 'sequence_length'])),
    outputs: outputs.map((n) => valueInfo(n, OnnxDataType.FLOAT, ['batch_size', 'sequence_length', H])),
    producerName: opts.producerName ?? 'infomem (BertModel export layout)',
  });
}
