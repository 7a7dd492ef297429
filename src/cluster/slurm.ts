/**
 * `infomem slurm DIR`: a Slurm array job for a plan's shards (one array task per shard,
 * `--array=0-(S-1)%max`, logs `%A_%a`) and a merge job that waits for it (`afterok`,
 * `--kill-on-invalid-dep=yes`); `--submit` submits both with `sbatch --parsable`.
 * `--kubernetes` writes an Indexed Job manifest for the same plan (untested against a real
 * cluster: none runs where infomem is developed). Each shard's time and memory are estimated from
 * the estimator's measured cost per pair and example.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { miEstimator } from '../core/mi/registry.js';
import { formatBytes } from '../io/memory.js';
import { blockRange, blockShards, type ClusterPlan } from './plan.js';
import { shardSize } from './shard.js';

export interface SlurmOptions {
  partition?: string;
  /** Wall-time limit per shard, Slurm's format (default: from the estimate, at least 10 minutes). */
  time?: string;
  /** Memory per shard, Slurm's format (default: from the estimate). */
  mem?: string;
  cpusPerTask?: number;
  /** Array tasks running at once (`%max`). */
  maxRunning?: number;
  /** Passed to sbatch as they are (sites force options such as --account, --mem-per-cpu). */
  sbatchArgs?: string[];
  /** The command that runs infomem on the nodes (default: this node and CLI script). */
  infomem?: string;
  /** Where merge writes (default DIR/merged). */
  out?: string;
}

/** A shard's memory beside its neurons: Node, its worker threads, buffers (measured: README). */
export const SHARD_OVERHEAD = 256 * 2 ** 20;

/**
 * The merge's memory: the inputs (three times, as analyze holds them at most), the N x N matrix
 * once (shards are read into it one at a time, and mi.npy is written from it in pieces), half of
 * it again for the medians' sort, and 512 MiB.
 */
export function mergeBytes(p: ClusterPlan): number {
  const matrix = p.work.kind === 'blocks' ? 8 * p.neurons * p.neurons : 8 * p.work.pairs * 4;
  return p.inputs.reduce((a, i) => a + i.bytes, 0) * 3 + 1.5 * matrix + 512 * 2 ** 20;
}

/** Per-shard estimates: seconds on `cpus` cores and peak bytes. */
export function shardEstimate(p: ClusterPlan, cpus: number): { seconds: number; bytes: number } {
  const est = miEstimator(p.analysis.settings.mi);
  let pairs = 0;
  let neurons = 0;
  for (let i = 0; i < p.shards; i++) pairs = Math.max(pairs, shardSize(p, i));
  if (p.work.kind === 'blocks') {
    const w = p.work;
    const [I, J] = blockShards(w.blocks)[Math.min(1, p.shards - 1)] ?? [0, 0];
    neurons = blockRange(w, I)[1] - blockRange(w, I)[0] + (I === J ? 0 : blockRange(w, J)[1] - blockRange(w, J)[0]);
  } else neurons = Math.min(p.neurons, 2 * p.work.chunk);
  // with --significance every pair is measured again per surrogate (on prepared neurons)
  const seconds = ((1 + p.analysis.settings.significance) * pairs * p.samples * est.nsPerPairSample) / 1e9 / Math.max(1, cpus);
  // a shard keeps only its neurons' columns of .npy/.npz inputs (at most 8 bytes a value, and
  // their prepared form); other formats are parsed whole (about three times their size)
  const whole = p.inputs.filter((i) => !/\.(npy|npz)$/i.test(i.path)).reduce((a, i) => a + 3 * i.bytes, 0);
  const bytes = whole + neurons * (8 * p.samples + est.bytesPerNeuron(p.samples, p.analysis.settings as never)) + SHARD_OVERHEAD;
  return { seconds, bytes };
}

/** Warnings about the split: shards too short to be worth an allocation, or more than arrays allow. */
export function splitWarnings(p: ClusterPlan, cpus: number): string[] {
  const out: string[] = [];
  const { seconds } = shardEstimate(p, cpus);
  if (seconds < 60) out.push(`each shard takes about ${seconds.toFixed(0)} s: schedulers dislike tasks shorter than a few minutes; make the plan with fewer --shards`);
  if (p.shards > 1001) out.push(`${p.shards} shards is more than the usual MaxArraySize of 1,001: make the plan with fewer --shards, or ask the site's limit`);
  return out;
}

