/** Web Worker entry of the browser engine pool (web-pool.ts): runs one job per message. */
import { loadEstimator, runJob, type Job } from '../engine/jobs.js';

const scope = globalThis as unknown as { onmessage: ((e: { data: { job: Job; control: Int32Array } }) => void) | null; postMessage(m: unknown): void };

scope.onmessage = async (e) => {
  try {
    await loadEstimator(e.data.job.estimator);
    const ran = runJob(e.data.job, e.data.control);
    scope.postMessage({ ok: true, ran });
  } catch (err) {
    scope.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
};
