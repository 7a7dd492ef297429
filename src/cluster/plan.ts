/**
 * A cluster plan (`infomem plan`): an analysis's all-pairs MI split into shards that array tasks
 * run apart (`infomem shard`, one per SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX), and merged
 * into what `infomem analyze` writes (`infomem merge`).
 *
 * The work is split into blocks of neurons: shard (I, J), I <= J, computes the pairs of block I
 * with block J (a triangle, diagonal included, when I = J). Every pair's value depends only on its
 * two neurons' prepared data, and a neuron is prepared from its own values alone (z-scoring, the
 * jitter seeded by its layer and column, the KSG ordering): a shard computes exactly the values
 * one process would. With sampled pairs (`--pairs random:N`) the sample is split into contiguous
 * chunks. plan.json records the inputs (path, size, SHA-256), the analysis options, the work
 * split and a hash of all of it (`id`), which every shard file carries.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { AnalyzeOptions, Selection } from '../analyze/analyze.js';
import type { Units } from '../core/units.js';
import { InputError } from '../io/errors.js';
import { readFileBytes } from '../io/files.js';
import type { Settings } from '../analysis/settings.js';

export const PLAN_SCHEMA = 'infomem/plan';
export const PLAN_VERSION = 2;

/** The analysis a plan runs, as plain data (what `analyze` would be given). */
export interface PlannedAnalysis {
  settings: Omit<Settings, 'threads'>;
  selection: Selection;
  units: Units;
  token: string | null;
  nan: string | null;
  header: string | null;
}

/** How the pairs are split. */
export type Work =
  | { kind: 'blocks'; neurons: number; blockSize: number; blocks: number }
  | { kind: 'pairs'; pairs: number; chunk: number };

export interface ClusterPlan {
  schema: typeof PLAN_SCHEMA;
  version: typeof PLAN_VERSION;
  /** SHA-256 of the plan's content (inputs, analysis, work): what shard files carry. */
  id: string;
  createdAt: string;
  tool: string;
  /** The inputs as given (`path`, recorded in results.json), where shards read them (`absolute`), their size and SHA-256. */
  inputs: { path: string; absolute: string; bytes: number; sha256: string }[];
  analysis: PlannedAnalysis;
  /** Examples and neurons analysed (after the selection). */
  samples: number;
  neurons: number;
  layers: { name: string; neurons: number }[];
  work: Work;
  shards: number;
  /** DIR/frame.json's SHA-256 (frame.ts: the neurons, examples and bin extents a shard reads). */
  frame: { sha256: string };
  /** The command line that made the plan. */
  command: string[] | null;
}

/** The shards of a block split: (I, J), I <= J, in row order. */
export function blockShards(blocks: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < blocks; i++) for (let j = i; j < blocks; j++) out.push([i, j]);
  return out;
}

/**
 * The split of N neurons' pairs into about `shards` shards: b blocks give b (b + 1) / 2 shards,
 * b the smallest with at least `shards`; with a pair sample of P pairs, `shards` chunks.
 */
export function splitWork(N: number, sampled: number | null, shards: number): Work {
  if (!(Number.isInteger(shards) && shards >= 1)) throw new RangeError(`--shards takes a positive integer, got ${shards}`);
  if (sampled !== null) {
    const chunk = Math.ceil(sampled / Math.min(shards, Math.max(1, sampled)));
    return { kind: 'pairs', pairs: sampled, chunk };
  }
  let b = Math.ceil((Math.sqrt(8 * shards + 1) - 1) / 2);
  b = Math.max(1, Math.min(b, N));
  return { kind: 'blocks', neurons: N, blockSize: Math.ceil(N / b), blocks: Math.ceil(N / Math.ceil(N / b)) };
}

/** Shards in a split. */
export function shardCount(w: Work): number {
  return w.kind === 'blocks' ? (w.blocks * (w.blocks + 1)) / 2 : Math.ceil(w.pairs / w.chunk);
}

