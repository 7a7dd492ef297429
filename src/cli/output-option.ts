import type { OutputDir } from '../io/output-dir.js';
import { UsageError } from './parse-take.js';

/**
 * The flags every command that writes a result directory takes: `--out DIR`, `--force`, `--json`,
 * `--no-report`, `--quiet`, `-h/--help` (spread into a command's parseArgs options).
 */
export const RESULT_DIR_FLAGS = {
  out: { type: 'string' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  'no-report': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The `--out` value, or `fallback` when absent; an empty or blank value is a usage error. */
export function outOption(value: string | undefined, fallback: string, option = '--out'): string {
  if (value === undefined) return fallback;
  if (value.trim() === '') throw new UsageError(`${option} is empty (an unset shell variable?); name a directory`);
  return value;
}

/** Runs `work` for an opened output directory, discarding the directory's staging area if it fails. */
export async function withOutput<T>(target: OutputDir, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    await target.discard();
    throw e;
  }
}
