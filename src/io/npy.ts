/**
 * Reading and writing NumPy `.npy` files (format versions 1.0, 2.0 and 3.0).
 *
 * Layout (see numpy.lib.format): the magic `\x93NUMPY`, a major and minor version byte, the header
 * length (little-endian u16 for 1.0, u32 for 2.0/3.0), then an ASCII (1.0/2.0) or UTF-8 (3.0)
 * Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` padded with
 * spaces and a final newline, then the raw element bytes.
 *
 * Readable dtypes: float16/32/64, int8/16/32/64, uint8/16/32/64 and bool, in either byte order.
 * Values are converted to float64 (exactly, except int64/uint64 beyond ±2^53, which round to the
 * nearest float64). Bytes after the last element are ignored, as NumPy does.
 */
import { formatShape, fortranToC, type NdArray } from './array.js';
import { decodeElements, elementName, HOST_LITTLE_ENDIAN, numpyDtypeStr, type ElementType } from './dtype.js';
import { InputError } from './errors.js';
import { parsePyLiteral, PySyntaxError, type PyValue } from './pyliteral.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** What a `.npy` header says, before any data is decoded. */
export interface NpyHeader {
  /** Format version as `[major, minor]`: `[1, 0]`, `[2, 0]` or `[3, 0]`. */
  version: [number, number];
  /** The element type the header declares. */
  element: ElementType;
  /** NumPy-style dtype string, normalised (e.g. `'<f4'`, `'|b1'`). */
  dtype: string;
  /** True when the data are stored in Fortran (column-major) order. */
  fortranOrder: boolean;
  shape: number[];
  /** Number of elements (product of `shape`; 1 for 0-d). */
  size: number;
  /** Byte offset of the first element in the file. */
  dataOffset: number;
}

function describeBytes(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x >= 0x20 && x < 0x7f && x !== 0x5c ? String.fromCharCode(x) : `\\x${x.toString(16).padStart(2, '0')}`;
  return `"${s}"`;
}

/**
 * Interprets a `.npy` descr string such as `'<f4'` or `'|b1'`.
 * Returns the element type, or a problem description for the error message.
 */
export function parseDescr(descr: string): ElementType | string {
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(descr);
  if (m === null) return `unsupported dtype '${descr}'`;
  const [, order, kindChar, sizeText] = m;
  const size = sizeText === '' ? NaN : Number(sizeText);
  const littleEndian = order !== '>'; // '=' (native) and '|' (not applicable) are taken as little-endian
  if (kindChar === '?' && sizeText === '') return { kind: 'b', itemsize: 1, littleEndian: true };
  switch (kindChar) {
    case 'b':
      if (size === 1) return { kind: 'b', itemsize: 1, littleEndian: true };
      break;
    case 'f':
      if (size === 2 || size === 4 || size === 8) return { kind: 'f', itemsize: size, littleEndian };
      if (size === 12 || size === 16) return `unsupported dtype '${descr}' (extended-precision float)`;
      break;
    case 'i':
    case 'u':
      if (size === 1 || size === 2 || size === 4 || size === 8) return { kind: kindChar, itemsize: size, littleEndian };
      break;
    case 'c':
      return `unsupported dtype '${descr}' (complex)`;
    case 'O':
      return `unsupported dtype '${descr}' (Python objects)`;
    case 'S':
    case 'a':
    case 'U':
      return `unsupported dtype '${descr}' (strings)`;
    case 'V':
      return `unsupported dtype '${descr}' (raw bytes/void)`;
    case 'M':
    case 'm':
      return `unsupported dtype '${descr}' (datetime/timedelta)`;
  }
  return `unsupported dtype '${descr}'`;
}

function malformed(file: string, what: string): InputError {
  return new InputError(file, `malformed .npy header: ${what}`);
}

