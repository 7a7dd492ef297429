import type { Take } from '../analyze/analyze.js';

/** Parses "K" (the first K) or "random:K" (K at random). */
export function parseTake(text: string, option: string): Take {
  const m = /^(random:)?(\d+)$/.exec(text.trim());
  if (!m || Number(m[2]) < 1) throw new UsageError(`${option} takes a positive integer K or random:K, got '${text}'`);
  return { count: Number(m[2]), random: Boolean(m[1]) };
}

/** Parses a positive or non-negative integer option. */
export function parseInteger(text: string, option: string, min = 1): number {
  if (!/^-?\d+$/.test(text.trim()) || Number(text) < min) throw new UsageError(`${option} takes an integer >= ${min}, got '${text}'`);
  return Number(text);
}

/**
 * Parses a thread or worker count: an integer >= 1; above the machine's cores it is clamped to
 * them, with a note through `note` (more threads than cores only add memory and switching).
 */
export function parseThreads(text: string, option: string, cores: number, note?: (msg: string) => void): number {
  const n = parseInteger(text, option, 1);
  if (n <= cores) return n;
  note?.(`${option} ${n}: this machine has ${cores} cores; using ${cores}`);
  return cores;
}

/** A note on stderr (`note: ...`) unless the command runs with --quiet. */
export function cliNote(v: { quiet?: unknown }): ((msg: string) => void) | undefined {
  return v.quiet ? undefined : (msg) => void process.stderr.write(`note: ${msg}\n`);
}

/** Parses a finite number option. */
export function parseNumber(text: string, option: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${option} takes a number, got '${text}'`);
  return v;
}

/** Checks that `text` is one of `choices`. */
export function parseChoice<T extends string>(text: string, option: string, choices: readonly T[]): T {
  if (!choices.includes(text as T)) throw new UsageError(`${option} takes one of ${choices.join('|')}, got '${text}'`);
  return text as T;
}

/** A mistake in the command line (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
