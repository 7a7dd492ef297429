/**
 * Worker-thread entry for whole-file parsing: { path, header } in workerData; posts
 * { type: 'read', done, size } while reading, then { type: 'done', ... } with the arrays (their
 * buffers transferred, not copied) or { type: 'error', ... }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CsvHeader } from '../io/csv.js';
import { parseWholeFile } from './parse-whole.js';

if (!parentPort) throw new Error('parse worker: not started as a worker thread');
const port = parentPort;
const { path, header } = workerData as { path: string; header?: CsvHeader };
let last = 0;
parseWholeFile(path, header, (done, size) => {
  const now = Date.now();
  if (now - last < 200 && done < size) return;
  last = now;
  port.postMessage({ type: 'read', done, size });
}).then(
  (r) => {
    const arrays = [...r.arrays].map(([key, a]) => ({ key, shape: a.shape, dtype: a.dtype, data: a.data }));
    port.postMessage({ type: 'done', bytes: r.bytes, sha256: r.sha256, arrays }, arrays.map((a) => a.data.buffer as ArrayBuffer));
  },
  (e: unknown) => {
    const err = e as { name?: string; message?: string; file?: string; problem?: string };
    port.postMessage({ type: 'error', name: err?.name ?? 'Error', message: err?.message ?? String(e), file: err?.file, problem: err?.problem });
  },
);
