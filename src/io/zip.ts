/**
 * A careful ZIP archive reader (the container of `.npz` files).
 *
 * The central directory is walked with bounds checks on every field, zip64 records are honoured,
 * deflated members are expanded with fflate's `inflateSync`, and every member's size and CRC-32
 * are verified, so a truncated or corrupted archive is reported instead of yielding garbage.
 * (fflate's own `unzipSync` performs none of these checks.)
 */
import { Inflate, inflateSync } from 'fflate';
import { InputError } from './errors.js';

/** One member of a ZIP archive, in central-directory order. */
export interface ZipMember {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  /** Offset of the member's local header. */
  localOffset: number;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO-HDLC, as used by ZIP) of `data`. */
export function crc32(data: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_EOCD64 = 0x06064b50;

/** Little-endian readers that refuse to read past the end (as a corruption error). */
class Reader {
  constructor(
    private readonly b: Uint8Array,
    private readonly file: string,
  ) {}
  private need(off: number, len: number, what: string): void {
    if (!(off >= 0 && off + len <= this.b.length)) {
      throw new InputError(this.file, `corrupt zip archive: ${what} lies outside the file (truncated?)`);
    }
  }
  u16(off: number, what: string): number {
    this.need(off, 2, what);
    return this.b[off] | (this.b[off + 1] << 8);
  }
  u32(off: number, what: string): number {
    this.need(off, 4, what);
    return (this.b[off] | (this.b[off + 1] << 8) | (this.b[off + 2] << 16)) + this.b[off + 3] * 0x1000000;
  }
  u64(off: number, what: string): number {
    const lo = this.u32(off, what);
    const hi = this.u32(off + 4, what);
    const v = hi * 4294967296 + lo;
    if (!Number.isSafeInteger(v)) throw new InputError(this.file, `corrupt zip archive: ${what} is implausibly large`);
    return v;
  }
  bytes(off: number, len: number, what: string): Uint8Array {
    this.need(off, len, what);
    return this.b.subarray(off, off + len);
  }
}

function decodeName(raw: Uint8Array, utf8: boolean): string {
  if (utf8) return new TextDecoder('utf-8').decode(raw);
  let s = '';
  for (const x of raw) s += String.fromCharCode(x); // CP437 approximated by Latin-1 (ASCII exact)
  return s;
}

/**
 * Lists the members of a ZIP archive from its central directory.
 * @throws InputError if `bytes` is not a ZIP archive or its directory is damaged
 */
export function listZip(bytes: Uint8Array, file: string): ZipMember[] {
  const r = new Reader(bytes, file);
  const n = bytes.length;
  if (n === 0) throw new InputError(file, 'empty file (not a zip archive)');
  let eocd = -1;
  for (let p = n - 22; p >= 0 && p >= n - 22 - 0xffff; p--) {
    if (bytes[p] === 0x50 && bytes[p + 1] === 0x4b && bytes[p + 2] === 0x05 && bytes[p + 3] === 0x06) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) {
    if (n >= 4 && r.u32(0, 'signature') === SIG_LOCAL) {
      throw new InputError(file, 'corrupt zip archive: no end-of-central-directory record (truncated?)');
    }
    throw new InputError(file, 'not a zip archive (.npz files are zip archives)');
  }
  let count = r.u16(eocd + 10, 'entry count');
  let cdSize = r.u32(eocd + 12, 'central directory size');
  let cdOffset = r.u32(eocd + 16, 'central directory offset');
  if (eocd >= 20 && r.u32(eocd - 20, 'zip64 locator') === SIG_EOCD64_LOCATOR) {
    const z = r.u64(eocd - 12, 'zip64 end record offset');
    if (r.u32(z, 'zip64 end record') !== SIG_EOCD64) throw new InputError(file, 'corrupt zip archive: bad zip64 end record');
    count = r.u64(z + 32, 'zip64 entry count');
    cdSize = r.u64(z + 40, 'zip64 central directory size');
    cdOffset = r.u64(z + 48, 'zip64 central directory offset');
  }
  if (cdOffset + cdSize > n) throw new InputError(file, 'corrupt zip archive: central directory lies outside the file (truncated?)');

  const members: ZipMember[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (r.u32(p, 'central directory entry') !== SIG_CENTRAL) {
      throw new InputError(file, `corrupt zip archive: bad central directory entry #${i + 1}`);
    }
    const flags = r.u16(p + 8, 'entry flags');
    const method = r.u16(p + 10, 'entry method');
    const crc = r.u32(p + 16, 'entry crc');
    let compressedSize = r.u32(p + 20, 'entry size');
    let size = r.u32(p + 24, 'entry size');
    const nameLen = r.u16(p + 28, 'entry name length');
    const extraLen = r.u16(p + 30, 'entry extra length');
    const commentLen = r.u16(p + 32, 'entry comment length');
    let localOffset = r.u32(p + 42, 'entry offset');
    const name = decodeName(r.bytes(p + 46, nameLen, 'entry name'), (flags & 0x800) !== 0);
    // zip64 extended information: 64-bit values for those fields that are 0xFFFFFFFF, in this order.
    const extra = p + 46 + nameLen;
    for (let q = extra; q + 4 <= extra + extraLen; ) {
      const id = r.u16(q, 'extra field');
      const len = r.u16(q + 2, 'extra field');
      if (id === 0x0001) {
        let f = q + 4;
        if (size === 0xffffffff) {
          size = r.u64(f, 'zip64 size');
          f += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = r.u64(f, 'zip64 size');
          f += 8;
        }
        if (localOffset === 0xffffffff) localOffset = r.u64(f, 'zip64 offset');
      }
      q += 4 + len;
    }
    if (flags & 0x1) throw new InputError(file, `member '${name}' is encrypted`);
    members.push({ name, method, compressedSize, size, crc32: crc, localOffset });
    p = extra + extraLen + commentLen;
  }
  return members;
}

/** Where a member's packed data starts and ends in `bytes` (checked against the file). */
function memberData(bytes: Uint8Array, m: ZipMember, file: string): Uint8Array {
  const r = new Reader(bytes, file);
  if (r.u32(m.localOffset, `member '${m.name}' header`) !== SIG_LOCAL) throw new InputError(file, `corrupt member '${m.name}': bad local header`);
  const start = m.localOffset + 30 + r.u16(m.localOffset + 26, 'local name length') + r.u16(m.localOffset + 28, 'local extra length');
  if (start + m.compressedSize > bytes.length) throw new InputError(file, `corrupt member '${m.name}': data lies outside the file (truncated?)`);
  return bytes.subarray(start, start + m.compressedSize);
}

/**
 * The first `limit` uncompressed bytes of `m` (fewer if the member is shorter), inflated in small
 * steps so that no more than about `limit` + 1 MiB is ever produced, whatever the member holds:
 * enough to read a `.npy` header before deciding whether to inflate the rest.
 * @throws InputError naming the member if its deflate data are invalid
 */
export function peekZipMember(bytes: Uint8Array, m: ZipMember, file: string, limit: number): Uint8Array {
  const packed = memberData(bytes, m, file);
  if (m.method === 0) return packed.subarray(0, Math.min(limit, packed.length));
  if (m.method !== 8) throw new InputError(file, `member '${m.name}' uses unsupported compression method ${m.method} (only stored and deflate)`);
  const chunks: Uint8Array[] = [];
  let got = 0;
  const inf = new Inflate((chunk) => {
    if (got < limit) chunks.push(chunk.slice(0, limit - got));
    got += chunk.length;
  });
  try {
    // 1 KiB of deflate data inflates to at most about 1 MiB.
    for (let p = 0; p < packed.length && got < limit; p += 1024) inf.push(packed.subarray(p, Math.min(p + 1024, packed.length)), p + 1024 >= packed.length);
  } catch (e) {
    throw new InputError(file, `corrupt member '${m.name}': deflate data invalid (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const out = new Uint8Array(Math.min(got, limit));
  let o = 0;
  for (const c of chunks) {
    out.set(c.subarray(0, out.length - o), o);
    o += Math.min(c.length, out.length - o);
  }
  return out;
}

/**
 * Returns the uncompressed, CRC-checked contents of `m`. Stored members are returned as views
 * into `bytes` (no copy).
 * @throws InputError naming the member if it is damaged or uses an unsupported compression method
 */
export function extractZipMember(bytes: Uint8Array, m: ZipMember, file: string): Uint8Array {
  const bad = (what: string): InputError => new InputError(file, `corrupt member '${m.name}': ${what}`);
  const packed = memberData(bytes, m, file);
  let out: Uint8Array;
  if (m.method === 0) {
    if (m.compressedSize !== m.size) throw bad('stored size mismatch');
    out = packed;
  } else if (m.method === 8) {
    // Deflate cannot expand by more than ~1032:1; a larger claim means a damaged directory.
    if (m.size > m.compressedSize * 1032 + 1024) throw bad(`implausible size ${m.size} for ${m.compressedSize} compressed bytes`);
    try {
      out = inflateSync(packed, { out: new Uint8Array(m.size) });
    } catch (e) {
      throw new InputError(file, `corrupt member '${m.name}': deflate data invalid (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
    if (out.length !== m.size) throw bad(`inflated to ${out.length} bytes, expected ${m.size}`);
  } else {
    throw new InputError(file, `member '${m.name}' uses unsupported compression method ${m.method} (only stored and deflate)`);
  }
  if (crc32(out) !== m.crc32) throw bad('CRC-32 mismatch');
  return out;
}
