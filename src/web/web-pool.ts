/**
 * The engine's worker pool in a browser (the web app's build puts it in place of
 * engine/pool.ts): the same jobs over SharedArrayBuffers, run by Web Workers
 * (engine-worker.ts). Shared memory needs a cross-origin-isolated page (`infomem web` serves
 * the COOP/COEP headers); without it every job runs on the calling thread, with the same
 * numbers.
 */
import type { Job } from '../engine/jobs.js';
import { runOnPorts, type JobPort, type PoolRunOptions } from '../engine/pool-run.js';

type WebWorker = Worker;

/** A Web Worker as a pool's port: posts { job, control } and waits for its answer. */
function port(w: WebWorker): JobPort {
  return {
    run: (job, control) =>
      new Promise<void>((resolve, reject) => {
        w.onmessage = (e) => {
          const m = e.data as { ok: boolean; message?: string };
          if (m.ok) resolve();
          else reject(new Error(m.message));
        };
        w.onerror = (e) => reject(new Error(e.message || 'engine worker failed'));
        w.postMessage({ job, control });
      }),
  };
}

/** Whether workers can share memory with this thread. */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

/** Every core the browser offers (one when memory cannot be shared). */
export function defaultThreads(): number {
  return canShareMemory() ? Math.max(1, navigator.hardwareConcurrency ?? 1) : 1;
}

export class WorkerPool {
  private workers: WebWorker[] = [];

  constructor(readonly threads: number) {
    if (!(Number.isInteger(threads) && threads >= 1)) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  }

  async run(job: Job, phase: string, opts: PoolRunOptions & { inProcess?: boolean } = {}): Promise<void> {
    const shared = canShareMemory();
    if (opts.inProcess || !shared || this.threads === 1) return runOnPorts(job, phase, null, opts, () => this.close(), shared);
    this.ensureWorkers();
    await runOnPorts(job, phase, this.workers.map(port), opts, () => this.close());
  }

  warm(): void {
    if (canShareMemory() && this.threads > 1) this.ensureWorkers();
  }

  async close(): Promise<void> {
    for (const w of this.workers) w.terminate();
    this.workers = [];
  }

  private ensureWorkers(): void {
    while (this.workers.length < this.threads) this.workers.push(new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' }));
  }
}
