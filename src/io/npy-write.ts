/**
 * Writing a large float64 `.npy` file in pieces: the header, then the data a chunk at a time,
 * each multiplied by `scale` on the way (a unit change). No copy of the array is made, so an
 * N x N matrix of 50,000 neurons (20 GB) is written with 8 MiB beside it.
 */
import { open } from 'node:fs/promises';
import { HOST_LITTLE_ENDIAN } from './dtype.js';
import { encodeNpyHeader } from './npy.js';

const CHUNK = 1 << 20; // elements per write (8 MiB)

/** Writes `data` (C order, `shape`) times `scale` to `path` as a little-endian float64 `.npy`. */
export async function writeNpyFile(path: string, data: Float64Array, shape: readonly number[], scale = 1): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.write(encodeNpyHeader('<f8', shape));
    const buf = new Float64Array(Math.min(CHUNK, Math.max(1, data.length)));
    const view = new DataView(buf.buffer);
    for (let from = 0; from < data.length; from += buf.length) {
      const n = Math.min(buf.length, data.length - from);
      for (let i = 0; i < n; i++) {
        const v = data[from + i] * scale;
        if (HOST_LITTLE_ENDIAN) buf[i] = v;
        else view.setFloat64(8 * i, v, true);
      }
      await fh.write(new Uint8Array(buf.buffer, 0, 8 * n));
    }
  } finally {
    await fh.close();
  }
}
