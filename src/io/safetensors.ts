/**
 * Reading safetensors files (https://github.com/huggingface/safetensors):
 * an 8-byte little-endian u64 header length N, N bytes of JSON
 * `{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ..., "__metadata__": {...}}`
 * (possibly padded with spaces), then the data buffer; offsets are relative to its start and all
 * data are little-endian, C order.
 *
 * As in the reference implementation, the tensors must tile the data buffer exactly: no overlaps,
 * no gaps, nothing left over.
 */
import { formatShape, type NdArray } from './array.js';
import { decodeElements, elementName, numpyDtypeStr, type ElementType } from './dtype.js';
import { InputError } from './errors.js';

const DTYPES: Record<string, ElementType> = {
  F16: { kind: 'f', itemsize: 2, littleEndian: true },
  BF16: { kind: 'bf', itemsize: 2, littleEndian: true },
  F32: { kind: 'f', itemsize: 4, littleEndian: true },
  F64: { kind: 'f', itemsize: 8, littleEndian: true },
  I8: { kind: 'i', itemsize: 1, littleEndian: true },
  I16: { kind: 'i', itemsize: 2, littleEndian: true },
  I32: { kind: 'i', itemsize: 4, littleEndian: true },
  I64: { kind: 'i', itemsize: 8, littleEndian: true },
  U8: { kind: 'u', itemsize: 1, littleEndian: true },
  U16: { kind: 'u', itemsize: 2, littleEndian: true },
  U32: { kind: 'u', itemsize: 4, littleEndian: true },
  U64: { kind: 'u', itemsize: 8, littleEndian: true },
  BOOL: { kind: 'b', itemsize: 1, littleEndian: true },
};

interface Entry {
  name: string;
  element: ElementType;
  shape: number[];
  size: number;
  begin: number;
  end: number;
  order: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses a safetensors file.
 *
 * @returns tensors in data-offset order (header order for ties), converted to float64; the
 *   `dtype` field uses NumPy style (`'<f4'`, `'|u1'`, `'|b1'`; `'bfloat16'` for BF16)
 * @throws InputError for a header length beyond the file, invalid JSON, an unsupported dtype
 *   (named), a bad shape, offsets out of range, overlapping or gapped data, or a byte length
 *   that differs from shape x itemsize
 */
export function parseSafetensors(bytes: Uint8Array, file: string): Map<string, NdArray> {
  const n = bytes.length;
  if (n === 0) throw new InputError(file, 'empty file (not a safetensors file)');
  if (n < 8) throw new InputError(file, `truncated: only ${n} bytes, too short for a safetensors header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const headerLen = hi * 4294967296 + lo;
  if (headerLen > n - 8) {
    throw new InputError(file, `truncated or not a safetensors file: header length ${headerLen} exceeds the ${n - 8} bytes that follow`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new InputError(file, `malformed safetensors header: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (!isRecord(header)) throw new InputError(file, 'malformed safetensors header: not a JSON object');

  const dataStart = 8 + headerLen;
  const dataLen = n - dataStart;
  const entries: Entry[] = [];
  let order = 0;
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isRecord(v)) throw new InputError(file, "malformed safetensors header: '__metadata__' is not an object");
      continue;
    }
    const bad = (what: string): InputError => new InputError(file, `tensor '${name}': ${what}`);
    if (!isRecord(v)) throw bad('malformed header entry (not an object)');
    const { dtype, shape, data_offsets: offsets } = v;
    if (typeof dtype !== 'string') throw bad("malformed header entry: missing 'dtype'");
    const element = Object.hasOwn(DTYPES, dtype) ? DTYPES[dtype] : undefined;
    if (element === undefined) throw bad(`unsupported dtype '${dtype}'`);
    if (!Array.isArray(shape) || !shape.every((d): d is number => Number.isSafeInteger(d) && (d as number) >= 0)) {
      throw bad(`malformed header entry: 'shape' must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((d): d is number => Number.isSafeInteger(d) && (d as number) >= 0)
    ) {
      throw bad(`malformed header entry: 'data_offsets' must be [begin, end], got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) throw bad(`data_offsets [${begin}, ${end}] are reversed`);
    if (end > dataLen) throw bad(`data_offsets [${begin}, ${end}] out of range: the data buffer has ${dataLen} bytes (truncated?)`);
    let size = 1;
    for (const d of shape) size *= d;
    const need = size * element.itemsize;
    if (end - begin !== need) {
      throw bad(`byte length ${end - begin} does not match shape ${formatShape(shape)} ${elementName(element)} (${need} bytes)`);
    }
    entries.push({ name, element, shape: shape.slice(), size, begin, end, order: order++ });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end || a.order - b.order);
  let covered = 0;
  for (const e of entries) {
    if (e.begin < covered) throw new InputError(file, `tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] overlap another tensor`);
    if (e.begin > covered) throw new InputError(file, `tensor '${e.name}': gap in data buffer before offset ${e.begin}`);
    covered = e.end;
  }
  if (covered !== dataLen) {
    throw new InputError(file, `inconsistent: tensors cover ${covered} of the ${dataLen} data bytes`);
  }

  const out = new Map<string, NdArray>();
  for (const e of entries) {
    let data: Float64Array;
    try {
      data = decodeElements(bytes, dataStart + e.begin, e.size, e.element);
    } catch (err) {
      if (err instanceof RangeError) throw new InputError(file, `tensor '${e.name}': cannot load: ${err.message}`, { cause: err });
      throw err;
    }
    out.set(e.name, { shape: e.shape, data, dtype: numpyDtypeStr(e.element) });
  }
  return out;
}

/**
 * A safetensors file of float32 tensors, in the given order, with optional string metadata;
 * the header is padded with spaces to a multiple of 8 bytes (as the reference writer does).
 * @throws RangeError if a shape does not match its data
 */
export function encodeSafetensors(tensors: Map<string, { data: Float32Array; shape: readonly number[] }>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    const n = t.shape.reduce((p, d) => p * d, 1);
    if (n !== t.data.length) throw new RangeError(`encodeSafetensors '${name}': shape [${t.shape.join(', ')}] needs ${n} values, got ${t.data.length}`);
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * n] };
    offset += 4 * n;
  }
  let json = JSON.stringify(header);
  while ((8 + new TextEncoder().encode(json).length) % 8 !== 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let o = 8 + head.length;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), o);
    o += t.data.byteLength;
  }
  return out;
}
