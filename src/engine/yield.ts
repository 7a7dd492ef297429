import { AbortError } from './progress.js';

/**
 * For long synchronous loops on the main thread: `await tick()` inside the loop gives the event
 * loop a turn (so Ctrl-C is seen) about every `everyMs` milliseconds, and rejects with
 * AbortError once `signal` has aborted. Between turns it costs one clock read.
 */
export function ticker(signal: AbortSignal | undefined, everyMs = 100): () => Promise<void> | void {
  let last = performance.now();
  return () => {
    if (signal?.aborted) throw new AbortError();
    const now = performance.now();
    if (now - last < everyMs) return;
    last = now;
    return new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        last = performance.now();
        if (signal?.aborted) reject(new AbortError());
        else resolve();
      }),
    );
  };
}
