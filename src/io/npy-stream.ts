/**
 * Decoding a `.npy` stream chunk by chunk: the header as soon as its bytes are in, then the
 * elements as float64 batches, without ever holding the whole file. Used to read large `.npy`
 * files and `.npz` members (stored or inflated) straight into an activation set.
 */
import { formatShape } from './array.js';
import { decodeElementsView, elementName } from './dtype.js';
import { InputError } from './errors.js';
import { readNpyHeader, type NpyHeader } from './npy.js';

/** Headers are a few hundred bytes; one that does not end within this many is refused. */
const HEADER_LIMIT = 1 << 20;

export class NpyStreamDecoder {
  private head: Uint8Array = new Uint8Array(0);
  private header: NpyHeader | null = null;
  private carry: Uint8Array = new Uint8Array(0);
  private emitted = 0;

  /**
   * @param name the file or member name for messages
   * @param onHeader called once with the header, before any element
   * @param onElements called with consecutive batches: `values` are elements `start ..` in the
   *   file's order (C or Fortran, as the header says), valid only during the call
   */
  constructor(
    private readonly name: string,
    private readonly onHeader: (h: NpyHeader) => void,
    private readonly onElements: (start: number, values: Float32Array | Float64Array) => void,
  ) {}

  /** The header, once read. */
  get npyHeader(): NpyHeader | null {
    return this.header;
  }

  /** Feeds the next bytes of the stream (decoded 8 MiB at a time, whatever their length). */
  push(chunk: Uint8Array): void {
    const step = 8 << 20;
    for (let p = 0; p < chunk.length; p += step) this.pushSlice(chunk.subarray(p, Math.min(chunk.length, p + step)));
  }

  private pushSlice(chunk: Uint8Array): void {
    if (this.header === null) {
      const joined = new Uint8Array(this.head.length + chunk.length);
      joined.set(this.head);
      joined.set(chunk, this.head.length);
      const dataOffset = npyDataOffset(joined);
      if (dataOffset === null || joined.length < dataOffset) {
        if (joined.length > HEADER_LIMIT) throw new InputError(this.name, `no complete .npy header in its first ${HEADER_LIMIT} bytes`);
        this.head = joined;
        return;
      }
      this.header = readNpyHeader(joined, this.name, { prefixOnly: true });
      this.head = new Uint8Array(0);
      this.onHeader(this.header);
      chunk = joined.subarray(this.header.dataOffset);
    }
    const h = this.header;
    const size = h.element.itemsize;
    let bytes = chunk;
    if (this.carry.length > 0) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
    }
    const count = Math.min(Math.floor(bytes.length / size), h.size - this.emitted);
    if (count > 0) {
      const start = this.emitted;
      this.emitted += count;
      this.onElements(start, decodeElementsView(bytes, 0, count, h.element));
    }
    this.carry = this.emitted < h.size ? bytes.slice(count * size) : new Uint8Array(0);
  }

  /**
   * Ends the stream.
   * @throws InputError when the header or some elements never came (truncated)
   */
  end(): void {
    if (this.header === null) {
      // Let the header reader say what is wrong with what there is.
      readNpyHeader(this.head, this.name, { prefixOnly: true });
      throw new InputError(this.name, `truncated: only ${this.head.length} bytes, too short for a .npy header`);
    }
    const h = this.header;
    if (this.emitted < h.size) {
      const have = this.emitted * h.element.itemsize + this.carry.length;
      throw new InputError(this.name, `truncated: header says ${formatShape(h.shape)} ${elementName(h.element)} (${h.size * h.element.itemsize} bytes) but only ${have} data bytes follow`);
    }
  }
}

/**
 * Where the data start, once the magic, version and header length are in; null before; 0 when
 * the bytes cannot be a .npy header (the header reader then says why).
 */
export function npyDataOffset(b: Uint8Array): number | null {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  for (let i = 0; i < Math.min(6, b.length); i++) if (b[i] !== magic[i]) return 0; // let the header reader refuse it
  if (b.length < 10) return null;
  const major = b[6];
  if (major < 1 || major > 3) return 0;
  if (major === 1) return 10 + (b[8] | (b[9] << 8));
  if (b.length < 12) return null;
  return 12 + (b[8] | (b[9] << 8) | (b[10] << 16)) + b[11] * 0x1000000;
}
