/**
 * A small ONNX graph builder on top of `onnx-buf` (the ONNX protobuf schema): tensors, nodes,
 * value infos and whole models, serialised to bytes. Used by the tests, the fixture scripts and
 * the benchmark to make models without PyTorch; nothing here runs a model.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';

export { TensorProto_DataType as OnnxDataType };

/** An attribute value: `{ i }` int, `{ f }` float, `{ ints }`, `{ floats }`, `{ s }` string, `{ t }` tensor. */
export type AttrValue = { i: number } | { f: number } | { ints: readonly number[] } | { floats: readonly number[] } | { s: string } | { t: TensorProto };

/** A float32 initializer/constant stored as little-endian raw data (as torch.onnx.export does). */
export function floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>): TensorProto {
  const f = Float32Array.from(values as ArrayLike<number>);
  checkSize(name, dims, f.length);
  return create(TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: TensorProto_DataType.FLOAT,
    rawData: new Uint8Array(f.buffer.slice(0)),
  });
}

/** An int64 initializer/constant stored as raw data. */
export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): TensorProto {
  const a = BigInt64Array.from(values.map(BigInt));
  checkSize(name, dims, a.length);
  return create(TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: TensorProto_DataType.INT64,
    rawData: new Uint8Array(a.buffer.slice(0)),
  });
}

function checkSize(name: string, dims: readonly number[], n: number): void {
  const size = dims.reduce((p, d) => p * d, 1);
  if (size !== n) throw new RangeError(`tensor '${name}': dims [${dims.join(', ')}] need ${size} values, got ${n}`);
}

function attribute(name: string, v: AttrValue): AttributeProto {
  const T = AttributeProto_AttributeType;
  if ('i' in v) return create(AttributeProtoSchema, { name, type: T.INT, i: BigInt(v.i) });
  if ('f' in v) return create(AttributeProtoSchema, { name, type: T.FLOAT, f: v.f });
  if ('ints' in v) return create(AttributeProtoSchema, { name, type: T.INTS, ints: v.ints.map(BigInt) });
  if ('floats' in v) return create(AttributeProtoSchema, { name, type: T.FLOATS, floats: [...v.floats] });
  if ('s' in v) return create(AttributeProtoSchema, { name, type: T.STRING, s: new TextEncoder().encode(v.s) });
  return create(AttributeProtoSchema, { name, type: T.TENSOR, t: v.t });
}

/** A node; `name` defaults to the op type (torch names nodes like `/1/Relu`). */
export function node(opType: string, inputs: readonly string[], outputs: readonly string[], name = opType, attrs: Record<string, AttrValue> = {}): NodeProto {
  return create(NodeProtoSchema, {
    opType,
    name,
    input: [...inputs],
    output: [...outputs],
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
  });
}

/** A typed tensor value info; string dims are symbolic (e.g. `'batch_size'`). */
export function valueInfo(name: string, elemType: TensorProto_DataType, dims: readonly (number | string)[]): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: {
      value: {
        case: 'tensorType',
        value: {
          elemType,
          shape: { dim: dims.map((d) => ({ value: typeof d === 'string' ? { case: 'dimParam' as const, value: d } : { case: 'dimValue' as const, value: BigInt(d) } })) },
        },
      },
    },
  });
}

export interface ModelSpec {
  nodes: NodeProto[];
  initializers: TensorProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  /** Default opset 17. */
  opset?: number;
  /** Default 8 (what torch 2.x writes for opset 17). */
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  graphName?: string;
}

/** Serialises a model (default domain only) to ONNX bytes. */
export function buildModel(spec: ModelSpec): Uint8Array {
  const model = create(ModelProtoSchema, {
    irVersion: BigInt(spec.irVersion ?? 8),
    producerName: spec.producerName ?? 'infomem',
    producerVersion: spec.producerVersion ?? '',
    opsetImport: [{ domain: '', version: BigInt(spec.opset ?? 17) }],
    graph: {
      name: spec.graphName ?? 'main_graph',
      node: spec.nodes,
      initializer: spec.initializers,
      input: spec.inputs,
      output: spec.outputs,
    },
  });
  return toBinary(ModelProtoSchema, model);
}

/** Weights of one dense layer: `weight` is out x in row-major (PyTorch's nn.Linear layout). */
export interface DenseWeights {
  weight: Float32Array;
  bias: Float32Array;
  in: number;
  out: number;
}

/**
 * An MLP in the layout torch.onnx.export (TorchScript exporter, opset 17, constant folding on,
 * `dynamic_axes={'input': {0: 'batch_size'}, 'output': {0: 'batch_size'}}`) produces for
 * `nn.Sequential(Linear, ReLU, Linear, ReLU, ..., Linear)`: nodes `/0/Gemm`, `/1/Relu`, ...
 * with outputs `/0/Gemm_output_0`, `/1/Relu_output_0`, ..., the last one named `output`;
 * initializers `0.weight`, `0.bias`, ... (weights out x in, `transB=1`); input `input`.
 */
export function torchStyleMlp(layers: readonly DenseWeights[], opts: { producerVersion?: string } = {}): Uint8Array {
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  let prev = 'input';
  let idx = 0;
  layers.forEach((l, li) => {
    const last = li === layers.length - 1;
    const out = last ? 'output' : `/${idx}/Gemm_output_0`;
    inits.push(floatTensor(`${idx}.weight`, [l.out, l.in], l.weight), floatTensor(`${idx}.bias`, [l.out], l.bias));
    nodes.push(node('Gemm', [prev, `${idx}.weight`, `${idx}.bias`], [out], `/${idx}/Gemm`, { alpha: { f: 1 }, beta: { f: 1 }, transB: { i: 1 } }));
    prev = out;
    idx++;
    if (!last) {
      const r = `/${idx}/Relu_output_0`;
      nodes.push(node('Relu', [prev], [r], `/${idx}/Relu`));
      prev = r;
      idx++;
    }
  });
  return buildModel({
    nodes,
    initializers: inits,
    inputs: [valueInfo('input', TensorProto_DataType.FLOAT, ['batch_size', layers[0].in])],
    outputs: [valueInfo('output', TensorProto_DataType.FLOAT, ['batch_size', layers[layers.length - 1].out])],
    producerName: 'pytorch',
    producerVersion: opts.producerVersion ?? '2.1.0',
  });
}
