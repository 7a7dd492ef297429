/**
 * `infomem shard DIR [--index i]`: one shard of a plan (plan.ts). Checks the plan and its inputs
 * (SHA-256), skips a shard whose file is already there and good, loads and selects the
 * activations as `analyze` does (the sizes checked first, the SHA-256 the reading computes checked
 * after it, before any pair), computes the shard's pairs (a block's triangle on one store, two
 * blocks' rectangle on two, or a chunk of the pair sample) and writes them atomically.
 */
import { neuronCount } from '../core/activations/activation-set.js';
import { loadActivationFiles } from '../inputs/load-activations.js';
import { selectForAnalysis } from '../analyze.js';
import { neuronExtents, pairRun, sampledPairList } from '../analysis/compute.js';
import { resolveSettings } from '../analysis/settings.js';
import { createSlot, fillSlot, pairList } from '../analysis/prepared-blocks.js';
import { defaultThreads, WorkerPool } from '../engine/pool.js';
import { AbortError, type ProgressCallback } from '../engine/progress.js';
import { defaultTile } from '../engine/schedule.js';
import { analyzeOptionsOf, blockRange, blockShards, checkPlanSizes, checkReadInputs, readPlan, type ClusterPlan } from './plan.js';
import { readShard, writeShard } from './shard-file.js';

export interface ShardOptions {
  threads?: number;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  info?: (msg: string) => void;
}

/** The index of this array task: --index, else SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX. */
export function shardIndexFromEnv(env: Record<string, string | undefined> = process.env): number | null {
  for (const k of ['SLURM_ARRAY_TASK_ID', 'JOB_COMPLETION_INDEX']) {
    const v = env[k];
    if (v !== undefined && /^\d+$/.test(v)) return Number(v);
  }
  return null;
}

/** Threads for a shard: SLURM_CPUS_PER_TASK, else the cores this process may use. */
export function shardThreads(env: Record<string, string | undefined> = process.env): number {
  const v = env.SLURM_CPUS_PER_TASK;
  return v !== undefined && /^\d+$/.test(v) && Number(v) >= 1 ? Number(v) : defaultThreads();
}

/**
 * For the scheduler test only: INFOMEM_TEST_BALLAST_MB megabytes allocated and touched by shard
 * INFOMEM_TEST_BALLAST_INDEX, so that Slurm kills it for exceeding --mem.
 */
function testBallast(index: number): void {
  const mb = Number(process.env.INFOMEM_TEST_BALLAST_MB ?? 0);
  if (!(mb > 0) || process.env.INFOMEM_TEST_BALLAST_INDEX !== String(index)) return;
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < mb; i++) chunks.push(new Uint8Array(2 ** 20).fill(1));
  const t = Date.now();
  while (Date.now() - t < 5000) chunks[Math.floor(Math.random() * chunks.length)][0]++; // held while the scheduler looks
}

/** The number of values shard `index` holds. */
export function shardSize(p: ClusterPlan, index: number): number {
  const w = p.work;
  if (w.kind === 'pairs') return Math.max(0, Math.min(w.pairs, (index + 1) * w.chunk) - index * w.chunk);
  const [I, J] = blockShards(w.blocks)[index];
  const [a0, a1] = blockRange(w, I);
  const [b0, b1] = blockRange(w, J);
  return I === J ? ((a1 - a0) * (a1 - a0 + 1)) / 2 : (a1 - a0) * (b1 - b0);
}

/** Runs shard `index` of the plan in `dir`; resolves to whether it was computed (false: already done). */
export async function runShard(dir: string, index: number, opts: ShardOptions = {}): Promise<{ computed: boolean; seconds: number }> {
  const plan = await readPlan(dir);
  if (!(Number.isInteger(index) && index >= 0 && index < plan.shards)) throw new RangeError(`shard index ${index} is not in 0..${plan.shards - 1}`);
  const count = shardSize(plan, index);
  const have = await readShard(dir, index, plan.id, count);
  if (have.ok) {
    opts.info?.(`shard ${index}: already done`);
    return { computed: false, seconds: 0 };
  }
  await checkPlanSizes(plan);
  testBallast(index);
  const t0 = performance.now();
  const threads = opts.threads ?? shardThreads();
  const aopts = analyzeOptionsOf(plan, threads);
  const { set, inputs } = await loadActivationFiles(
    plan.inputs.map((i) => i.absolute),
    { token: aopts.token, nan: aopts.nan, header: aopts.header, signal: opts.signal },
  );
  checkReadInputs(plan, inputs); // the reading hashed them: before any pair is computed
  const { selected } = selectForAnalysis(set, aopts.selection ?? {}, plan.analysis.settings.seed);
  const N = neuronCount(selected);
  if (N !== plan.neurons || selected.samples !== plan.samples) throw new RangeError(`the inputs give ${selected.samples} x ${N}, the plan ${plan.samples} x ${plan.neurons}`);
  const settings = resolveSettings({ ...plan.analysis.settings, threads }, threads);
  const extents = await neuronExtents(selected, settings, opts.signal);
  const pool = new WorkerPool(threads);
  try {
    const run = pairRun(selected, settings, pool, { extents, onProgress: opts.onProgress, signal: opts.signal });
    let values: Float64Array;
    const w = plan.work;
    if (w.kind === 'pairs') {
      const list = sampledPairList(N, settings)!;
      const from = index * w.chunk;
      const chunk = list.subarray(2 * from, 2 * (from + count));
      values = await pairList(run, N, chunk, 'mi');
    } else {
      const [I, J] = blockShards(w.blocks)[index];
      const [a0, a1] = blockRange(w, I);
      const [b0, b1] = blockRange(w, J);
      const range = (x0: number, x1: number): Int32Array => Int32Array.from({ length: x1 - x0 }, (_, k) => x0 + k);
      const m = a1 - a0;
      const slotA = createSlot(run, m);
      const sa = await fillSlot(run, slotA, range(a0, a1), null);
      values = new Float64Array(count);
      if (I === J) {
        // the block's triangle, diagonal included, on one store: as analyze's triangle job
        const out = new Float64Array(new SharedArrayBuffer(8 * m * m));
        await pool.run({ type: 'triangle', estimator: run.ref, store: sa, tile: defaultTile(m, threads), out }, 'mi', { onProgress: opts.onProgress, signal: opts.signal });
        let k = 0;
        for (let x = 0; x < m; x++) for (let y = x; y < m; y++) values[k++] = out[x * m + y];
      } else {
        const n = b1 - b0;
        const slotB = createSlot(run, n);
        const sb = await fillSlot(run, slotB, range(b0, b1), null);
        const pairs = new Int32Array(new SharedArrayBuffer(8 * m * n));
        let k = 0;
        for (let x = 0; x < m; x++)
          for (let y = 0; y < n; y++) {
            pairs[k++] = x;
            pairs[k++] = y;
          }
        const out = new Float64Array(new SharedArrayBuffer(8 * m * n));
        await pool.run({ type: 'pairs', estimator: run.ref, a: sa, b: sb, pairs, out }, 'mi', { onProgress: opts.onProgress, signal: opts.signal });
        values.set(out);
      }
    }
    if (opts.signal?.aborted) throw new AbortError();
    const seconds = (performance.now() - t0) / 1000;
    await writeShard(dir, index, plan.id, values, seconds);
    return { computed: true, seconds };
  } finally {
    await pool.close();
  }
}
