/** `node:zlib` for the browser build: raw inflate (npz members) and deflate, by fflate. */
import { Inflate, inflateSync, zlibSync } from 'fflate';
import { concatBytes } from '../../io/bytes.js';

export const constants = { Z_SYNC_FLUSH: 2 };

/**
 * Inflates raw deflate data. With `finishFlush: Z_SYNC_FLUSH` (node's way to read the prefix of
 * a truncated stream, as the npz reader does for a member's header), what the prefix inflates to.
 */
export function inflateRawSync(data: Uint8Array, opts?: { finishFlush?: number }): Uint8Array {
  if (opts?.finishFlush !== constants.Z_SYNC_FLUSH) return inflateSync(data);
  const parts: Uint8Array[] = [];
  const inf = new Inflate((chunk) => parts.push(chunk));
  inf.push(data, false);
  return concatBytes(parts);
}

export function deflateSync(data: Uint8Array, opts?: { level?: number }): Uint8Array {
  return zlibSync(data, { level: (opts?.level ?? 6) as 6 });
}

export default { constants, inflateRawSync, deflateSync };
