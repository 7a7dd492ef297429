/**
 * Reading an ONNX graph with `onnx-buf` and exposing inner tensors as graph outputs.
 *
 * Every node output of the main graph is a candidate layer. {@link exposeTensors} appends the
 * requested tensors to `graph.output` (untyped: onnxruntime infers their type and shape) and
 * re-serialises the model, so one run returns them next to the model's own outputs.
 */
import { fromBinary, toBinary, create } from '@bufbuild/protobuf';
import { ModelProtoSchema, ValueInfoProtoSchema, type ModelProto } from 'onnx-buf';
import { InputError } from '../io/errors.js';

/** One node output of a graph, in the graph's (topological) node order. */
export interface OnnxTensor {
  /** The tensor name (what `--layers` takes), e.g. `/1/Relu_output_0`. */
  name: string;
  /** Name of the producing node, e.g. `/1/Relu`. */
  node: string;
  /** Op type of the producing node, e.g. `Relu`. */
  op: string;
  /** Index of the producing node in `graph.node`. */
  index: number;
}

/** The parts of a graph the model layer needs. */
export interface OnnxGraph {
  model: ModelProto;
  /** Node outputs in node order (empty names skipped). */
  tensors: OnnxTensor[];
  /** Real inputs (graph inputs that are not initializers). */
  inputs: string[];
  outputs: string[];
  initializers: Set<string>;
  /** Consumers (node indices) of every tensor name. */
  consumers: Map<string, number[]>;
  /** Producer tensor record of every node output. */
  producer: Map<string, OnnxTensor>;
}

/** Parses ONNX bytes. @throws InputError naming `file` when the bytes are not an ONNX model. */
export function parseOnnx(bytes: Uint8Array, file: string): OnnxGraph {
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new InputError(file, `not an ONNX model (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const g = model.graph;
  if (!g || g.node.length === 0) throw new InputError(file, 'not an ONNX model (no graph or an empty graph)');
  const initializers = new Set(g.initializer.map((t) => t.name));
  const tensors: OnnxTensor[] = [];
  const producer = new Map<string, OnnxTensor>();
  const consumers = new Map<string, number[]>();
  g.node.forEach((n, index) => {
    for (const name of n.output) {
      if (name === '') continue;
      const t = { name, node: n.name, op: n.opType, index };
      tensors.push(t);
      producer.set(name, t);
    }
    for (const name of n.input) {
      if (name === '') continue;
      const list = consumers.get(name);
      if (list) list.push(index);
      else consumers.set(name, [index]);
    }
  });
  return {
    model,
    tensors,
    inputs: g.input.map((v) => v.name).filter((n) => !initializers.has(n)),
    outputs: g.output.map((v) => v.name),
    initializers,
    consumers,
    producer,
  };
}

/**
 * The model's bytes with `names` added to the graph outputs (those already outputs are kept
 * once). The parsed model is not modified.
 */
export function exposeTensors(graph: OnnxGraph, names: readonly string[]): Uint8Array {
  const model = structuredCloneModel(graph.model);
  const g = model.graph!;
  const have = new Set(g.output.map((o) => o.name));
  for (const n of names) {
    if (have.has(n)) continue;
    g.output.push(create(ValueInfoProtoSchema, { name: n }));
    have.add(n);
  }
  return toBinary(ModelProtoSchema, model);
}

function structuredCloneModel(m: ModelProto): ModelProto {
  // Shallow copies down to graph.output, which is the only part changed.
  const graph = { ...m.graph!, output: [...m.graph!.output] };
  return { ...m, graph } as ModelProto;
}