const q = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function slurmTime(seconds: number): string {
  const m = Math.max(10, Math.ceil((seconds * 2) / 60));
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:00`;
}

/** Writes DIR/slurm/shards.sbatch and merge.sbatch; returns their paths. */
export async function writeSlurmScripts(dir: string, p: ClusterPlan, o: SlurmOptions = {}): Promise<{ shards: string; merge: string }> {
  const abs = resolve(dir);
  const cpus = o.cpusPerTask ?? 2;
  const est = shardEstimate(p, cpus);
  const infomem = o.infomem ?? `${q(process.execPath)} ${q(resolve(process.argv[1] ?? 'infomem'))}`;
  const common = [...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []), ...(o.sbatchArgs ?? []).map((a) => `#SBATCH ${a}`)];
  const mem = o.mem ?? `${Math.ceil(est.bytes / 2 ** 20)}M`;
  const shards = [
    '#!/bin/bash',
    `# infomem plan ${p.id.slice(0, 12)}: ${p.shards} shards; estimated ${est.seconds.toFixed(0)} s and ${formatBytes(est.bytes)} each on ${cpus} cores`,
    `#SBATCH --job-name=infomem-shards`,
    `#SBATCH --array=0-${p.shards - 1}${o.maxRunning ? `%${o.maxRunning}` : ''}`,
    `#SBATCH --cpus-per-task=${cpus}`,
    `#SBATCH --mem=${mem}`,
    `#SBATCH --time=${o.time ?? slurmTime(est.seconds)}`,
    `#SBATCH --output=${join(abs, 'slurm', 'logs', 'shard_%A_%a.log')}`,
    '#SBATCH --open-mode=append',
    ...common,
    'set -euo pipefail',
    `exec ${infomem} shard ${q(abs)}`,
    '',
  ].join('\n');
  const merge = [
    '#!/bin/bash',
    `#SBATCH --job-name=infomem-merge`,
    `#SBATCH --cpus-per-task=${cpus}`,
    `#SBATCH --mem=${Math.ceil(mergeBytes(p) / 2 ** 20)}M`,
    `#SBATCH --time=${o.time ?? slurmTime(est.seconds)}`,
    `#SBATCH --output=${join(abs, 'slurm', 'logs', 'merge_%j.log')}`,
    ...common,
    'set -euo pipefail',
    `exec ${infomem} merge ${q(abs)} --out ${q(resolve(o.out ?? join(abs, 'merged')))} --threads ${cpus}`,
    '',
  ].join('\n');
  await mkdir(join(abs, 'slurm', 'logs'), { recursive: true });
  const paths = { shards: join(abs, 'slurm', 'shards.sbatch'), merge: join(abs, 'slurm', 'merge.sbatch') };
  await writeFile(paths.shards, shards, { mode: 0o755 });
  await writeFile(paths.merge, merge, { mode: 0o755 });
  return paths;
}

/** Submits the array and the merge that depends on it; returns the job ids. */
export function submitSlurm(paths: { shards: string; merge: string }, sbatch = 'sbatch'): { array: string; merge: string } {
  const array = execFileSync(sbatch, ['--parsable', paths.shards], { encoding: 'utf8' }).trim().split(';')[0];
  const merge = execFileSync(sbatch, ['--parsable', `--dependency=afterok:${array}`, '--kill-on-invalid-dep=yes', paths.merge], { encoding: 'utf8' }).trim().split(';')[0];
  return { array, merge };
}

/** A Kubernetes Indexed Job for the plan's shards (JOB_COMPLETION_INDEX picks the shard). */
export function kubernetesManifest(dir: string, p: ClusterPlan, o: { image?: string; cpus?: number; parallelism?: number } = {}): string {
  const cpus = o.cpus ?? 2;
  const est = shardEstimate(p, cpus);
  return [
    '# infomem plan shards as a Kubernetes Indexed Job (untested against a real cluster).',
    `# Mount the plan directory ${resolve(dir)} and the inputs at the same paths in the pods.`,
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata:',
    `  name: infomem-shards-${p.id.slice(0, 8)}`,
    'spec:',
    '  completionMode: Indexed',
    `  completions: ${p.shards}`,
    `  parallelism: ${o.parallelism ?? Math.min(p.shards, 16)}`,
    '  backoffLimitPerIndex: 2',
    '  template:',
    '    spec:',
    '      restartPolicy: Never',
    '      containers:',
    '        - name: shard',
    `          image: ${o.image ?? 'node:20'}`,
    `          command: ["npx", "--no-install", "infomem", "shard", "${resolve(dir)}"]`,
    '          resources:',
    `            requests: { cpu: "${cpus}", memory: "${Math.ceil(est.bytes / 2 ** 20)}Mi" }`,
    `            limits: { memory: "${Math.ceil(est.bytes / 2 ** 20)}Mi" }`,
    '',
  ].join('\n');
}
