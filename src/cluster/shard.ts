/**
 * `infomem shard DIR [--index i]`: one shard of a plan (plan.ts). Checks the plan and its inputs
 * (SHA-256), skips a shard whose file is already there and good, loads and selects the
 * activations as `analyze` does (the sizes checked first, the SHA-256 the reading computes checked
 * after it, before any pair), computes the shard's pairs (a block's triangle on one store, two
 * blocks' rectangle on two, or a chunk of the pair sample) and writes them atomically.
 */
import { loadActivationFiles } from '../inputs/load-activations.js';
import { isConstant, neuronExtents, pairRun, sampledPairList } from '../analysis/compute.js';
import { resolveSettings, type Settings } from '../analysis/settings.js';
import { createSlot, fillSlot, pairList, type BlockRun } from '../analysis/prepared-blocks.js';
import { surrogateSeed, testPairs } from '../analysis/significance.js';
import { defaultThreads, WorkerPool } from '../engine/pool.js';
import { AbortError, type ProgressCallback } from '../engine/progress.js';
import { defaultTile } from '../engine/schedule.js';
import { analyzeOptionsOf, blockRange, blockShards, checkPlanSizes, checkReadInputs, readPlan, type ClusterPlan } from './plan.js';
import { readShard, writeShard } from './shard-file.js';
import { frameColumns, frameSubset, readFrame } from './frame.js';

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

/**
 * The values shard `index`'s file holds: its MI values, then with `--significance` as many
 * permutation p-values (NaN on the diagonal of a triangle block).
 */
export function shardLength(p: ClusterPlan, index: number): number {
  return shardSize(p, index) * (p.analysis.settings.significance > 0 ? 2 : 1);
}