/** The neuron range [from, to) of block b. */
export function blockRange(w: Extract<Work, { kind: 'blocks' }>, b: number): [number, number] {
  return [b * w.blockSize, Math.min(w.neurons, (b + 1) * w.blockSize)];
}

/** The plan's id: SHA-256 of its content without id, time and command. */
export function planId(p: Omit<ClusterPlan, 'id' | 'createdAt' | 'command'>): string {
  const { inputs, analysis, samples, neurons, layers, work, shards, frame, schema, version, tool } = p;
  return createHash('sha256').update(JSON.stringify({ schema, version, tool, inputs: inputs.map(({ path, bytes, sha256 }) => ({ path, bytes, sha256 })), analysis, samples, neurons, layers, work, shards, frame })).digest('hex');
}

/** The options `analyze` takes for a plan's analysis. */
export function analyzeOptionsOf(p: ClusterPlan, threads: number): AnalyzeOptions {
  const a = p.analysis;
  return {
    ...a.settings,
    threads,
    selection: a.selection,
    units: a.units,
    ...(a.token ? { token: a.token as AnalyzeOptions['token'] } : {}),
    ...(a.nan ? { nan: a.nan as AnalyzeOptions['nan'] } : {}),
    ...(a.header ? { header: a.header as AnalyzeOptions['header'] } : {}),
  };
}

/** SHA-256 of a file, streamed. */
export async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Reads and checks DIR/plan.json.
 * @throws InputError naming the file
 */
export async function readPlan(dir: string): Promise<ClusterPlan> {
  const path = resolve(dir, 'plan.json');
  let p: ClusterPlan;
  try {
    p = JSON.parse(new TextDecoder().decode(await readFileBytes(path))) as ClusterPlan;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, `not valid JSON (${(e as Error).message})`);
  }
  if (!p || p.schema !== PLAN_SCHEMA || p.version !== PLAN_VERSION) throw new InputError(path, `not an infomem plan (schema ${PLAN_SCHEMA} v${PLAN_VERSION})`);
  const { id, createdAt: _c, command: _m, ...rest } = p;
  if (planId(rest) !== id) throw new InputError(path, 'its content does not match its id (edited by hand?): make the plan again');
  return p;
}

/**
 * Checks that the plan's inputs still have their sizes (in milliseconds, before any reading).
 * @throws InputError naming the first that is gone or changed size
 */
export async function checkPlanSizes(p: ClusterPlan): Promise<void> {
  const { stat } = await import('node:fs/promises');
  for (const i of p.inputs) {
    const st = await stat(i.absolute).catch(() => null);
    if (!st) throw new InputError(i.absolute, 'is gone: the plan was made from it');
    if (st.size !== i.bytes) throw new InputError(i.absolute, 'changed since the plan was made (its SHA-256 differs): make the plan again');
  }
}

/**
 * Checks the SHA-256 that reading the inputs computed against the plan's (no second pass over the files).
 * @throws InputError naming the first that changed
 */
export function checkReadInputs(p: ClusterPlan, read: readonly { sha256: string }[]): void {
  p.inputs.forEach((i, k) => {
    if (read[k]?.sha256 !== i.sha256) throw new InputError(i.absolute, 'changed since the plan was made (its SHA-256 differs): make the plan again');
  });
}

/**
 * Checks that the plan's inputs are the files it was made from (size, then SHA-256).
 * @throws InputError naming the first that changed
 */
export async function checkPlanInputs(p: ClusterPlan): Promise<void> {
  const { stat } = await import('node:fs/promises');
  for (const i of p.inputs) {
    const st = await stat(i.absolute).catch(() => null);
    if (!st) throw new InputError(i.absolute, 'is gone: the plan was made from it');
    if (st.size !== i.bytes || (await fileSha256(i.absolute)) !== i.sha256) throw new InputError(i.absolute, 'changed since the plan was made (its SHA-256 differs): make the plan again');
  }
}
