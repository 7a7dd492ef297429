/**
 * Worker-thread entry of the training pool: receives {@link ModelJob}s one at a time, runs them
 * with its own TF.js wasm backend, and posts progress and the result back.
 */
import { parentPort } from 'node:worker_threads';
import type { ModelJob } from './experiments.js';
import { runJob } from './train-job.js';

const port = parentPort;
if (!port) throw new Error('train-worker must run in a worker thread');
port.on('message', (job: ModelJob) => {
  runJob(job, (m) => port.postMessage(m)).then(
    (record) => port.postMessage({ type: 'done', record }),
    (e: unknown) => port.postMessage({ type: 'error', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) }),
  );
});
