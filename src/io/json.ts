/**
 * Reading activations from JSON: `{"layers": {"name": [[...N numbers...], ...S rows...], ...}}`.
 *
 * Each layer is an S x N array of rows, or a flat array of S numbers (N = 1). `null` becomes NaN,
 * and the non-standard tokens `NaN`, `Infinity` and `-Infinity` that Python's `json.dumps` writes
 * are accepted too, so that the loader's NaN policy applies. Other keys beside `layers` are
 * ignored.
 */
import type { NdArray } from './array.js';
import { InputError } from './errors.js';

/** Line and column (1-based) of character `pos` in `text`. */
function lineCol(text: string, pos: number): string {
  let line = 1;
  let last = -1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return `line ${line}, column ${pos - last}`;
}

class JsonSyntaxError extends Error {
  constructor(
    readonly pos: number,
    what: string,
  ) {
    super(what);
  }
}

/**
 * A small JSON parser used when `JSON.parse` refuses the text: it accepts `NaN`, `Infinity` and
 * `-Infinity` as numbers and reports the exact position of a real syntax error.
 */
function parseLenient(text: string): unknown {
  let pos = 0;
  const n = text.length;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(pos, what);
  };
  const describe = (): string => (pos >= n ? 'end of input' : `'${text[pos]}'`);
  const ws = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else return;
    }
  };
  const word = (w: string): boolean => {
    if (text.startsWith(w, pos)) {
      pos += w.length;
      return true;
    }
    return false;
  };
  const str = (): string => {
    const start = pos;
    pos++; // opening quote
    for (;;) {
      if (pos >= n) {
        pos = start;
        fail('unterminated string');
      }
      const c = text.charCodeAt(pos);
      if (c === 34) break;
      if (c === 92) pos++;
      else if (c < 32) fail('control character in string');
      pos++;
    }
    pos++;
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      pos = start;
      return fail('invalid escape in string');
    }
  };
  const NUM = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (depth: number): unknown => {
    if (depth > 1000) fail('nesting too deep');
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail(`expected a property name in double quotes, found ${describe()}`);
        const key = str();
        ws();
        if (text[pos] !== ':') fail(`expected ':' after a property name, found ${describe()}`);
        pos++;
        Object.defineProperty(obj, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return obj;
        }
        fail(`expected ',' or '}' in an object, found ${describe()}`);
      }
    }
    if (c === '[') {
      pos++;
      const arr: unknown[] = [];
      ws();
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return arr;
        }
        fail(`expected ',' or ']' in an array, found ${describe()}`);
      }
    }
    if (c === '"') return str();
    if (word('true')) return true;
    if (word('false')) return false;
    if (word('null')) return null;
    if (word('NaN')) return NaN;
    if (word('Infinity')) return Infinity;
    if (word('-Infinity')) return -Infinity;
    NUM.lastIndex = pos;
    const m = NUM.exec(text);
    if (m !== null) {
      pos += m[0].length;
      return Number(m[0]);
    }
    return fail(`unexpected ${describe()}`);
  };
  const v = value(0);
  ws();
  if (pos < n) fail(`unexpected ${describe()} after the JSON value`);
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `a string ${JSON.stringify(v.length > 30 ? `${v.slice(0, 27)}...` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** Parses JSON text, with the position of a syntax error in the message. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    try {
      return parseLenient(text);
    } catch (e2) {
      if (e2 instanceof JsonSyntaxError) {
        throw new InputError(file, `malformed JSON at ${lineCol(text, e2.pos)} (character ${e2.pos}): ${e2.message}`, { cause: e });
      }
      throw new InputError(file, `malformed JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
}

/** Converts one layer's JSON value to an S x N array. */
function layerArray(name: string, v: unknown, file: string): NdArray {
  const bad = (what: string): InputError => new InputError(file, `layer '${name}': ${what}`);
  if (!Array.isArray(v)) throw bad(`expected an array of rows (S x N numbers), got ${kindOf(v)}`);
  const S = v.length;
  const num = (x: unknown, s: number, j: number | undefined): number => {
    if (typeof x === 'number') return x;
    if (x === null) return NaN;
    throw bad(`example ${s}${j === undefined ? '' : `, neuron ${j}`}: expected a number, got ${kindOf(x)}`);
  };
  if (S === 0 || !Array.isArray(v[0])) {
    // A flat array: one neuron.
    const data = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      if (Array.isArray(v[s])) throw bad(`example ${s} is an array but example 0 is a number (mixed flat and nested rows)`);
      data[s] = num(v[s], s, undefined);
    }
    return { shape: [S, 1], data, dtype: '<f8' };
  }
  const N = (v[0] as unknown[]).length;
  const data = new Float64Array(S * N);
  for (let s = 0; s < S; s++) {
    const row: unknown = v[s];
    if (!Array.isArray(row)) throw bad(`example ${s} is ${kindOf(row)}, not an array of ${N} numbers`);
    if (row.length !== N) throw bad(`ragged rows: example ${s} has ${row.length} values but example 0 has ${N}`);
    for (let j = 0; j < N; j++) {
      const x: unknown = row[j];
      data[s * N + j] = typeof x === 'number' ? x : num(x, s, j);
    }
  }
  return { shape: [S, N], data, dtype: '<f8' };
}

/**
 * Parses a JSON activation file.
 *
 * @returns one S x N float64 array per entry of `layers`, in key order
 * @throws InputError for malformed JSON (with line, column and character position), a missing or
 *   non-object `layers`, a layer that is not an array, ragged rows, or a value that is neither a
 *   number nor null (naming layer, example and neuron)
 */
export function parseActivationJson(bytes: Uint8Array, file: string): Map<string, NdArray> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    const why = e instanceof RangeError ? 'file too large to decode as JSON text (use .npy or Parquet)' : 'not valid UTF-8 text';
    throw new InputError(file, why, { cause: e });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new InputError(file, 'empty file (expected {"layers": {...}})');
  const root = parseJsonText(text, file);
  if (!isRecord(root)) throw new InputError(file, `expected a JSON object {"layers": {...}}, got ${kindOf(root)}`);
  if (!Object.hasOwn(root, 'layers')) throw new InputError(file, `missing "layers" (expected {"layers": {"name": [[...], ...], ...}})`);
  const layers = root.layers;
  if (!isRecord(layers)) throw new InputError(file, `"layers" must be an object mapping layer names to arrays, got ${kindOf(layers)}`);
  const out = new Map<string, NdArray>();
  for (const [name, v] of Object.entries(layers)) out.set(name, layerArray(name, v, file));
  return out;
}
