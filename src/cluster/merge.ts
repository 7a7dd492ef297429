/**
 * `infomem merge DIR --out OUT` and `infomem status DIR`: every shard checked against the plan
 * (present, of this plan, whole, its checksum right); missing or bad shards are named with the
 * command that reruns only them (exit 3); else the shards' MI is assembled and the analysis is
 * finished as `analyze` would finish it (entropies, baseline, intervals, significance, results,
 * report), so that OUT holds what `analyze` writes: mi.npy byte for byte, results.json equal but
 * for its timings, creation time and command line.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles, openAnalysisOutput, writeAnalysis, type Analysis } from '../analyze/analyze.js';
import type { ProgressCallback } from '../engine/progress.js';
import { analyzeOptionsOf, blockRange, blockShards, checkPlanInputs, readPlan, type ClusterPlan } from './plan.js';
import { shardLength, shardSize } from './shard.js';
import { readShard } from './shard-file.js';

/** Shards that are not done: the CLI exits 3 with this one-line message. */
export class ShardsIncomplete extends Error {
  readonly exitCode = 3;
  constructor(
    readonly bad: { index: number; problem: string }[],
    readonly total: number,
    dir: string,
  ) {
    const list = bad.map((b) => b.index).join(',');
    const what = bad.slice(0, 6).map((b) => `${b.index}: ${b.problem}`).join('; ') + (bad.length > 6 ? '; ...' : '');
    const sbatch = existsSync(join(dir, 'slurm', 'shards.sbatch')) ? `sbatch --array=${list} ${join(dir, 'slurm', 'shards.sbatch')}` : null;
    const loop = `for i in ${bad.map((b) => b.index).join(' ')}; do infomem shard ${dir} --index $i; done`;
    super(`${bad.length} of ${total} shards are not done (${what}): rerun only them with ${sbatch ? `${sbatch} (or: ${loop})` : loop}`);
    this.name = 'ShardsIncomplete';
  }
}

export interface ShardStatus {
  plan: ClusterPlan;
  done: number[];
  missing: number[];
  failed: { index: number; problem: string }[];
}

/** Which shards of the plan in `dir` are done, missing, or there but unusable. */
export async function shardStatus(dir: string): Promise<ShardStatus> {
  const plan = await readPlan(dir);
  const out: ShardStatus = { plan, done: [], missing: [], failed: [] };
  for (let i = 0; i < plan.shards; i++) {
    const r = await readShard(dir, i, plan.id, shardLength(plan, i));
    if (r.ok) out.done.push(i);
    else if (r.problem === 'missing') out.missing.push(i);
    else out.failed.push({ index: i, problem: r.problem });
  }
  return out;
}

export interface MergeOptions {
  overwrite?: boolean;
  threads?: number;
  report?: boolean;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  warn?: (msg: string) => void;
  info?: (msg: string) => void;
}

/** Merges the shards of the plan in `dir` into the analysis directory `out`. */
export async function mergeShards(dir: string, out: string, opts: MergeOptions = {}): Promise<Analysis> {
  const plan = await readPlan(dir);
  const target = await openAnalysisOutput(out, { overwrite: opts.overwrite, inputs: [...plan.inputs.map((i) => i.absolute), join(dir, 'plan.json')] });
  try {
    // every shard checked first (header, size, checksum), holding none: then each read again
    // straight into its place, so that the matrix is the only copy of the MI (50,000 neurons: 20 GB)
    const bad: { index: number; problem: string }[] = [];
    for (let i = 0; i < plan.shards; i++) {
      const r = await readShard(dir, i, plan.id, shardLength(plan, i));
      if (!r.ok) bad.push({ index: i, problem: r.problem });
    }
    if (bad.length > 0) throw new ShardsIncomplete(bad, plan.shards, dir);
    await checkPlanInputs(plan);
    const N = plan.neurons;
    const w = plan.work;
    const part = async (i: number): Promise<Float64Array> => {
      const r = await readShard(dir, i, plan.id, shardLength(plan, i));
      if (!r.ok) throw new ShardsIncomplete([{ index: i, problem: r.problem }], plan.shards, dir); // changed since the check
      return r.values;
    };
    // with --significance each shard's p-values follow its MI values (shardLength)
    const tested = plan.analysis.settings.significance > 0;
    let precomputed: { mi?: Float64Array; sample?: Float64Array; p?: Float64Array };
    if (w.kind === 'pairs') {
      const sample = new Float64Array(w.pairs);
      const p = tested ? new Float64Array(w.pairs) : null;
      for (let i = 0, k = 0; i < plan.shards; i++) {
        const v = await part(i);
        const c = shardSize(plan, i);
        sample.set(v.subarray(0, c), k);
        p?.set(v.subarray(c, 2 * c), k);
        k += c;
      }
      precomputed = { sample, ...(p ? { p } : {}) };
    } else {
      // p-values of all pairs i < j, row by row (as the tests list them)
      const p = tested ? new Float64Array((N * (N - 1)) / 2) : null;
      const at = (x: number, y: number): number => x * N - (x * (x + 1)) / 2 + (y - x - 1);
      const mi = new Float64Array(new SharedArrayBuffer(8 * N * N));
      const shards = blockShards(w.blocks);
      for (let s = 0; s < shards.length; s++) {
        const [I, J] = shards[s];
        const v = await part(s);
        const c = shardSize(plan, s);
        const [a0, a1] = blockRange(w, I);
        const [b0, b1] = blockRange(w, J);
        let k = 0;
        for (let x = a0; x < a1; x++)
          for (let y = I === J ? x : b0; y < (I === J ? a1 : b1); y++) {
            mi[x * N + y] = v[k];
            mi[y * N + x] = v[k];
            if (p && x !== y) p[at(x, y)] = v[c + k];
            k++;
          }
      }
      precomputed = { mi, ...(p ? { p } : {}) };
    }
    const analysis = await analyzeFiles(
      plan.inputs.map((i) => i.absolute),
      { ...analyzeOptionsOf(plan, opts.threads ?? 1), precomputed, onProgress: opts.onProgress, signal: opts.signal, warn: opts.warn, info: opts.info, command: plan.command ?? undefined },
    );
    analysis.results.inputs = analysis.results.inputs.map((r, k) => ({ ...r, path: plan.inputs[k].path }));
    await writeAnalysis(target, analysis, { report: opts.report !== false, signal: opts.signal, onProgress: opts.onProgress });
    return analysis;
  } catch (e) {
    await target.discard();
    throw e;
  }
}
