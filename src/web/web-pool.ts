/**
 * The engine's worker pool in a browser (the web app's build puts it in place of
 * engine/pool.ts): the same jobs over SharedArrayBuffers, run by Web Workers
 * (engine-worker.ts). Shared memory needs a cross-origin-isolated page (`infomem web` serves
 * the COOP/COEP headers); without it every job runs on the calling thread, with the same
 * numbers.
 */
import { CANCELLED, CONTROL_WORDS, DONE_WORK, jobSize, runJob, type Job } from '../engine/jobs.js';
import { AbortError, type ProgressCallback } from '../engine/progress.js';

type WebWorker = Worker;

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

  async run(job: Job, phase: string, opts: { onProgress?: ProgressCallback; signal?: AbortSignal; inProcess?: boolean } = {}): Promise<void> {
    const { onProgress, signal } = opts;
    if (signal?.aborted) throw new AbortError();
    const shared = canShareMemory();
    const control = new Int32Array(shared ? new SharedArrayBuffer(4 * CONTROL_WORDS) : new ArrayBuffer(4 * CONTROL_WORDS));
    const total = jobSize(job).work;
    const t0 = performance.now();
    const report = (): void => onProgress?.({ phase, done: Atomics.load(control, DONE_WORK), total, elapsed: (performance.now() - t0) / 1000 });
    if (opts.inProcess || !shared || this.threads === 1) {
      runJob(job, control);
      report();
      return;
    }
    this.ensureWorkers();
    const timer = onProgress ? setInterval(report, 200) : undefined;
    let onAbort: (() => void) | undefined;
    try {
      const finished = Promise.all(
        this.workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              w.onmessage = (e) => {
                const m = e.data as { ok: boolean; message?: string };
                if (m.ok) resolve();
                else reject(new Error(m.message));
              };
              w.onerror = (e) => reject(new Error(e.message || 'engine worker failed'));
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
    }
    report();
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
