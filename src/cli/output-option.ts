import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
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

/**
 * The default output directory of a command run on `inputs` without `--out`: named after the
 * first input (`acts.npz` -> `acts-infomem`, `fc1.npy fc2.npy` -> `fc1+1-infomem`, a model
 * folder -> its name), in the current directory, and the first of `NAME`, `NAME-2`, `NAME-3`, ...
 * that does not exist or is empty, so that commands run one after another never collide.
 */
export function defaultOutDir(inputs: readonly string[], suffix = 'infomem'): string {
  const first = basename(inputs[0]?.replace(/[\\/]+$/, '') ?? '') || 'infomem';
  const stem = first.replace(/(\.(npz|npy|safetensors|csv|tsv|txt|parquet|pt|pth|bin|json|onnx|gz))+$/i, '') || first;
  const base = `${stem.replace(/[^\w.+-]+/g, '_')}${inputs.length > 1 ? `+${inputs.length - 1}` : ''}-${suffix}`;
  const free = (d: string): boolean => {
    if (!existsSync(d)) return true;
    try {
      return readdirSync(d).length === 0;
    } catch {
      return false;
    }
  };
  if (free(base)) return base;
  for (let i = 2; i < 10_000; i++) if (free(`${base}-${i}`)) return `${base}-${i}`;
  return base; // the output checks then say why it cannot be used
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
