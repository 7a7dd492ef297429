/**
 * Opening a model of any supported kind behind one interface: its candidate layers, its `auto`
 * layers, and a batched runner returning the raw outputs of the requested layers.
 */

import { formatShape, type NdArray } from '../io/array.js';
import { InputError } from '../io/errors.js';
import { readFileBytes } from '../io/files.js';
import { autoLayersOnnx, autoLayersTfjs, type AutoMode, type AutoPick } from './auto-layers.js';
import { loadHfTokenizer, readHfConfig, type HfTokenizer } from './hf-folder.js';
import { inputSamples, matchInputs, sliceRows, type ModelInputs } from './inputs.js';
import { detectModelKind, type ModelKind } from './kind.js';
import { parseOnnx, type OnnxGraph } from './onnx-graph.js';
import { closeOnnxSession, openOnnxSession, runOnnx } from './onnx-runner.js';
import type { Feeds, RawOutput, TfArtifacts } from './tensors.js';
import type { ChannelAxis } from './reduce.js';
import { loadTfjsModel, tfLayerNodes, tfOutputShape, tfRunner } from './tfjs-runner.js';

/** A model given by path, or held in memory. */
export type ModelSource = string | { kind: 'onnx'; bytes: Uint8Array; name?: string } | { kind: 'tfjs'; artifacts: TfArtifacts; name?: string };

/** One candidate layer of a model. */
export interface LayerCandidate {
  name: string;
  /** ONNX op type (`Relu`) or TF.js layer class (`Dense`). */
  op: string;
  /** Output shape with the example axis first (`batch_size`, `?`, `null` when unknown). */
  shape: (number | string)[];
  /** Element type (`float32`, `int64`, ...; `?` when unknown). */
  dtype: string;
}

/** One batch of raw outputs, in the order of the requested layers. */
export interface BatchOutputs {
  outputs: RawOutput[];
  /** B x T attention mask of this batch (token models), for mask-aware token reduction. */
  mask?: ArrayLike<number | bigint>;
  /** Examples in the batch that are real (a fixed-size batch may be padded). */
  rows: number;
}

export interface BatchRunner {
  samples: number;
  /** Batch size forced by the model (a fixed first input dimension), if any. */
  fixedBatch?: number;
  run(start: number, end: number): Promise<BatchOutputs>;
  close(): Promise<void>;
}

export interface OpenedModel {
  kind: ModelKind;
  /** The path (or given name) for messages. */
  display: string;
  /** Conv maps' channel axis: ONNX is channels-first, TF.js channels-last. */
  channels: ChannelAxis;
  /** Candidate layer names and their op, in model order. */
  layerOps: Map<string, string>;
  auto(mode?: AutoMode): AutoPick;
  /** Every candidate with type and shape (ONNX: asks onnxruntime). */
  list(): Promise<LayerCandidate[]>;
  runner(layers: readonly string[], inputs: ModelInputs, opts: { threads?: number }): Promise<BatchRunner>;
  /** Frees the model (TF.js weights); ONNX sessions are closed by their runners. */
  close(): void;
}

/** Opens a model file/folder (kind detected) or an in-memory model. */
export async function openModel(source: ModelSource): Promise<OpenedModel> {
  if (typeof source !== 'string') {
    if (source.kind === 'onnx') return onnxModel(parseOnnx(source.bytes, source.name ?? 'model.onnx'), source.name ?? 'model.onnx', 'onnx');
    return tfjsModel(source.artifacts, source.name ?? 'model.json');
  }
  const loc = await detectModelKind(source);
  if (loc.kind === 'tfjs') return tfjsModel(loc.file, source);
  const graph = parseOnnx(await readFileBytes(loc.file), loc.file);
  if (loc.kind === 'onnx') return onnxModel(graph, loc.file, 'onnx');
  return onnxModel(graph, loc.file, 'hf', loc.folder);
}

function textsNeedFolder(inputs: ModelInputs, display: string): InputError {
  return new InputError(inputs.source, `texts need a local transformer folder (config.json, tokenizer.json, onnx/model.onnx); ${display} takes .npy/.npz inputs`);
}

function checkArrayShape(a: NdArray, name: string, want: readonly (number | string | null)[], source: string, display: string): void {
  const got = a.shape;
  const ok = got.length === want.length && want.every((d, i) => i === 0 || typeof d !== 'number' || d < 0 || d === got[i]);
  if (!ok) {
    const w = want.map((d, i) => (i === 0 ? 'S' : typeof d === 'number' && d >= 0 ? String(d) : '?')).join(' x ');
    throw new InputError(source, `input '${name}' of ${display} expects ${w}, got ${formatShape(got)}`);
  }
}

