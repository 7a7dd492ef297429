/**
 * A careful ZIP archive reader (the container of `.npz` files).
 *
 * The central directory is walked with bounds checks on every field, zip64 records are honoured,
 * deflated members are expanded with fflate's `inflateSync`, and every member's size and CRC-32
 * are verified, so a truncated or corrupted archive is reported instead of yielding garbage.
 * (fflate's own `unzipSync` performs none of these checks.)
 */
import { inflateSync } from 'fflate';
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

/**
 * CRC-32 (ISO-HDLC, as used by ZIP) of `data`; with `previous` (the CRC of the bytes before),
 * the CRC of the concatenation, so a stream can be checked chunk by chunk.
 */
export function crc32(data: Uint8Array, previous = 0): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  const t = crcTable;
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_EOCD64 = 0x06064b50;

/**
 * Little-endian readers that refuse to read past the end (as a corruption error). Offsets are
 * file offsets; `b` holds the file's bytes from offset `base` on (the whole file, or a part of
 * it read from disk).
 */
class Reader {
  constructor(
    private readonly b: Uint8Array,
    private readonly file: string,
    private readonly base = 0,
  ) {}
  private need(off: number, len: number, what: string): void {
    if (!(off >= this.base && off + len <= this.base + this.b.length)) {
      throw new InputError(this.file, `corrupt zip archive: ${what} lies outside the file (truncated?)`);
    }
  }
  u16(off: number, what: string): number {
    this.need(off, 2, what);
    const o = off - this.base;
    return this.b[o] | (this.b[o + 1] << 8);
  }
  u32(off: number, what: string): number {
    this.need(off, 4, what);
    const o = off - this.base;
    return (this.b[o] | (this.b[o + 1] << 8) | (this.b[o + 2] << 16)) + this.b[o + 3] * 0x1000000;
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
    return this.b.subarray(off - this.base, off - this.base + len);
  }
}

function decodeName(raw: Uint8Array, utf8: boolean): string {
  if (utf8) return new TextDecoder('utf-8').decode(raw);
  let s = '';
  for (const x of raw) s += String.fromCharCode(x); // CP437 approximated by Latin-1 (ASCII exact)
  return s;
}

/** Where the central directory is, from the end-of-central-directory record(s). */
interface CentralDirectory {
  count: number;
  size: number;
  offset: number;
}

/** Finds the EOCD record in `tail` (the file's last bytes, from file offset `tailBase`). */
function findEocd(tail: Uint8Array, tailBase: number, fileSize: number, file: string): number {
  const n = tail.length;
  for (let p = n - 22; p >= 0 && p >= n - 22 - 0xffff; p--) {
    if (tail[p] === 0x50 && tail[p + 1] === 0x4b && tail[p + 2] === 0x05 && tail[p + 3] === 0x06) return tailBase + p;
  }
  if (fileSize === 0) throw new InputError(file, 'empty file (not a zip archive)');
  if (tailBase === 0 && n >= 4 && tail[0] === 0x50 && tail[1] === 0x4b && tail[2] === 0x03 && tail[3] === 0x04) {
    throw new InputError(file, 'corrupt zip archive: no end-of-central-directory record (truncated?)');
  }
  throw new InputError(file, 'not a zip archive (.npz files are zip archives)');
}

/** Reads the central directory's place from the EOCD at `eocd` (and the zip64 records). */
function centralDirectory(r: Reader, eocd: number, fileSize: number, file: string, zip64Record: (offset: number) => Reader): CentralDirectory {
  let count = r.u16(eocd + 10, 'entry count');
  let size = r.u32(eocd + 12, 'central directory size');
  let offset = r.u32(eocd + 16, 'central directory offset');
  if (eocd >= 20 && r.u32(eocd - 20, 'zip64 locator') === SIG_EOCD64_LOCATOR) {
    const z = r.u64(eocd - 12, 'zip64 end record offset');
    const zr = zip64Record(z);
    if (zr.u32(z, 'zip64 end record') !== SIG_EOCD64) throw new InputError(file, 'corrupt zip archive: bad zip64 end record');
    count = zr.u64(z + 32, 'zip64 entry count');
    size = zr.u64(z + 40, 'zip64 central directory size');
    offset = zr.u64(z + 48, 'zip64 central directory offset');
  }
  if (offset + size > fileSize) throw new InputError(file, 'corrupt zip archive: central directory lies outside the file (truncated?)');
  return { count, size, offset };
}

