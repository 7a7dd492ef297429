/**
 * Reading and writing NumPy `.npz` archives: ZIP files whose members are `.npy` files
 * (`np.savez` stores them, `np.savez_compressed` deflates them).
 */
import { zipSync, type Zippable } from 'fflate';
import { formatShape, type NdArray } from './array.js';
import { InputError } from './errors.js';
import { checkMemory, formatBytes } from './memory.js';
import { checkShape, encodeNpy, parseNpy, readNpyHeader, type NpyHeader } from './npy.js';
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
import { npyDataOffset } from './npy-stream.js';
import { extractZipMember, listZip, memberData, type ZipMember } from './zip.js';

/** Packed bytes of a member the header is looked for in, at most (headers are a few hundred bytes). */
export const MEMBER_HEAD_BYTES = 1 << 16;

/**
 * The `.npy` header of a member, from the first packed bytes of its data (`packedHead`, up to
 * {@link MEMBER_HEAD_BYTES}): stored data are read as they are; deflated data are inflated a
 * prefix at a time (k bytes of deflate inflate to at most about 1032 k, and the first KiB
 * almost always holds the header, even in a bomb), never the whole member.
 * @throws InputError `file: member 'x.npy': <problem>` or `file: corrupt member 'x.npy': ...`
 */
export function memberNpyHeader(packedHead: Uint8Array, m: ZipMember, file: string): NpyHeader {
  if (m.method !== 0 && m.method !== 8) throw new InputError(file, `member '${m.name}' uses unsupported compression method ${m.method} (only stored and deflate)`);
  let head = packedHead;
  if (m.method === 8) {
    for (let k = 1024; ; k *= 8) {
      const n = Math.min(k, packedHead.length);
      try {
        head = new Uint8Array(inflateRawSync(packedHead.subarray(0, n), { finishFlush: zlibConstants.Z_SYNC_FLUSH }));
      } catch (e) {
        throw new InputError(file, `corrupt member '${m.name}': deflate data invalid (${e instanceof Error ? e.message : String(e)})`, { cause: e });
      }
      const end = npyDataOffset(head);
      if ((end !== null && head.length >= end) || n === packedHead.length) break;
    }
  }
  try {
    return readNpyHeader(head, m.name, { prefixOnly: true });
  } catch (e) {
    if (e instanceof InputError && e.file === m.name) throw new InputError(file, `member '${m.name}': ${e.problem}`, { cause: e });
    throw e;
  }
}

/**
 * The inflation ratio beyond which a deflated member is refused (unless the caller raises it):
 * activations compress a few times at most (float32 noise about 1.1:1, ReLU layers with many
 * zeros a few to one), while a decompression bomb inflates up to 1,032:1. Archive readers refuse
 * such ratios too (Apache POI above 100:1). Members under 64 MiB inflated are never refused for
 * their ratio (a small all-zero array compresses that well and costs nothing).
 */
export const MAX_INFLATION = 100;
const RATIO_FLOOR = 64 * 2 ** 20;

/**
 * Refuses a member whose archive entry claims more bytes than its `.npy` header declares (a
 * damaged or hostile archive; a shorter one is reported as truncated when read), or that
 * inflates more than `maxInflation` times (0: no limit) to over 64 MiB.
 * @returns the member's description for messages: `member 'x.npy' (100x20 <f4)`
 */
export function checkMemberClaim(file: string, m: ZipMember, h: NpyHeader, maxInflation = MAX_INFLATION): string {
  const declared = h.dataOffset + h.size * h.element.itemsize;
  const what = `member '${m.name}' (${formatShape(h.shape)} ${h.dtype})`;
  if (m.size > declared) throw new InputError(file, `${what}: the archive says it holds ${m.size} bytes but its .npy header declares ${declared}; refusing a damaged or hostile archive`);
  const inflates = Math.max(m.size, declared);
  if (m.method === 8 && maxInflation > 0 && inflates > RATIO_FLOOR && inflates > maxInflation * Math.max(1, m.compressedSize)) {
    const ratio = Math.round(inflates / Math.max(1, m.compressedSize));
    throw new InputError(file, `${what} inflates ${ratio} times (${formatBytes(m.compressedSize)} to ${formatBytes(inflates)}), beyond the ${maxInflation}:1 of any real activation file (a decompression bomb?); --max-inflation ${ratio + 1} reads it anyway`);
  }
  return what;
}

