/**
 * Worker-thread entry: runs the jobs the pool posts ({ job, control }) and answers
 * { ok: true, ran } or { ok: false, message } after each.
 */
import { parentPort } from 'node:worker_threads';
import { loadEstimator, runJob, type Job } from './jobs.js';

if (!parentPort) throw new Error('engine worker: not started as a worker thread');
const port = parentPort;
port.on('message', async (msg: { job: Job; control: Int32Array }) => {
  try {
    await loadEstimator(msg.job.estimator);
    const ran = runJob(msg.job, msg.control);
    port.postMessage({ ok: true, ran });
  } catch (e) {
    port.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
