/**
 * What every worker pool does with a job, whatever its threads are (worker_threads in Node,
 * Web Workers in a browser): the shared control block, progress every 200 ms, cancellation that
 * stops the workers at their next task, or the job run on the calling thread.
 */
import { CANCELLED, CONTROL_WORDS, DONE_WORK, jobSize, runJob, type Job } from './jobs.js';
import { AbortError, type ProgressCallback } from './progress.js';

/** One worker, as a pool drives it: runs a job to its end (rejects on the worker's error). */
export interface JobPort {
  run(job: Job, control: Int32Array): Promise<void>;
}

export interface PoolRunOptions {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/**
 * Runs `job` on `ports` (null: on this thread), reporting `phase` progress; on abort, sets the
 * shared cancel flag, calls `stop` (which ends the workers) and rejects with AbortError.
 * `shared` says whether the control block can be a SharedArrayBuffer.
 */
export async function runOnPorts(job: Job, phase: string, ports: readonly JobPort[] | null, opts: PoolRunOptions, stop: () => Promise<void>, shared = true): Promise<void> {
  const { onProgress, signal } = opts;
  if (signal?.aborted) throw new AbortError();
  const control = new Int32Array(shared ? new SharedArrayBuffer(4 * CONTROL_WORDS) : new ArrayBuffer(4 * CONTROL_WORDS));
  const total = jobSize(job).work;
  const t0 = performance.now();
  const report = (): void => onProgress?.({ phase, done: Atomics.load(control, DONE_WORK), total, elapsed: (performance.now() - t0) / 1000 });
  if (ports === null) {
    runJob(job, control);
    report();
    return;
  }
  const timer = onProgress ? setInterval(report, 200) : undefined;
  let onAbort: (() => void) | undefined;
  try {
    const finished = Promise.all(ports.map((p) => p.run(job, control)));
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        Atomics.store(control, CANCELLED, 1);
        reject(new AbortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    await Promise.race([finished, aborted]);
    if (Atomics.load(control, CANCELLED)) throw new AbortError();
  } catch (e) {
    if (e instanceof AbortError) await stop();
    throw e;
  } finally {
    if (timer) clearInterval(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
  report();
}
