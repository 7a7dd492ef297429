/**
 * How much memory a load may take: checked before allocating for what a file declares, so that
 * a lying header or a decompression bomb is refused in milliseconds instead of exhausting the
 * machine.
 */
import { freemem, totalmem } from 'node:os';
import { InputError } from './errors.js';

/**
 * Bytes the process can still allocate: the system's available memory, capped by a cgroup limit
 * and by the environment variable `INFOMEM_MAX_MEMORY` (bytes, or with a unit: `8GiB`, `500MB`),
 * for users who share a machine.
 */
export function availableMemory(env: string | undefined = process.env.INFOMEM_MAX_MEMORY): number {
  let avail = freemem();
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  if (limit > 0 && limit < totalmem()) avail = Math.min(avail, Math.max(0, limit - process.memoryUsage().rss));
  if (env !== undefined && env.trim() !== '') avail = Math.min(avail, parseByteSize(env, 'INFOMEM_MAX_MEMORY'));
  return avail;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3, t: 1e12, tb: 1e12, tib: 1024 ** 4 };

/** `'8GiB'` -> 8589934592; `'500MB'` -> 5e8; `'1234'` -> 1234. */
export function parseByteSize(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new RangeError(`${what} takes a size such as 8GiB, 500MB or a number of bytes, got '${text}'`);
  return Math.floor(Number(m[1]) * unit);
}

/** `1234567890` -> `'1.1 GiB'`. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

/**
 * Refuses to go on when `bytes` exceed the memory available now.
 * @param what what needs the memory, for the message (`"the activation set (...)"`)
 * @param purpose what the memory is for, in the message (`'to load'`, `'to run'`)
 * @throws InputError `file: <what> needs about X of memory to load, but only Y is available`
 */
export function checkMemory(file: string, bytes: number, what: string, available = availableMemory(), purpose = 'to load'): void {
  if (bytes > available) {
    const advice = purpose === 'to load' ? 'a damaged or hostile file, or too large for this machine: use a subset' : 'use --samples, or --mi binned';
    throw new InputError(file, `${what} needs about ${formatBytes(bytes)} of memory ${purpose}, but only ${formatBytes(available)} is available; refusing it (${advice})`);
  }
}