/** The members listed in the central directory (read by `r`, which covers it). */
function parseEntries(r: Reader, cd: CentralDirectory, file: string): ZipMember[] {
  const members: ZipMember[] = [];
  let p = cd.offset;
  for (let i = 0; i < cd.count; i++) {
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

/**
 * Lists the members of a ZIP archive from its central directory.
 * @throws InputError if `bytes` is not a ZIP archive or its directory is damaged
 */
export function listZip(bytes: Uint8Array, file: string): ZipMember[] {
  const r = new Reader(bytes, file);
  const eocd = findEocd(bytes, 0, bytes.length, file);
  const cd = centralDirectory(r, eocd, bytes.length, file, () => r);
  return parseEntries(r, cd, file);
}

/** Reads `length` bytes at `position` of an open file (fewer only at its end). */
export type ReadAt = (position: number, length: number) => Promise<Uint8Array>;

/**
 * Lists the members of a ZIP archive on disk without reading it whole: its last bytes, the
 * zip64 record if any, and the central directory.
 * @throws InputError as {@link listZip}
 */
export async function listZipFile(readAt: ReadAt, fileSize: number, file: string): Promise<ZipMember[]> {
  const tailLen = Math.min(fileSize, 0xffff + 22 + 20);
  const tailBase = fileSize - tailLen;
  const tail = await readAt(tailBase, tailLen);
  const eocd = findEocd(tail, tailBase, fileSize, file);
  const tr = new Reader(tail, file, tailBase);
  const z64: { r: Reader | null } = { r: null };
  let zAt = -1;
  // The zip64 record lies before the EOCD, usually inside the tail.
  if (eocd >= 20 && tr.u32(eocd - 20, 'zip64 locator') === SIG_EOCD64_LOCATOR) {
    zAt = tr.u64(eocd - 12, 'zip64 end record offset');
    if (zAt < 0 || zAt + 56 > fileSize) throw new InputError(file, 'corrupt zip archive: zip64 end record lies outside the file (truncated?)');
    z64.r = zAt >= tailBase ? tr : new Reader(await readAt(zAt, 56), file, zAt);
  }
  const cd = centralDirectory(tr, eocd, fileSize, file, () => z64.r ?? tr);
  const cdBytes = await readAt(cd.offset, cd.size);
  return parseEntries(new Reader(cdBytes, file, cd.offset), cd, file);
}

/** File offset of a member's data (after its local header), read with `readAt`. */
export async function memberDataOffset(readAt: ReadAt, m: ZipMember, fileSize: number, file: string): Promise<number> {
  const head = await readAt(m.localOffset, 30);
  const r = new Reader(head, file, m.localOffset);
  if (r.u32(m.localOffset, `member '${m.name}' header`) !== SIG_LOCAL) throw new InputError(file, `corrupt member '${m.name}': bad local header`);
  const start = m.localOffset + 30 + r.u16(m.localOffset + 26, 'local name length') + r.u16(m.localOffset + 28, 'local extra length');
  if (start + m.compressedSize > fileSize) throw new InputError(file, `corrupt member '${m.name}': data lies outside the file (truncated?)`);
  return start;
}

/** A member's packed (stored or deflated) data in `bytes`, checked against the file. */
export function memberData(bytes: Uint8Array, m: ZipMember, file: string): Uint8Array {
  const r = new Reader(bytes, file);
  if (r.u32(m.localOffset, `member '${m.name}' header`) !== SIG_LOCAL) throw new InputError(file, `corrupt member '${m.name}': bad local header`);
  const start = m.localOffset + 30 + r.u16(m.localOffset + 26, 'local name length') + r.u16(m.localOffset + 28, 'local extra length');
  if (start + m.compressedSize > bytes.length) throw new InputError(file, `corrupt member '${m.name}': data lies outside the file (truncated?)`);
  return bytes.subarray(start, start + m.compressedSize);
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
