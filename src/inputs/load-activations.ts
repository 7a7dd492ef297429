import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { activationSetFromLayers, type ActivationSet, type LayerMatrix } from '../core/activations/activation-set.js';
import { formatShape, type NdArray } from '../io/array.js';
import { parseDelimited, type CsvHeader } from '../io/csv.js';
import { InputError } from '../io/errors.js';
import { readFileBytes } from '../io/files.js';
import { parseActivationJson } from '../io/json.js';
import { parseNpy, readNpyHeader } from '../io/npy.js';
import { checkMemory } from '../io/memory.js';
import { parseNpz } from '../io/npz.js';
import { parseParquet } from '../io/parquet.js';
import { parseSafetensors } from '../io/safetensors.js';
import type { InputRecord } from '../measures/results.js';
import { arrayToLayer, type TokenReduction } from './to-layer.js';

/**
 * What to do with NaN/+-Inf activations: `'refuse'` (default) stops with an error naming the
 * file, layer, example and neuron; `'drop-examples'` removes every example that has a NaN/Inf in
 * any layer of any file.
 */
export type NanPolicy = 'refuse' | 'drop-examples';

export const NAN_POLICIES: readonly NanPolicy[] = ['refuse', 'drop-examples'];

/** File extensions (lower case) that {@link loadActivationFiles} reads. */
export const SUPPORTED_EXTENSIONS: readonly string[] = ['.npy', '.npz', '.safetensors', '.csv', '.tsv', '.parquet', '.json'];

export interface LoadOptions {
  token?: TokenReduction;
  /** Receives warnings (rank > 3 flattened, token reduction, renamed layers). */
  warn?: (msg: string) => void;
  /** NaN/Inf handling; default `'refuse'`. */
  nan?: NanPolicy;
  /** Receives informational messages (examples dropped under `nan: 'drop-examples'`). */
  info?: (msg: string) => void;
  /** CSV/TSV first row: detected (`'auto'`, default: a row of numbers is data), `'first'` or `'none'`. */
  header?: CsvHeader;
}

export interface LoadedActivations {
  set: ActivationSet;
  inputs: InputRecord[];
  /** Examples removed under `nan: 'drop-examples'` (0 otherwise). */
  dropped: number;
}

/** Name of the layer a file contributes when its columns/array carry no layer name. */
function fileLayerName(path: string): string {
  return basename(path, extname(path));
}

/**
 * Reads activation files into one activation set. A .npy file is one layer named after the file;
 * each array of a .npz or each tensor of a .safetensors file is a layer named by its key; CSV/TSV
 * and Parquet columns named `layer/neuron` are grouped into layers by prefix (unprefixed columns
 * form a layer named after the file); a JSON file's `layers` object maps names to S x N arrays.
 * Extensions are matched case-insensitively. All layers must have the same number of examples.
 * Files are only read, never modified.
 *
 * With `nan: 'drop-examples'`, examples with a NaN/Inf in any layer of any file are removed after
 * all files are read (their count is reported through `info` and returned as `dropped`).
 *
 * @throws InputError (one line, naming the file) for unreadable or malformed files, an unsupported
 *   extension, a layer without examples or neurons, layers with different numbers of examples,
 *   NaN/Inf under the `'refuse'` policy, or every example dropped under `'drop-examples'`
 */
