/**
 * Writing extracted activations: an `.npz` whose keys are the layer names made file-safe, and a
 * sidecar `<out>.json` recording the key -> layer mapping and how each layer was made.
 */
import { encodeNpz } from '../io/npz.js';
import { writeFileAtomic } from '../io/files.js';
import type { OutputDirOptions } from '../io/output-dir.js';
import { checkOutputFiles } from '../io/output-files.js';
import type { Extraction } from './extract.js';

/** File-safe, unique npz keys for layer names (`/1/Relu_output_0` -> `1_Relu_output_0`). */
export function layerKeys(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let base = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[_.]+|_+$/g, '');
    if (base === '') base = 'layer';
    let key = base;
    for (let i = 2; used.has(key.toLowerCase()); i++) key = `${base}_${i}`;
    used.add(key.toLowerCase());
    return key;
  });
}

/** The sidecar document. */
export interface ActsSidecar {
  format: 'infomem-activations';
  version: 1;
  model: string;
  kind: string;
  inputs: string;
  samples: number;
  token: string;
  pool: string;
  auto: string | null;
  /** Row i of every array is example i of the inputs (line i + 1 of a texts file, empty lines included: `blankLines`). */
  examples: { count: number; order: 'as the inputs'; blankLines?: number[] };
  layers: { key: string; name: string; op: string; neurons: number; outputShape: (number | string)[]; reduction: string; dtype: string }[];
}

/**
 * Writes `out` (.npz) and `out + '.json'` atomically (each file appears whole or not at all).
 * An existing file is refused unless `overwrite`, and an input is never overwritten (see
 * `checkOutputFiles`).
 */
export async function writeActivations(out: string, x: Extraction, opts: { token: string; pool: string; compress?: boolean } & OutputDirOptions): Promise<ActsSidecar> {
  await checkOutputFiles([out, `${out}.json`], { overwrite: opts.overwrite, inputs: opts.inputs });
  const keys = layerKeys(x.layers.map((l) => l.name));
  const arrays = new Map<string, { data: Float64Array | Float32Array; shape: number[] }>();
  x.layers.forEach((l, i) => {
    arrays.set(keys[i], { data: l.exact === 'float32' ? Float32Array.from(l.data) : l.data, shape: [l.samples, l.neurons] });
  });
  const sidecar: ActsSidecar = {
    format: 'infomem-activations',
    version: 1,
    model: x.model,
    kind: x.kind,
    inputs: x.inputs,
    samples: x.samples,
    token: opts.token,
    pool: opts.pool,
    auto: x.auto ?? null,
    examples: { count: x.samples, order: 'as the inputs', ...(x.blankLines ? { blankLines: x.blankLines } : {}) },
    layers: x.layers.map((l, i) => ({ key: keys[i], name: l.name, op: l.op, neurons: l.neurons, outputShape: l.shape, reduction: l.reduction, dtype: l.exact })),
  };
  await writeFileAtomic(out, encodeNpz(arrays, opts.compress ?? false));
  await writeFileAtomic(`${out}.json`, `${JSON.stringify(sidecar, null, 2)}\n`);
  return sidecar;
}