/**
 * Parses an `.npz` archive.
 *
 * @returns the arrays keyed by member name without the `.npy` suffix, in archive order
 * Each member's `.npy` header is read first (inflating at most about 1 MiB); a member whose
 * size in the archive exceeds what its header declares, or whose declared array would not
 * fit in the available memory, is refused before it is inflated (decompression bombs, lies).
 *
 * @throws InputError (with `file` set to `file`) for a non-zip input, a damaged or encrypted
 *   member, a size above what the member's header declares, an array too large for memory, a member that is not a `.npy` file, a duplicate name, or any `.npy` problem inside a
 *   member (the message then names the member)
 */
export function parseNpz(bytes: Uint8Array, file: string): Map<string, NdArray> {
  const out = new Map<string, NdArray>();
  let held = 0; // float64 bytes of the members already decoded
  for (const m of listZip(bytes, file)) {
    if (!m.name.endsWith('.npy')) {
      throw new InputError(file, `member '${m.name}' is not a .npy file (an .npz may only contain .npy members)`);
    }
    const key = m.name.slice(0, -4);
    if (out.has(key)) throw new InputError(file, `duplicate member '${m.name}'`);
    // Read the member's own .npy header first: the archive's size claim must not exceed what
    // the header declares, and the declared array must fit in memory, before anything of that
    // size is allocated.
    let h: NpyHeader | null = null;
    try {
      h = memberNpyHeader(memberData(bytes, m, file).subarray(0, MEMBER_HEAD_BYTES), m, file);
    } catch (e) {
      if (!(e instanceof InputError && e.problem.startsWith(`member '${m.name}': `))) throw e;
      // Not a .npy header: a damaged member (the CRC check below says so) or not a .npy at all.
      checkMemory(file, m.size, `member '${m.name}'`);
    }
    if (h !== null) {
      const what = checkMemberClaim(file, m, h);
      // The inflated member, its float64 values and the loader's neuron-major copy (a shorter
      // member is reported as truncated once read).
      if (m.size === h.dataOffset + h.size * h.element.itemsize) checkMemory(file, (m.method === 8 ? m.size : 0) + 16 * h.size + held, what);
      held += 8 * h.size;
    }
    const member = extractZipMember(bytes, m, file);
    try {
      out.set(key, parseNpy(member, m.name));
    } catch (e) {
      if (e instanceof InputError) throw new InputError(file, `member '${m.name}': ${e.problem}`, { cause: e });
      throw e;
    }
  }
  return out;
}

/** A fixed timestamp for archive entries, so that the same arrays always give the same bytes. */
const FIXED_MTIME = new Date(2000, 0, 1);

/**
 * Encodes arrays as an `.npz` archive (member `<key>.npy` per entry, in map order), each written
 * by {@link encodeNpy}. Members are stored when `compress` is false (like `np.savez`) and
 * deflated otherwise (like `np.savez_compressed`). Output is deterministic.
 *
 * @throws RangeError if a shape does not match its data
 */
export function encodeNpz(
  arrays: Map<string, { data: Float64Array | Float32Array; shape: number[] }>,
  compress = false,
): Uint8Array {
  const files: Zippable = {};
  for (const [key, { data, shape }] of arrays) {
    checkShape(shape, data.length, `encodeNpz '${key}'`);
    files[`${key}.npy`] = [encodeNpy(data, shape), { level: compress ? 6 : 0, mtime: FIXED_MTIME }];
  }
  return zipSync(files);
}