export async function loadActivationFiles(paths: readonly string[], opts: LoadOptions = {}): Promise<LoadedActivations> {
  if (paths.length === 0) throw new RangeError('no input files');
  const policy = opts.nan ?? 'refuse';
  if (!NAN_POLICIES.includes(policy)) throw new RangeError(`unknown NaN policy '${String(policy)}' (expected ${NAN_POLICIES.join(' or ')})`);
  const dropping = policy === 'drop-examples';
  const layers: LayerMatrix[] = [];
  const layerFile: string[] = [];
  const inputs: InputRecord[] = [];
  for (const path of paths) {
    // Check the extension before reading, so a wrong file type fails fast whatever its size.
    parserFor(path, opts);
    const bytes = await readFileBytes(path);
    inputs.push({ path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    const arrays = await parserFor(path, opts)(bytes, path);
    if (arrays.size === 0) throw new InputError(path, 'holds no arrays');
    for (const [key, arr] of arrays) {
      let name = key;
      if (layers.some((l) => l.name === name)) {
        name = `${fileLayerName(path)}/${key}`;
        opts.warn?.(`${path}: layer '${key}' already exists; named '${name}'`);
      }
      const layer = arrayToLayer(arr, name, path, { ...opts, allowNonFinite: dropping });
      if (layers.length > 0 && layer.samples !== layers[0].samples) {
        throw new InputError(path, `layer '${name}' has ${layer.samples} examples but layer '${layers[0].name}' (${layerFile[0]}) has ${layers[0].samples}`);
      }
      layers.push(layer);
      layerFile.push(path);
    }
  }
  let dropped = 0;
  let kept: LayerMatrix[] = layers;
  if (dropping) {
    const r = dropNonFiniteExamples(layers, layerFile);
    kept = r.layers;
    dropped = r.dropped;
    if (dropped > 0) opts.info?.(r.message);
  }
  return { set: activationSetFromLayers(kept), inputs, dropped };
}

/**
 * Removes every example (row) that has a NaN/Inf in any layer.
 * @throws InputError when no example is left
 */
function dropNonFiniteExamples(
  layers: readonly LayerMatrix[],
  layerFile: readonly string[],
): { layers: LayerMatrix[]; dropped: number; message: string } {
  const S = layers[0].samples;
  const bad = new Uint8Array(S);
  for (const l of layers) {
    const N = l.neurons;
    const d = l.data;
    for (let s = 0; s < S; s++) {
      if (bad[s] === 1) continue;
      for (let i = s * N, end = i + N; i < end; i++) {
        const v = d[i];
        if (v - v !== 0) {
          // NaN or +-Inf (v - v is NaN for both).
          bad[s] = 1;
          break;
        }
      }
    }
  }
  let dropped = 0;
  let first = -1;
  for (let s = 0; s < S; s++) {
    if (bad[s] === 1) {
      dropped++;
      if (first < 0) first = s;
    }
  }
  if (dropped === 0) return { layers: layers.slice(), dropped: 0, message: '' };
  // Where the first dropped example has its first NaN/Inf.
  let where = 0;
  for (let li = 0; li < layers.length; li++) {
    const l = layers[li];
    let hit = false;
    for (let i = first * l.neurons; i < (first + 1) * l.neurons; i++) if (!Number.isFinite(l.data[i])) hit = true;
    if (hit) {
      where = li;
      break;
    }
  }
  const firstDesc = `first: example ${first} in ${layerFile[where]} layer '${layers[where].name}'`;
  if (dropped === S) {
    throw new InputError(
      layerFile[where],
      `every one of the ${S} examples has NaN/Inf in some layer (${firstDesc}); nothing is left after --nan drop-examples`,
    );
  }
  const keep = S - dropped;
  const out = layers.map((l): LayerMatrix => {
    const N = l.neurons;
    const data = new Float64Array(keep * N);
    const src = l.data;
    let o = 0;
    for (let s = 0; s < S; s++) {
      if (bad[s] === 1) continue;
      if (src instanceof Float64Array) data.set(src.subarray(s * N, (s + 1) * N), o);
      else for (let j = 0; j < N; j++) data[o + j] = src[s * N + j];
      o += N;
    }
    return { name: l.name, data, samples: keep, neurons: N };
  });
  return { layers: out, dropped, message: `dropped ${dropped} of ${S} examples with NaN/Inf (${firstDesc})` };
}

type Parser = (bytes: Uint8Array, path: string) => Map<string, NdArray> | Promise<Map<string, NdArray>>;

/** The reader for `path`'s extension (case-insensitive). */
function parserFor(path: string, opts: LoadOptions): Parser {
  const ext = extname(path).toLowerCase();
  switch (ext) {
    case '.npy':
      return (b, p) => {
        const h = readNpyHeader(b, p);
        // Its float64 values and the loader's neuron-major copy.
        checkMemory(p, 16 * h.size, `the array (${formatShape(h.shape)} ${h.dtype})`);
        return new Map([[fileLayerName(p), parseNpy(b, p)]]);
      };
    case '.npz':
      return parseNpz;
    case '.safetensors':
      return parseSafetensors;
    case '.csv':
      return (b, p) => parseDelimited(b, p, { delimiter: ',', layerName: fileLayerName(p), header: opts.header });
    case '.tsv':
      return (b, p) => parseDelimited(b, p, { delimiter: '\t', layerName: fileLayerName(p), header: opts.header });
    case '.parquet':
      return (b, p) => parseParquet(b, p, fileLayerName(p));
    case '.json':
      return parseActivationJson;
    default:
      throw new InputError(path, `unsupported file type '${ext || '(none)'}' (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`);
  }
}
