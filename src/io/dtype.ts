/**
 * Element types that infomem can read, and the conversion of their raw bytes to float64.
 *
 * Shared by the `.npy` and safetensors readers. Conversion is exact for every type except 64-bit
 * integers with magnitude above 2^53, which are rounded to the nearest float64 (the same result
 * as Python's `float(int)`); the loss of precision is silent.
 */

/** The kind of element: IEEE float, bfloat16, signed int, unsigned int, or bool. */
export type ElementKind = 'f' | 'bf' | 'i' | 'u' | 'b';

/** A readable element type. */
export interface ElementType {
  kind: ElementKind;
  /** Bytes per element: 1, 2, 4 or 8. */
  itemsize: number;
  /** Byte order of multi-byte elements in the source (ignored when `itemsize` is 1). */
  littleEndian: boolean;
}

/** Readable name of an element type for messages, e.g. `float32`, `uint8`, `bool`, `bfloat16`. */
export function elementName(t: ElementType): string {
  switch (t.kind) {
    case 'f':
      return `float${t.itemsize * 8}`;
    case 'bf':
      return 'bfloat16';
    case 'i':
      return `int${t.itemsize * 8}`;
    case 'u':
      return `uint${t.itemsize * 8}`;
    case 'b':
      return 'bool';
  }
}

/** NumPy `dtype.str` for an element type: `'<f4'`, `'>i2'`, `'|u1'`, `'|b1'`; bfloat16 -> `'bfloat16'`. */
export function numpyDtypeStr(t: ElementType): string {
  if (t.kind === 'bf') return 'bfloat16';
  const order = t.itemsize === 1 ? '|' : t.littleEndian ? '<' : '>';
  return `${order}${t.kind}${t.itemsize}`;
}

/** True on little-endian hosts (all common ones). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let f16Table: Float64Array | undefined;

/** Exact float64 value of the IEEE 754 binary16 number with bit pattern `h` (subnormals, ±0, ±Inf, NaN). */
export function float16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24; // zero or subnormal: mant * 2^-14 / 1024
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1024 + mant) * 2 ** (exp - 25); // (1 + mant/1024) * 2^(exp-15)
}

function getF16Table(): Float64Array {
  if (f16Table === undefined) {
    f16Table = new Float64Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = float16ToNumber(h);
  }
  return f16Table;
}

/**
 * Returns the elements at `bytes[offset ...]` as an aligned, host-order region: a view of `bytes`
 * itself when possible, else a fresh copy (byte-swapped when the source order differs from the host's).
 */
function alignedHostOrder(bytes: Uint8Array, offset: number, count: number, t: ElementType): ElementSource {
  const len = count * t.itemsize;
  const start = bytes.byteOffset + offset;
  const swap = t.itemsize > 1 && t.littleEndian !== HOST_LITTLE_ENDIAN;
  // Already aligned and in host order: view the caller's bytes directly (read-only use).
  if (!swap && start % t.itemsize === 0) return { buffer: bytes.buffer, byteOffset: start, length: count, shared: true };
  const copy = new Uint8Array(len);
  copy.set(bytes.subarray(offset, offset + len));
  if (swap) {
    const w = t.itemsize;
    for (let p = 0; p < len; p += w) {
      for (let a = p, b = p + w - 1; a < b; a++, b--) {
        const tmp = copy[a];
        copy[a] = copy[b];
        copy[b] = tmp;
      }
    }
  }
  return { buffer: copy.buffer, byteOffset: 0, length: count, shared: false };
}

/** Where host-order, aligned elements can be viewed: a buffer, a byte offset and an element count. */
interface ElementSource {
  buffer: ArrayBufferLike;
  byteOffset: number;
  length: number;
  /** True when `buffer` is the caller's memory (must not be returned or modified). */
  shared: boolean;
}

/**
 * Like {@link decodeElements}, but float32 and float64 elements come back as a Float32Array or
 * Float64Array over host-order aligned memory (a view of `bytes` when it already is, so the
 * result must be read at once and not kept or modified): no float64 copy of float32 data.
 */
export function decodeElementsView(bytes: Uint8Array, offset: number, count: number, t: ElementType): Float32Array | Float64Array {
  if (t.kind === 'f' && (t.itemsize === 4 || t.itemsize === 8) && count > 0 && offset + count * t.itemsize <= bytes.length) {
    const { buffer, byteOffset, length } = alignedHostOrder(bytes, offset, count, t);
    return t.itemsize === 4 ? new Float32Array(buffer, byteOffset, length) : new Float64Array(buffer, byteOffset, length);
  }
  return decodeElements(bytes, offset, count, t);
}

/**
 * Decodes `count` elements of type `t` from `bytes[offset ...]` into float64.
 * The caller must have checked that `offset + count * t.itemsize <= bytes.length`.
 */
export function decodeElements(bytes: Uint8Array, offset: number, count: number, t: ElementType): Float64Array {
  if (offset < 0 || count < 0 || offset + count * t.itemsize > bytes.length) {
    throw new RangeError(`decodeElements: ${count} x ${t.itemsize} bytes at ${offset} exceed ${bytes.length}`);
  }
  if (count === 0) return new Float64Array(0);
  if (t.kind === 'b') {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = bytes[offset + i] !== 0 ? 1 : 0;
    return out;
  }
  const { buffer: buf, byteOffset: bo, length: n, shared } = alignedHostOrder(bytes, offset, count, t);
  switch (`${t.kind}${t.itemsize}`) {
    case 'f8': {
      const v = new Float64Array(buf, bo, n);
      return shared ? v.slice() : v;
    }
    case 'f4':
      return new Float64Array(new Float32Array(buf, bo, n));
    case 'f2': {
      const table = getF16Table();
      const h = new Uint16Array(buf, bo, n);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = table[h[i]];
      return out;
    }
    case 'bf2': {
      // bfloat16 is the top half of a float32: widen the bits and reinterpret.
      const h = new Uint16Array(buf, bo, n);
      const u = new Uint32Array(count);
      for (let i = 0; i < count; i++) u[i] = h[i] << 16;
      return new Float64Array(new Float32Array(u.buffer));
    }
    case 'i1':
      return new Float64Array(new Int8Array(buf, bo, n));
    case 'u1':
      return new Float64Array(new Uint8Array(buf, bo, n));
    case 'i2':
      return new Float64Array(new Int16Array(buf, bo, n));
    case 'u2':
      return new Float64Array(new Uint16Array(buf, bo, n));
    case 'i4':
      return new Float64Array(new Int32Array(buf, bo, n));
    case 'u4':
      return new Float64Array(new Uint32Array(buf, bo, n));
    case 'i8':
    case 'u8': {
      // hi * 2^32 is exact and the single addition rounds correctly, so this equals Number(BigInt).
      const w = new Uint32Array(buf, bo, 2 * n);
      const out = new Float64Array(count);
      const lo = HOST_LITTLE_ENDIAN ? 0 : 1;
      const hi = 1 - lo;
      const signed = t.kind === 'i';
      for (let i = 0; i < count; i++) {
        const h = signed ? w[2 * i + hi] | 0 : w[2 * i + hi];
        out[i] = h * 4294967296 + w[2 * i + lo];
      }
      return out;
    }
    default:
      throw new RangeError(`decodeElements: unsupported element type ${t.kind}${t.itemsize}`);
  }
}