function onnxModel(graph: OnnxGraph, file: string, kind: 'onnx' | 'hf', folder?: string): OpenedModel {
  const layerOps = new Map(graph.tensors.map((t) => [t.name, t.op]));
  const display = folder ?? file;
  return {
    kind,
    display,
    channels: 'first',
    layerOps,
    auto: (mode) => autoLayersOnnx(graph, mode),
    close: () => undefined,
    async list() {
      const names = graph.tensors.map((t) => t.name);
      const s = await openOnnxSession(graph, file, names, { threads: 1 });
      try {
        return graph.tensors.map((t) => {
          const m = s.outputs.get(t.name);
          return { name: t.name, op: t.op, shape: m?.shape ?? ['?'], dtype: m?.type ?? '?' };
        });
      } finally {
        await closeOnnxSession(s);
      }
    },
    async runner(layers, inputs, opts) {
      const s = await openOnnxSession(graph, file, layers, opts);
      const S = inputSamples(inputs);
      const meta = new Map(s.inputs.map((m) => [m.name, m]));
      const first = s.inputs[0]?.shape[0];
      const fixedBatch = typeof first === 'number' && first > 0 ? first : undefined;
      let feedsOf: (start: number, end: number, pad: number) => { feeds: Feeds; mask?: ArrayLike<number | bigint> };
      if (inputs.kind === 'texts') {
        if (kind !== 'hf') throw textsNeedFolder(inputs, display);
        const config = await readHfConfig(folder!);
        const tok: HfTokenizer = await loadHfTokenizer(folder!, config.max_position_embeddings);
        for (const m of s.inputs) {
          if (!['input_ids', 'attention_mask', 'token_type_ids'].includes(m.name)) {
            throw new InputError(file, `input '${m.name}' cannot be made from texts (known: input_ids, attention_mask, token_type_ids)`);
          }
        }
        feedsOf = (start, end, pad) => {
          const texts = inputs.texts.slice(start, end);
          for (let p = 0; p < pad; p++) texts.push(texts[texts.length - 1]);
          const enc = tok.encode(texts);
          const feeds: Feeds = new Map();
          for (const m of s.inputs) {
            const data = enc[m.name as 'input_ids'];
            feeds.set(m.name, m.type === 'int32' ? { data: Int32Array.from(data, Number), dims: enc.dims, type: 'int32' } : { data, dims: enc.dims, type: 'int64' });
          }
          return { feeds, mask: enc.attention_mask };
        };
      } else {
        const optional = kind === 'hf' ? ['attention_mask', 'token_type_ids'] : [];
        const names = s.inputs.map((m) => m.name);
        const arrays = matchInputs(inputs, names, display, optional);
        for (const [n, a] of arrays) checkArrayShape(a, n, meta.get(n)!.shape, inputs.source, display);
        feedsOf = (start, end, pad) => {
          const feeds: Feeds = new Map();
          for (const [n, a] of arrays) {
            const type = meta.get(n)!.type;
            feeds.set(n, { ...sliceRows(a, start, end, type, pad), type });
          }
          const ids = feeds.get('input_ids');
          for (const n of optional) {
            if (feeds.has(n) || !names.includes(n) || !ids) continue;
            const len = ids.data.length;
            const type = meta.get(n)!.type;
            const data = type === 'int32' ? new Int32Array(len).fill(n === 'attention_mask' ? 1 : 0) : new BigInt64Array(len).fill(n === 'attention_mask' ? 1n : 0n);
            feeds.set(n, { data, dims: ids.dims, type });
          }
          const m = feeds.get('attention_mask');
          return { feeds, mask: m && m.dims.length === 2 ? (m.data as ArrayLike<number | bigint>) : undefined };
        };
      }
      return {
        samples: S,
        fixedBatch,
        async run(start, end) {
          const rows = end - start;
          const pad = fixedBatch !== undefined ? fixedBatch - rows : 0;
          const { feeds, mask } = feedsOf(start, end, pad);
          const out = await runOnnx(s, feeds, layers, file);
          return { outputs: layers.map((l) => out.get(l)!), mask, rows };
        },
        close: () => closeOnnxSession(s),
      };
    },
  };
}

async function tfjsModel(source: string | TfArtifacts, display: string): Promise<OpenedModel> {
  const model = await loadTfjsModel(source, display);
  const nodes = tfLayerNodes(model);
  const layerOps = new Map(nodes.map((n) => [n.name, n.className]));
  return {
    kind: 'tfjs',
    display,
    channels: 'last',
    layerOps,
    auto: (mode) => autoLayersTfjs(nodes, mode),
    close: () => model.dispose(),
    async list() {
      return model.layers.map((l) => ({
        name: l.name,
        op: l.getClassName(),
        shape: (tfOutputShape(l) ?? ['?']).map((d, i) => (d === null ? (i === 0 ? 'batch' : '?') : d)),
        dtype: l.dtype ?? 'float32',
      }));
    },
    async runner(layers, inputs) {
      if (inputs.kind === 'texts') throw textsNeedFolder(inputs, display);
      const r = await tfRunner(model, layers, display);
      const arrays = matchInputs(inputs, r.inputs.map((i) => i.name), display);
      for (const [n, a] of arrays) checkArrayShape(a, n, r.inputs.find((i) => i.name === n)!.shape, inputs.source, display);
      const first = r.inputs[0]?.shape[0];
      const fixedBatch = typeof first === 'number' && first > 0 ? first : undefined;
      return {
        samples: inputSamples(inputs),
        fixedBatch,
        async run(start, end) {
          const rows = end - start;
          const pad = fixedBatch !== undefined ? fixedBatch - rows : 0;
          const feeds = new Map<string, { data: ArrayLike<number>; dims: number[] }>();
          for (const inp of r.inputs) {
            const sl = sliceRows(arrays.get(inp.name)!, start, end, inp.dtype === 'int32' ? 'int32' : 'float32', pad);
            feeds.set(inp.name, sl as { data: Float32Array; dims: number[] });
          }
          const outs = await r.run(feeds);
          return { outputs: outs.map((o) => ({ ...o, type: 'float32' })), rows };
        },
        async close() {
          r.dispose();
        },
      };
    },
  };
}

/** A display name for a model source. */
export function modelDisplay(source: ModelSource): string {
  return typeof source === 'string' ? source : (source.name ?? (source.kind === 'onnx' ? 'model.onnx' : 'model.json'));
}

