/**
 * Model inputs: `.npy` (one array, fed to the model's single input), `.npz` (arrays keyed by
 * model input name) or a text file (one example per line, for transformer folders).
 */
import * as nodePath from 'node:path';
import { formatShape, type NdArray } from '../io/array.js';
import { InputError } from '../io/errors.js';
import { readFileBytes } from '../io/files.js';
import { parseNpy } from '../io/npy.js';
import { parseNpz } from '../io/npz.js';

/** Arrays (first axis = examples), keyed by input name (`''` for a lone .npy array). */
export interface ArrayInputs {
  kind: 'arrays';
  arrays: Map<string, NdArray>;
  /** Display name of the source (the file), for messages. */
  source: string;
}

/** Texts, one example each. */
export interface TextInputs {
  kind: 'texts';
  /** One per line of the file, empty lines included (example i is line i + 1). */
  texts: string[];
  source: string;
  /** The (1-based) lines that are empty or blank: kept, as examples of an empty text. */
  blank?: number[];
}

export type ModelInputs = ArrayInputs | TextInputs;

export const TEXT_EXTENSIONS: readonly string[] = ['.txt', '.text', '.lines'];

/** Number of examples of some inputs (checks that every array has the same first axis). */
export function inputSamples(inputs: ModelInputs): number {
  if (inputs.kind === 'texts') return inputs.texts.length;
  let S: number | undefined;
  for (const [key, a] of inputs.arrays) {
    if (a.shape.length === 0) throw new InputError(inputs.source, `input '${key}' is a scalar; expected examples along the first axis`);
    if (S === undefined) S = a.shape[0];
    else if (a.shape[0] !== S) throw new InputError(inputs.source, `inputs disagree on the number of examples: '${key}' has ${a.shape[0]}, another has ${S}`);
  }
  if (S === undefined) throw new InputError(inputs.source, 'no input arrays');
  return S;
}

/** Reads `.npy`, `.npz` or a text file of examples. */
export async function readModelInputs(path: string): Promise<ModelInputs> {
  const ext = nodePath.extname(path).toLowerCase();
  if (ext !== '.npy' && ext !== '.npz' && !TEXT_EXTENSIONS.includes(ext)) {
    throw new InputError(path, `unsupported inputs '${ext || nodePath.basename(path)}': expected .npy, .npz or a .txt file with one example per line`);
  }
  const bytes = await readFileBytes(path);
  let inputs: ModelInputs;
  if (ext === '.npy') inputs = { kind: 'arrays', arrays: new Map([['', parseNpy(bytes, path)]]), source: path };
  else if (ext === '.npz') {
    const arrays = parseNpz(bytes, path);
    if (arrays.size === 0) throw new InputError(path, 'holds no arrays');
    inputs = { kind: 'arrays', arrays, source: path };
  } else {
    const text = new TextDecoder('utf-8').decode(bytes);
    // every line is an example, so that example i is line i + 1 of the user's file (and of
    // their labels); only the empty string after a final newline is not a line
    const texts = text.split(/\r?\n/);
    if (texts.length > 0 && texts[texts.length - 1] === '') texts.pop();
    const blank = texts.flatMap((l, i) => (l.trim() === '' ? [i + 1] : []));
    if (blank.length === texts.length) throw new InputError(path, 'no examples (every line is empty)');
    inputs = { kind: 'texts', texts, source: path, blank };
  }
  const S = inputSamples(inputs);
  if (S === 0) throw new InputError(path, inputs.kind === 'texts' ? 'no examples (every line is empty)' : 'no examples (first axis is 0)');
  return inputs;
}

/**
 * Matches array inputs to the model's input names: a lone array goes to a single-input model
 * whatever its key; otherwise every model input needs an array of that name (except those in
 * `optional`, filled by the caller) and every array must name a model input.
 */
export function matchInputs(inputs: ArrayInputs, names: readonly string[], modelFile: string, optional: readonly string[] = []): Map<string, NdArray> {
  const out = new Map<string, NdArray>();
  if (inputs.arrays.size === 1 && names.length === 1) {
    out.set(names[0], [...inputs.arrays.values()][0]);
    return out;
  }
  for (const key of inputs.arrays.keys()) {
    if (!names.includes(key)) {
      throw new InputError(inputs.source, `array '${key || '(npy)'}' matches no input of ${modelFile} (its inputs: ${names.join(', ')}); name the arrays of an .npz after the inputs`);
    }
  }
  for (const n of names) {
    const a = inputs.arrays.get(n);
    if (a) out.set(n, a);
    else if (!optional.includes(n)) throw new InputError(inputs.source, `no array for input '${n}' of ${modelFile} (inputs: ${names.join(', ')}; arrays: ${[...inputs.arrays.keys()].map((k) => k || '(npy)').join(', ')})`);
  }
  return out;
}

/** Rows [start, end) of an array whose first axis is examples, as a typed array of `type`. */
export function sliceRows(a: NdArray, start: number, end: number, type: string, pad = 0): { data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | Int8Array; dims: number[] } {
  const per = a.shape.slice(1).reduce((p, d) => p * d, 1);
  const rows = end - start;
  const total = rows + pad;
  const src = a.data.subarray(start * per, end * per);
  const make = (): Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | Int8Array => {
    switch (type) {
      case 'float32':
        return new Float32Array(total * per);
      case 'float64':
        return new Float64Array(total * per);
      case 'int64':
        return new BigInt64Array(total * per);
      case 'int32':
        return new Int32Array(total * per);
      case 'uint8':
      case 'bool':
        return new Uint8Array(total * per);
      case 'int8':
        return new Int8Array(total * per);
      default:
        throw new RangeError(`unsupported model input type ${type}`);
    }
  };
  const out = make();
  if (out instanceof BigInt64Array) {
    for (let i = 0; i < src.length; i++) out[i] = BigInt(Math.trunc(src[i]));
  } else out.set(src);
  // Padding (for models with a fixed batch size) repeats the last example.
  for (let p = 0; p < pad; p++) out.copyWithin((rows + p) * per, (rows - 1) * per, rows * per);
  return { data: out, dims: [total, ...a.shape.slice(1)] };
}

/** Describes an array for messages. */
export function describeArray(a: NdArray): string {
  return `${formatShape(a.shape)} ${a.dtype}`;
}