function pyRepr(v: PyValue): string {
  switch (v.type) {
    case 'str':
      return `'${v.value}'`;
    case 'int':
    case 'float':
      return String(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'tuple':
      return `(${v.items.map(pyRepr).join(', ')}${v.items.length === 1 ? ',' : ''})`;
    case 'list':
      return `[${v.items.map(pyRepr).join(', ')}]`;
    case 'dict':
      return '{...}';
  }
}

/**
 * Reads and validates the header of a `.npy` file without decoding the data.
 * Checks that the file holds at least `size * itemsize` data bytes, unless `prefixOnly` says
 * that `bytes` are only the start of the file (a header peeked from a compressed archive).
 *
 * @throws InputError for a wrong magic, an unsupported version or dtype, a malformed header, or truncated data
 */
export function readNpyHeader(bytes: Uint8Array, file: string, opts: { prefixOnly?: boolean } = {}): NpyHeader {
  const n = bytes.length;
  if (n === 0) throw new InputError(file, 'empty file (not a .npy file)');
  const head = bytes.subarray(0, Math.min(n, MAGIC.length));
  if (n < MAGIC.length || !MAGIC.every((b, i) => bytes[i] === b)) {
    if (n < MAGIC.length && head.every((b, i) => b === MAGIC[i])) {
      throw new InputError(file, `truncated: only ${n} bytes, too short for a .npy header`);
    }
    throw new InputError(file, `not a .npy file: wrong magic ${describeBytes(head)} (expected "\\x93NUMPY")`);
  }
  if (n < 10) throw new InputError(file, `truncated: only ${n} bytes, too short for a .npy header`);
  const major = bytes[6];
  const minor = bytes[7];
  if (!((major === 1 || major === 2 || major === 3) && minor === 0)) {
    throw new InputError(file, `unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  }
  const lenBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lenBytes;
  if (n < headerStart) throw new InputError(file, `truncated: only ${n} bytes, too short for a .npy header`);
  const headerLen =
    major === 1 ? bytes[8] | (bytes[9] << 8) : (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 0x1000000;
  const dataOffset = headerStart + headerLen;
  if (dataOffset > n) {
    throw new InputError(file, `truncated: header length is ${headerLen} bytes but only ${n - headerStart} bytes follow`);
  }
  const raw = bytes.subarray(headerStart, dataOffset);
  let text: string;
  if (major === 3) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw malformed(file, 'header is not valid UTF-8');
    }
  } else {
    text = '';
    for (let i = 0; i < raw.length; i += 8192) text += String.fromCharCode(...raw.subarray(i, i + 8192));
  }

  let lit: PyValue;
  try {
    lit = parsePyLiteral(text);
  } catch (e) {
    if (e instanceof PySyntaxError) throw malformed(file, e.message);
    throw e;
  }
  if (lit.type !== 'dict') throw malformed(file, 'header is not a dict');
  const d = lit.entries;
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!d.has(key)) throw malformed(file, `missing key '${key}'`);
  }
  for (const key of d.keys()) {
    if (key !== 'descr' && key !== 'fortran_order' && key !== 'shape') throw malformed(file, `unexpected key '${key}'`);
  }
  const descr = d.get('descr') as PyValue;
  const fortran = d.get('fortran_order') as PyValue;
  const shapeLit = d.get('shape') as PyValue;

  if (descr.type === 'list') throw new InputError(file, 'unsupported dtype: structured (record) arrays are not supported');
  if (descr.type !== 'str') throw malformed(file, `'descr' is ${pyRepr(descr)}, not a string`);
  const element = parseDescr(descr.value);
  if (typeof element === 'string') throw new InputError(file, element);

  if (fortran.type !== 'bool') throw malformed(file, `'fortran_order' is ${pyRepr(fortran)}, not True or False`);

  if (shapeLit.type !== 'tuple' && shapeLit.type !== 'int') throw malformed(file, `'shape' is ${pyRepr(shapeLit)}, not a tuple`);
  const dims = shapeLit.type === 'int' ? [shapeLit] : shapeLit.items;
  const shape: number[] = [];
  let size = 1;
  for (const dim of dims) {
    if (dim.type === 'int' && dim.value > Number.MAX_SAFE_INTEGER) {
      throw new InputError(file, `shape ${pyRepr(shapeLit)} is too large`);
    }
    if (dim.type !== 'int' || !Number.isSafeInteger(dim.value) || dim.value < 0) {
      throw malformed(file, `'shape' is ${pyRepr(shapeLit)}: dimensions must be non-negative integers`);
    }
    shape.push(dim.value);
    size *= dim.value;
  }
  if (!Number.isSafeInteger(size * element.itemsize)) {
    throw new InputError(file, `shape ${formatShape(shape)} is too large`);
  }
  const need = size * element.itemsize;
  const have = n - dataOffset;
  if (need > have && opts.prefixOnly !== true) {
    throw new InputError(
      file,
      `truncated: header says ${formatShape(shape)} ${elementName(element)} (${need} bytes) but only ${have} data bytes follow`,
    );
  }
  return {
    version: [major, minor],
    element,
    dtype: numpyDtypeStr(element),
    fortranOrder: fortran.value,
    shape,
    size,
    dataOffset,
  };
}

/**
 * Parses a whole `.npy` file into a float64, C-ordered {@link NdArray} (Fortran-ordered data are
 * transposed). Conversion is exact except for int64/uint64 values beyond ±2^53, which are rounded
 * to the nearest float64 without warning. The returned data never alias `bytes`.
 *
 * @param bytes the file's contents
 * @param file the name used in error messages
 * @throws InputError for any malformed, unsupported or truncated input
 */
export function parseNpy(bytes: Uint8Array, file: string): NdArray {
  const h = readNpyHeader(bytes, file);
  let data: Float64Array;
  try {
    data = decodeElements(bytes, h.dataOffset, h.size, h.element);
    if (h.fortranOrder) data = fortranToC(data, h.shape);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new InputError(file, `cannot load ${formatShape(h.shape)} ${elementName(h.element)}: ${e.message}`, { cause: e });
    }
    throw e;
  }
  return { shape: h.shape, data, dtype: h.dtype };
}

/** Python repr of a shape tuple: `()`, `(5,)`, `(2, 3)`. */
function shapeRepr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Checks that `shape` is a list of non-negative safe integers whose product is `length`.
 * @throws RangeError otherwise (a programming error, not bad input)
 */
export function checkShape(shape: readonly number[], length: number, who: string): void {
  let size = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`${who}: shape [${shape.join(', ')}] has an invalid dimension ${d}`);
    size *= d;
  }
  if (size !== length) throw new RangeError(`${who}: shape [${shape.join(', ')}] needs ${size} elements but data has ${length}`);
}

/**
 * Encodes `data` (C order) as a `.npy` file: format 1.0 (2.0 only if the header would exceed
 * 65535 bytes), dtype `'<f8'` for a Float64Array or `'<f4'` for a Float32Array, `fortran_order`
 * False, header padded with spaces and a newline so the data start at a multiple of 64 bytes.
 *
 * @throws RangeError if `shape` is invalid or does not match `data.length`
 */
export function encodeNpy(data: Float64Array | Float32Array, shape: number[]): Uint8Array {
  checkShape(shape, data.length, 'encodeNpy');
  const header = encodeNpyHeader(data instanceof Float64Array ? '<f8' : '<f4', shape);
  const total = header.length;
  const out = new Uint8Array(total + data.byteLength);
  out.set(header);
  const view = new DataView(out.buffer);
  if (HOST_LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  } else if (data instanceof Float64Array) {
    for (let i = 0; i < data.length; i++) view.setFloat64(total + 8 * i, data[i], true);
  } else {
    for (let i = 0; i < data.length; i++) view.setFloat32(total + 4 * i, data[i], true);
  }
  return out;
}

/**
 * The header of a C-order `.npy` file of `descr` (`'<f4'`, `'<f8'`) and `shape`, padded to a
 * multiple of 64 bytes (format 1.0, or 2.0 when the header needs it): the data follow it. For
 * writing large files in pieces.
 */
export function encodeNpyHeader(descr: '<f4' | '<f8', shape: readonly number[]): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`;
  let preamble = 10;
  let total = Math.ceil((preamble + dict.length + 1) / 64) * 64;
  if (total - preamble > 0xffff) {
    preamble = 12;
    total = Math.ceil((preamble + dict.length + 1) / 64) * 64;
  }
  const headerLen = total - preamble;
  const header = dict + ' '.repeat(headerLen - dict.length - 1) + '\n';
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = preamble === 10 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (preamble === 10) view.setUint16(8, headerLen, true);
  else view.setUint32(8, headerLen, true);
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  return out;
}
