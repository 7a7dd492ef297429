/**
 * Formats that are parsed whole (CSV/TSV, Parquet, JSON, safetensors, and `.npy`/`.npz` the
 * streaming reader cannot take): the file is read in chunks (its SHA-256 taken on the way), then
 * parsed into arrays. Runs in a worker thread (parse-worker.ts), so that a long parse leaves the
 * main thread free to see Ctrl-C.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { NdArray } from '../io/array.js';
import type { CsvHeader } from '../io/csv.js';
import { parseBytes } from './parse-bytes.js';
import { InputError } from '../io/errors.js';
import { readFileBytes } from '../io/files.js';

/** What a whole-file parse gives back. */
export interface WholeFile {
  bytes: number;
  sha256: string;
  arrays: Map<string, NdArray>;
}

/** Reads `path` in 8 MiB chunks (calling `onRead(done, size)`), hashes it and parses it. */
export async function parseWholeFile(path: string, header: CsvHeader | undefined, onRead?: (done: number, size: number) => void): Promise<WholeFile> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    await readFileBytes(path); // the one-line message: no such file, permission denied...
    throw new InputError(path, 'cannot read');
  }
  let bytes: Uint8Array;
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new InputError(path, 'is a directory, not a file');
    if (st.size > 2 ** 31 - 1) throw new InputError(path, 'file too large to read into memory (over 2 GiB): use .npy or .npz, which are streamed');
    bytes = new Uint8Array(st.size);
    for (let got = 0; got < st.size; ) {
      const { bytesRead } = await fh.read(bytes, got, Math.min(8 << 20, st.size - got), got);
      if (bytesRead === 0) {
        bytes = bytes.subarray(0, got);
        break;
      }
      got += bytesRead;
      onRead?.(got, st.size);
    }
  } finally {
    await fh.close();
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { bytes: bytes.length, sha256, arrays: await parseBytes(bytes, path, header) };
}

export { fileLayerName, parseBytes } from './parse-bytes.js';
