import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Job } from './jobs.js';
import { runOnPorts, type JobPort, type PoolRunOptions } from './pool-run.js';

/** A worker thread as a pool's port: posts { job, control } and waits for its answer. */
function port(w: Worker): JobPort {
  return {
    run: (job, control) =>
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
  };
}

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
  async run(job: Job, phase: string, opts: PoolRunOptions & { inProcess?: boolean } = {}): Promise<void> {
    if (opts.inProcess) return runOnPorts(job, phase, null, opts, () => this.close());
    this.ensureWorkers();
    for (const w of this.workers) w.ref();
    try {
      await runOnPorts(job, phase, this.workers.map(port), opts, () => this.close());
    } finally {
      for (const w of this.workers) w.unref();
    }
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
