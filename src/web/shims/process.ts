/** Globals of Node that modules on the analysis path read, for the browser build (esbuild injects these where modules use the global). */
export const process = {
  env: {} as Record<string, string | undefined>,
  memoryUsage: () => ({ rss: 0, heapUsed: 0 }),
  platform: 'browser',
  versions: {} as Record<string, string>,
};

/** Runs `f` after the current task, as Node's setImmediate does (a message-channel turn, not a clamped timer). */
export function setImmediate(f: () => void): void {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => {
    ch.port1.close();
    f();
  };
  ch.port2.postMessage(null);
}

/**
 * Where the page is not cross-origin isolated (hosted without COOP/COEP), browsers hide
 * SharedArrayBuffer; the analysis then runs on one thread over plain ArrayBuffers (Atomics work
 * on them), with the same numbers.
 */
export const SharedArrayBuffer: SharedArrayBufferConstructor = (globalThis as { SharedArrayBuffer?: SharedArrayBufferConstructor }).SharedArrayBuffer ?? (ArrayBuffer as unknown as SharedArrayBufferConstructor);
