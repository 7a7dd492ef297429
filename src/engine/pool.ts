import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CANCELLED, CONTROL_WORDS, DONE_WORK, jobSize, runJob, type Job } from './jobs.js';
import { AbortError, type ProgressCallback } from './progress.js';

/** Number of threads to use by default: every core. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/**
 * A pool of worker threads that run engine jobs. `threads = 1` runs in process (no worker) when
 * the job is small; results are identical for every thread count.
 */
export class WorkerPool {
  private workers: Worker[] = [];

  constructor(readonly threads: number) {
    if (!(Number.isInteger(threads) && threads >= 1)) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  }

  /**
   * Runs `job` to completion on all threads. Calls `onProgress` about every 200 ms and at the
   * end; rejects with AbortError once `signal` aborts (work stops at the next task boundary).
   * `inProcess` runs the job on the calling thread instead (for jobs too small to be worth it).
   */
  async run(job: Job, phase: string, opts: { onProgress?: ProgressCallback; signal?: AbortSignal; inProcess?: boolean } = {}): Promise<void> {
    const { onProgress, signal } = opts;
    if (signal?.aborted) throw new AbortError();
    const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
    const total = jobSize(job).work;
    const t0 = performance.now();
    const report = (): void => onProgress?.({ phase, done: Atomics.load(control, DONE_WORK), total, elapsed: (performance.now() - t0) / 1000 });
    if (opts.inProcess) {
      runJob(job, control);
      report();
      return;
    }
    this.ensureWorkers();
    for (const w of this.workers) w.ref();
    const timer = onProgress ? setInterval(report, 200) : undefined;
    let onAbort: (() => void) | undefined;
    try {
      const finished = Promise.all(
        this.workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const onMessage = (m: { ok: boolean; message?: string }): void => {
                w.off('error', onError);
                if (m.ok) resolve();
                else reject(new Error(m.message));
              };
              const onError = (e: Error): void => {
                w.off('message', onMessage);
                reject(e);
              };
              w.once('message', onMessage);
              w.once('error', onError);
              w.postMessage({ job, control });
            }),
        ),
      );
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
      if (e instanceof AbortError) await this.close();
      throw e;
    } finally {
      if (timer) clearInterval(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      for (const w of this.workers) w.unref();
    }
    report();
  }

  /** Starts the workers now (they load their modules meanwhile), without keeping the process alive. */
  warm(): void {
    this.ensureWorkers();
    for (const w of this.workers) w.unref();
  }

  /** Stops every worker. The pool can be used again afterwards (workers restart). */
  async close(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }

  private ensureWorkers(): void {
    while (this.workers.length < this.threads) {
      this.workers.push(new Worker(new URL('./worker.js', import.meta.url)));
    }
  }
}
