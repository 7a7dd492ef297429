/**
 * Running an ONNX model with `onnxruntime-node` (CPU) with inner tensors exposed as outputs.
 * The runtime is imported lazily so that the rest of infomem does not load it.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { InputError } from '../io/errors.js';
import { loadOptional } from '../optional-package.js';
import { exposeTensors, type OnnxGraph } from './onnx-graph.js';
import type { Feeds, RawOutput, TensorMeta } from './tensors.js';

type Ort = typeof import('onnxruntime-node');
let ortPromise: Promise<Ort> | undefined;

/** The onnxruntime-node module (imported once, on first use). */
export function loadOrt(): Promise<Ort> {
  ortPromise ??= loadOptional(['onnxruntime-node'], 'running an ONNX model', () => import('onnxruntime-node'));
  return ortPromise;
}


function meta(m: InferenceSession.ValueMetadata): TensorMeta {
  if (!m.isTensor) return { name: m.name, type: 'non-tensor', shape: [] };
  return { name: m.name, type: m.type, shape: m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' && d !== '' ? d : '?')) };
}

/** A session over a model whose `layers` are exposed as outputs. */
export interface OnnxSession {
  session: InferenceSession;
  inputs: TensorMeta[];
  /** Metadata of every output, the exposed layers included. */
  outputs: Map<string, TensorMeta>;
}

/** Creates a CPU session over `graph` with `layers` added to its outputs. */
export async function openOnnxSession(graph: OnnxGraph, file: string, layers: readonly string[], opts: { threads?: number } = {}): Promise<OnnxSession> {
  const ort = await loadOrt();
  const bytes = exposeTensors(graph, layers);
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      logSeverityLevel: 3,
      ...(opts.threads !== undefined ? { intraOpNumThreads: opts.threads } : {}),
    });
  } catch (e) {
    throw new InputError(file, `onnxruntime cannot load the model: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { cause: e });
  }
  const outputs = new Map(session.outputMetadata.map((m) => [m.name, meta(m)] as const));
  return { session, inputs: session.inputMetadata.map(meta), outputs };
}


/** Runs one batch and returns the requested tensors. */
export async function runOnnx(s: OnnxSession, feeds: Feeds, wanted: readonly string[], file: string): Promise<Map<string, RawOutput>> {
  const ort = await loadOrt();
  const f: Record<string, Tensor> = {};
  for (const [name, v] of feeds) f[name] = new ort.Tensor(v.type as 'float32', v.data as Float32Array, v.dims);
  let res: InferenceSession.OnnxValueMapType;
  try {
    res = await s.session.run(f, [...wanted]);
  } catch (e) {
    throw new InputError(file, `onnxruntime failed to run the model: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, { cause: e });
  }
  const out = new Map<string, RawOutput>();
  for (const name of wanted) {
    const t = res[name] as Tensor;
    out.set(name, { data: t.data as ArrayLike<number>, dims: [...t.dims], type: t.type });
  }
  return out;
}

/** Releases a session. */
export async function closeOnnxSession(s: OnnxSession): Promise<void> {
  await s.session.release().catch(() => undefined);
}
