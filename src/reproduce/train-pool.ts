/**
 * Trains the models of a sweep on parallel worker threads (one job per worker at a time, each
 * worker its own single-threaded TF.js wasm backend). Jobs are handed out in order as workers
 * free up. Aborting terminates the workers: every file they write is atomic, and checkpoints let
 * the next run resume.
 */
import { Worker } from 'node:worker_threads';
import { AbortError } from '../engine/progress.js';
import type { ModelJob } from './experiments.js';
import type { JobMessage, TrainingRecord } from './training-record.js';

export interface PoolHooks {
  onMessage?: (m: JobMessage) => void;
  /** Called as each job finishes (its files are written). */
  onDone?: (job: ModelJob, record: TrainingRecord) => void;
  signal?: AbortSignal;
}

/** Runs `jobs` on `workers` threads; resolves to their records, in job order. */
export async function runTrainingPool(jobs: readonly ModelJob[], workers: number, hooks: PoolHooks = {}): Promise<TrainingRecord[]> {
  if (hooks.signal?.aborted) throw new AbortError();
  const results: TrainingRecord[] = new Array(jobs.length);
  if (jobs.length === 0) return results;
  const count = Math.max(1, Math.min(workers, jobs.length));
  const started: Worker[] = [];
  let next = 0;
  let onAbort: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let failed = false;
      const fail = (e: unknown): void => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      onAbort = () => fail(new AbortError());
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      const feed = (w: Worker): void => {
        if (failed) return;
        if (next >= jobs.length) {
          if (running === 0) resolve();
          return;
        }
        const i = next++;
        running++;
        const onMessage = (m: JobMessage | { type: 'done'; record: TrainingRecord } | { type: 'error'; message: string }): void => {
          if (m.type === 'done') {
            w.off('message', onMessage);
            running--;
            results[i] = m.record;
            try {
              hooks.onDone?.(jobs[i], m.record);
            } catch (e) {
              fail(e);
              return;
            }
            feed(w);
            if (next >= jobs.length && running === 0) resolve();
          } else if (m.type === 'error') {
            fail(new Error(`${jobs[i].label}: ${m.message}`));
          } else hooks.onMessage?.(m);
        };
        w.on('message', onMessage);
        w.postMessage(jobs[i]);
      };
      for (let k = 0; k < count; k++) {
        const w = new Worker(new URL('./train-worker.js', import.meta.url));
        started.push(w);
        w.on('error', fail);
        w.on('exit', (code) => {
          if (code !== 0) fail(new Error(`training worker exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    if (onAbort) hooks.signal?.removeEventListener('abort', onAbort);
    for (const w of started) w.removeAllListeners('exit');
    await Promise.all(started.map((w) => w.terminate()));
  }
  return results;
}
