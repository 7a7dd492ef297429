/**
 * Reading and writing NumPy `.npz` archives: ZIP files whose members are `.npy` files
 * (`np.savez` stores them, `np.savez_compressed` deflates them).
 */
import { zipSync, type Zippable } from 'fflate';
import type { NdArray } from './array.js';
import { InputError } from './errors.js';
import { checkShape, encodeNpy, parseNpy } from './npy.js';
import { extractZipMember, listZip } from './zip.js';

/**
 * Parses an `.npz` archive.
 *
 * @returns the arrays keyed by member name without the `.npy` suffix, in archive order
 * @throws InputError (with `file` set to `file`) for a non-zip input, a damaged or encrypted
 *   member, a member that is not a `.npy` file, a duplicate name, or any `.npy` problem inside a
 *   member (the message then names the member)
 */
export function parseNpz(bytes: Uint8Array, file: string): Map<string, NdArray> {
  const out = new Map<string, NdArray>();
  for (const m of listZip(bytes, file)) {
    if (!m.name.endsWith('.npy')) {
      throw new InputError(file, `member '${m.name}' is not a .npy file (an .npz may only contain .npy members)`);
    }
    const key = m.name.slice(0, -4);
    if (out.has(key)) throw new InputError(file, `duplicate member '${m.name}'`);
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
