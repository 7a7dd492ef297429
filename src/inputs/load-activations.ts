import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { activationSetFromLayers, type ActivationSet, type LayerMatrix } from '../core/activations/activation-set.js';
import type { NdArray } from '../io/array.js';
import { InputError } from '../io/errors.js';
import { readFileBytes } from '../io/files.js';
import { parseNpy } from '../io/npy.js';
import { parseNpz } from '../io/npz.js';
import { parseSafetensors } from '../io/safetensors.js';
import type { InputRecord } from '../measures/results.js';
import { arrayToLayer, type TokenReduction } from './to-layer.js';

export interface LoadOptions {
  token?: TokenReduction;
  /** Receives warnings (rank > 3 flattened, token reduction, renamed layers). */
  warn?: (msg: string) => void;
}

export interface LoadedActivations {
  set: ActivationSet;
  inputs: InputRecord[];
}

/**
 * Reads activation files into one activation set. A .npy file is one layer named after the file;
 * each array of a .npz or each tensor of a .safetensors file is a layer named by its key. All
 * layers must have the same number of examples. Files are only read, never modified.
 */
export async function loadActivationFiles(paths: readonly string[], opts: LoadOptions = {}): Promise<LoadedActivations> {
  if (paths.length === 0) throw new RangeError('no input files');
  const layers: LayerMatrix[] = [];
  const layerFile: string[] = [];
  const inputs: InputRecord[] = [];
  for (const path of paths) {
    const bytes = await readFileBytes(path);
    inputs.push({ path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    const arrays = parseByExtension(bytes, path);
    if (arrays.size === 0) throw new InputError(path, 'holds no arrays');
    for (const [key, arr] of arrays) {
      let name = key;
      if (layers.some((l) => l.name === name)) {
        name = `${basename(path, extname(path))}/${key}`;
        opts.warn?.(`${path}: layer '${key}' already exists; named '${name}'`);
      }
      const layer = arrayToLayer(arr, name, path, opts);
      if (layers.length > 0 && layer.samples !== layers[0].samples) {
        throw new InputError(path, `layer '${name}' has ${layer.samples} examples but layer '${layers[0].name}' (${layerFile[0]}) has ${layers[0].samples}`);
      }
      layers.push(layer);
      layerFile.push(path);
    }
  }
  return { set: activationSetFromLayers(layers), inputs };
}

function parseByExtension(bytes: Uint8Array, path: string): Map<string, NdArray> {
  const ext = extname(path).toLowerCase();
  switch (ext) {
    case '.npy':
      return new Map([[basename(path, extname(path)), parseNpy(bytes, path)]]);
    case '.npz':
      return parseNpz(bytes, path);
    case '.safetensors':
      return parseSafetensors(bytes, path);
    default:
      throw new InputError(path, `unsupported file type '${ext || '(none)'}' (supported: .npy, .npz, .safetensors)`);
  }
}
