/** `node:os` for the browser build: what the analysis reads of it. */
const GiB = 2 ** 30;
/** The browser does not say how much memory is free: half the device memory it reports (at most 8 GiB; 2 GiB when unknown). */
export function freemem(): number {
  const dm = typeof navigator !== 'undefined' ? (navigator as { deviceMemory?: number }).deviceMemory : undefined;
  return Math.min(8 * GiB, dm ? (dm * GiB) / 2 : 2 * GiB);
}
export function totalmem(): number {
  return 2 * freemem();
}
export function availableParallelism(): number {
  return typeof navigator !== 'undefined' ? Math.max(1, navigator.hardwareConcurrency ?? 1) : 1;
}
export function tmpdir(): string {
  return '/tmp';
}
export default { freemem, totalmem, availableParallelism, tmpdir };
