/**
 * TF.js LayersModels: loading `model.json` + weight files read from disk (or artifacts held in
 * memory), listing layers, and running a sub-model whose outputs are the requested layers.
 * Uses the wasm backend (cpu when wasm cannot start); tfjs-node is not needed.
 */
import { createRequire } from 'node:module';
import * as nodePath from 'node:path';
import type * as TfNs from '@tensorflow/tfjs';
import { InputError } from '../io/errors.js';
import { readFileBytes } from '../io/files.js';
import { loadOptional } from '../optional-package.js';
import type { TfLayerNode } from './auto-layers.js';
import type { TfArtifacts } from './tensors.js';

type Tf = typeof TfNs;
let tfPromise: Promise<Tf> | undefined;

/** @tensorflow/tfjs with the wasm backend when available (cpu otherwise), loaded once. */
export function loadTf(): Promise<Tf> {
  tfPromise ??= (async () => {
    const tf = await loadOptional(['@tensorflow/tfjs'], 'running a TF.js model', () => import('@tensorflow/tfjs'));
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const dir = nodePath.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
      wasm.setWasmPaths(nodePath.join(dir, 'dist') + nodePath.sep);
      if (!(await tf.setBackend('wasm'))) await tf.setBackend('cpu');
    } catch {
      await tf.setBackend('cpu');
    }
    await tf.ready();
    return tf;
  })();
  return tfPromise;
}


/**
 * Reads `model.json` and the weight files its manifest names (relative to it).
 * @throws InputError for a missing file, bad JSON, a graph model, or short weights
 */
export async function readTfjsArtifacts(file: string): Promise<TfArtifacts> {
  const text = new TextDecoder().decode(await readFileBytes(file));
  let json: { modelTopology?: unknown; format?: string; weightsManifest?: { paths: string[]; weights: TfNs.io.WeightsManifestEntry[] }[]; [k: string]: unknown };
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, `not valid JSON (${(e as Error).message})`, { cause: e });
  }
  if (typeof json !== 'object' || json === null || json.modelTopology === undefined) throw new InputError(file, 'not a TF.js model.json (no modelTopology)');
  if (json.format === 'graph-model') throw new InputError(file, 'is a TF.js graph model; only LayersModels (format layers-model) are supported');
  const dir = nodePath.dirname(file);
  const specs: TfNs.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest ?? []) {
    for (const p of group.paths) parts.push(await readFileBytes(nodePath.join(dir, p)));
    specs.push(...group.weights);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const weightData = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    weightData.set(p, o);
    o += p.length;
  }
  return {
    modelTopology: json.modelTopology as object,
    format: json.format,
    weightSpecs: specs,
    weightData: weightData.buffer,
  };
}

/** Loads a LayersModel from a model.json path or from artifacts. */
export async function loadTfjsModel(source: string | TfArtifacts, display: string): Promise<TfNs.LayersModel> {
  const tf = await loadTf();
  const artifacts = typeof source === 'string' ? await readTfjsArtifacts(source) : source;
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts as TfNs.io.ModelArtifacts));
  } catch (e) {
    throw new InputError(display, `TF.js cannot load the model: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { cause: e });
  }
}

interface LayerLinks {
  inboundNodes?: { inboundLayers?: { name: string }[] }[];
  outboundNodes?: { outboundLayer?: { name: string } }[];
}

/** Every layer with its class and links, in model order. */
export function tfLayerNodes(model: TfNs.LayersModel): TfLayerNode[] {
  return model.layers.map((l) => {
    const links = l as unknown as LayerLinks;
    return {
      name: l.name,
      className: l.getClassName(),
      inbound: (links.inboundNodes ?? []).flatMap((n) => (n.inboundLayers ?? []).map((x) => x.name)),
      outbound: (links.outboundNodes ?? []).map((n) => n.outboundLayer?.name).filter((x): x is string => x !== undefined),
      ...(l.getClassName() === 'Dense' ? { activation: String((l.getConfig() as { activation?: unknown }).activation ?? 'linear') } : {}),
    };
  });
}

/** A layer's output shape (first entry null = batch), or undefined for multi-output layers. */
export function tfOutputShape(l: TfNs.layers.Layer): (number | null)[] | undefined {
  try {
    const s = l.outputShape as unknown;
    if (Array.isArray(s) && (s.length === 0 || !Array.isArray(s[0]))) return s as (number | null)[];
  } catch {
    // layers with several inbound nodes have no single output shape
  }
  return undefined;
}

/** A runner for the sub-model whose outputs are `layers`. */
export interface TfRunner {
  inputs: { name: string; dtype: string; shape: (number | null)[] }[];
  run(feeds: Map<string, { data: ArrayLike<number>; dims: number[] }>): Promise<{ data: Float32Array; dims: number[] }[]>;
  dispose(): void;
}

export async function tfRunner(model: TfNs.LayersModel, layers: readonly string[], display: string): Promise<TfRunner> {
  const tf = await loadTf();
  const outputs = layers.map((name) => {
    let layer;
    try {
      layer = model.getLayer(name);
    } catch {
      throw new InputError(display, `unknown layer '${name}'`);
    }
    try {
      return layer.output as TfNs.SymbolicTensor;
    } catch (e) {
      throw new InputError(display, `layer '${name}' has several outputs or is shared; pick another layer (${(e as Error).message.split('\n')[0]})`);
    }
  });
  const sub = tf.model({ inputs: model.inputs, outputs });
  const inputs = model.inputs.map((t, i) => ({ name: model.inputNames[i] ?? t.name, dtype: t.dtype, shape: t.shape }));
  return {
    inputs,
    async run(feeds) {
      const xs = inputs.map((inp) => {
        const f = feeds.get(inp.name)!;
        return tf.tensor(f.data as Float32Array, f.dims, inp.dtype as 'float32');
      });
      const ys = sub.predict(xs.length === 1 ? xs[0] : xs) as TfNs.Tensor | TfNs.Tensor[];
      const list = Array.isArray(ys) ? ys : [ys];
      const out = [];
      for (const y of list) out.push({ data: (await y.data()) as Float32Array, dims: [...y.shape] });
      tf.dispose([...xs, ...list]);
      return out;
    },
    dispose() {
      // The sub-model shares the model's weights; they are freed with the model.
    },
  };
}