/** Runs shard `index` of the plan in `dir`; resolves to whether it was computed (false: already done). */
export async function runShard(dir: string, index: number, opts: ShardOptions = {}): Promise<{ computed: boolean; seconds: number }> {
  const plan = await readPlan(dir);
  if (!(Number.isInteger(index) && index >= 0 && index < plan.shards)) throw new RangeError(`shard index ${index} is not in 0..${plan.shards - 1}`);
  const count = shardSize(plan, index);
  const have = await readShard(dir, index, plan.id, shardLength(plan, index));
  if (have.ok) {
    opts.info?.(`shard ${index}: already done`);
    return { computed: false, seconds: 0 };
  }
  const frame = await readFrame(dir, plan.frame.sha256);
  await checkPlanSizes(plan);
  testBallast(index);
  const t0 = performance.now();
  const threads = opts.threads ?? shardThreads();
  const aopts = analyzeOptionsOf(plan, threads);
  const settings = resolveSettings({ ...plan.analysis.settings, threads }, threads);
  // the analysed neurons this shard touches (ascending): its blocks, or its chunk's pairs' neurons
  const w = plan.work;
  let ks: Int32Array;
  let chunk: Int32Array | null = null;
  let firstBlock = 0; // blocks: the neurons of block I (the shard's first ks), as against block J's
  const range = (x0: number, x1: number): Int32Array => Int32Array.from({ length: x1 - x0 }, (_, k) => x0 + k);
  if (w.kind === 'pairs') {
    const from = index * w.chunk;
    chunk = sampledPairList(plan.neurons, settings)!.subarray(2 * from, 2 * (from + count));
    ks = Int32Array.from(new Set(chunk)).sort();
  } else {
    const [I, J] = blockShards(w.blocks)[index];
    const [a0, a1] = blockRange(w, I);
    const [b0, b1] = blockRange(w, J);
    ks = I === J ? range(a0, a1) : Int32Array.from([...range(a0, a1), ...range(b0, b1)]);
    firstBlock = a1 - a0;
  }
  // only those neurons' columns are kept of the inputs (all of each file is read: its SHA-256)
  const { set: loaded, inputs } = await loadActivationFiles(
    plan.inputs.map((i) => i.absolute),
    { token: aopts.token, header: aopts.header, signal: opts.signal, columns: frameColumns(frame, plan.layers, ks) },
  );
  checkReadInputs(plan, inputs); // the reading hashed them: before any pair is computed
  if (frame.rows ? frame.rows.some((r) => r >= loaded.samples) : loaded.samples !== plan.samples) throw new RangeError(`the inputs give ${loaded.samples} examples, not those of the plan (${plan.samples})`);
  const { set, extents } = frameSubset(loaded, frame, plan.layers, ks);
  opts.info?.(`shard ${index}: ${ks.length} of ${plan.neurons} neurons read`);
  await neuronExtents(set, settings, opts.signal); // non-finite values refused, as in a whole run
  const pool = new WorkerPool(threads);
  try {
    const run = pairRun(set, settings, pool, { extents, onProgress: opts.onProgress, signal: opts.signal });
    let values: Float64Array;
    // each value's two neurons in the shard's own indices (a triangle's diagonal: x = y)
    const valuePairs = new Int32Array(2 * count);
    if (chunk) {
      // the chunk's pairs in the shard's own neuron indices
      const local = new Map<number, number>();
      ks.forEach((k, i) => local.set(k, i));
      valuePairs.set(Int32Array.from(chunk, (n) => local.get(n)!));
      values = await pairList(run, ks.length, valuePairs, 'mi');
    } else {
      const m = firstBlock;
      const slotA = createSlot(run, m, 'a');
      const sa = await fillSlot(run, slotA, range(0, m), null);
      values = new Float64Array(count);
      if (m === ks.length) {
        // the block's triangle, diagonal included, on one store: as analyze's triangle job
        const out = new Float64Array(new SharedArrayBuffer(8 * m * m));
        await pool.run({ type: 'triangle', estimator: run.ref, store: sa, tile: defaultTile(m, threads), out }, 'mi', { onProgress: opts.onProgress, signal: opts.signal });
        let k = 0;
        for (let x = 0; x < m; x++)
          for (let y = x; y < m; y++) {
            valuePairs[2 * k] = x;
            valuePairs[2 * k + 1] = y;
            values[k++] = out[x * m + y];
          }
      } else {
        const n = ks.length - m;
        const slotB = createSlot(run, n, 'b');
        const sb = await fillSlot(run, slotB, range(m, m + n), null);
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
        for (let q = 0; q < m * n; q++) {
          valuePairs[2 * q] = pairs[2 * q];
          valuePairs[2 * q + 1] = m + pairs[2 * q + 1];
        }
      }
    }
    if (settings.significance > 0) values = await withPValues(run, settings, values, valuePairs);
    if (opts.signal?.aborted) throw new AbortError();
    const seconds = (performance.now() - t0) / 1000;
    await writeShard(dir, index, plan.id, values, seconds);
    return { computed: true, seconds };
  } finally {
    await pool.close();
  }
}

/**
 * The shard's values followed by the permutation p-value of each (NaN on a triangle's diagonal):
 * its distinct pairs tested against the plan's surrogates as a whole run tests them (the same
 * permutations, from the seed and S alone; a constant neuron's pairs p = 1 under constantMI zero).
 */
async function withPValues(run: BlockRun, s: Settings, values: Float64Array, valuePairs: Int32Array): Promise<Float64Array> {
  const count = values.length;
  const at: number[] = [];
  for (let k = 0; k < count; k++) if (valuePairs[2 * k] !== valuePairs[2 * k + 1]) at.push(k);
  const list = new Int32Array(2 * at.length);
  at.forEach((k, q) => {
    list[2 * q] = valuePairs[2 * k];
    list[2 * q + 1] = valuePairs[2 * k + 1];
  });
  const S = run.set.samples;
  const n = run.set.sourceIndex.length;
  const constant = Uint8Array.from({ length: n }, (_, i) => (isConstant(run.set.values, i * S, S) ? 1 : 0));
  const observed = Float64Array.from(at, (k) => values[k]);
  const sig = await testPairs(run, n, list, observed, s.significance, s.fdr, surrogateSeed(s.seed), constant, s.constantMI === 'zero');
  const out = new Float64Array(2 * count).fill(NaN);
  out.set(values);
  at.forEach((k, q) => (out[count + k] = sig.p[q]));
  return out;
}
