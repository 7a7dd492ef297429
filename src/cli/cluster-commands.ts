/**
 * The cluster commands (cluster/): `plan`, `shard`, `merge`, `status`, `slurm`. Thin shells over
 * planAnalysis, runShard, mergeShards, shardStatus and the Slurm scripts.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCommand } from './parse-command.js';
import { parseSettingFlags, settingFlagOptions } from './setting-flags.js';
import { parseInteger, UsageError } from './parse-take.js';
import { progressReporter } from './progress-reporter.js';
import { planAnalysis } from '../cluster/make-plan.js';
import { runShard, shardIndexFromEnv, shardThreads } from '../cluster/shard.js';
import { mergeShards, shardStatus } from '../cluster/merge.js';
import { readPlan } from '../cluster/plan.js';
import { kubernetesManifest, shardEstimate, splitWarnings, submitSlurm, writeSlurmScripts } from '../cluster/slurm.js';
import { formatBytes } from '../io/memory.js';
import { SELECTION_FLAGS, toOptions } from './analyze-command.js';
import { PLAN_USAGE, SHARD_USAGE, MERGE_USAGE, STATUS_USAGE, SLURM_USAGE } from './cluster-usage.js';


/** `infomem plan <inputs...> --shards K --out DIR [analysis flags]`. */
export async function planCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, { ...settingFlagOptions(), ...SELECTION_FLAGS, shards: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, PLAN_USAGE());
  if (!parsed) return 0;
  const v = parsed.values;
  if (parsed.positionals.length === 0) throw new UsageError('plan needs at least one activation file (see infomem plan --help)');
  if (v.shards === undefined) throw new UsageError('plan needs --shards K (see infomem plan --help)');
  if (v.out === undefined || v.out.trim() === '') throw new UsageError('plan needs --out DIR, the plan directory (see infomem plan --help)');
  const shards = parseInteger(v.shards, '--shards', 1);
  const opts = { ...toOptions(v), ...parseSettingFlags(v) };
  delete opts.threads;
  const plan = await planAnalysis(parsed.positionals, opts, v.out, { shards, overwrite: Boolean(v.force), command: ['infomem', ...process.argv.slice(2)] });
  if (!v.quiet) {
    const est = shardEstimate(plan, 2);
    const w = plan.work;
    process.stdout.write(
      [
        `plan ${plan.id.slice(0, 12)}: ${plan.samples} examples x ${plan.neurons} neurons, ${plan.analysis.settings.mi}; ${plan.shards} shards (${w.kind === 'blocks' ? `${w.blocks} blocks of ${w.blockSize} neurons, block I x block J, I <= J` : `${w.pairs} sampled pairs in chunks of ${w.chunk}`})`,
        `each shard: about ${est.seconds.toFixed(0)} s on 2 cores, ${formatBytes(est.bytes)} of memory`,
        ...splitWarnings(plan, 2).map((m) => `warning: ${m}`),
        `wrote ${join(v.out, 'plan.json')}. Run it:`,
        `  on Slurm:      infomem slurm ${v.out} --submit`,
        `  in a loop:     for i in $(seq 0 ${plan.shards - 1}); do infomem shard ${v.out} --index $i; done`,
        `  GNU parallel:  seq 0 ${plan.shards - 1} | parallel -j 4 infomem shard ${v.out} --index {} --threads 1`,
        `  then:          infomem merge ${v.out} --out RESULT_DIR`,
        '',
      ].join('\n'),
    );
  }
  return 0;
}

/** `infomem shard DIR [--index i] [--threads T]`. */
export async function shardCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const parsed = parseCommand(argv, { index: { type: 'string' }, threads: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, SHARD_USAGE);
  if (!parsed) return 0;
  const v = parsed.values;
  if (parsed.positionals.length !== 1) throw new UsageError('shard takes the plan directory (see infomem shard --help)');
  const index = v.index !== undefined ? parseInteger(v.index, '--index', 0) : shardIndexFromEnv();
  if (index === null) throw new UsageError('shard needs --index i (or SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX set by the scheduler)');
  const threads = v.threads !== undefined ? parseInteger(v.threads, '--threads', 1) : shardThreads();
  const progress = progressReporter(process.stderr, Boolean(v.quiet));
  const r = await runShard(parsed.positionals[0], index, { threads, signal, onProgress: progress.update, info: (m) => v.quiet || process.stderr.write(`${m}\n`) });
  progress.end();
  if (!v.quiet) process.stdout.write(r.computed ? `shard ${index}: done in ${r.seconds.toFixed(2)} s\n` : `shard ${index}: already done, skipped\n`);
  return 0;
}

/** `infomem merge DIR --out OUT`. */
export async function mergeCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const parsed = parseCommand(argv, { out: { type: 'string' }, force: { type: 'boolean' }, threads: { type: 'string' }, 'no-report': { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, MERGE_USAGE);
  if (!parsed) return 0;
  const v = parsed.values;
  if (parsed.positionals.length !== 1) throw new UsageError('merge takes the plan directory (see infomem merge --help)');
  if (v.out === undefined || v.out.trim() === '') throw new UsageError('merge needs --out DIR (see infomem merge --help)');
  const threads = v.threads !== undefined ? parseInteger(v.threads, '--threads', 1) : shardThreads();
  const progress = progressReporter(process.stderr, Boolean(v.quiet));
  await mergeShards(parsed.positionals[0], v.out, { overwrite: Boolean(v.force), threads, report: !v['no-report'], signal, onProgress: progress.update, warn: (m) => v.quiet || process.stderr.write(`warning: ${m}\n`) });
  progress.end();
  if (!v.quiet) process.stdout.write(`merged into ${v.out}/\n`);
  return 0;
}

/** `infomem status DIR`. */
export async function statusCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, STATUS_USAGE);
  if (!parsed) return 0;
  if (parsed.positionals.length !== 1) throw new UsageError('status takes the plan directory (see infomem status --help)');
  const s = await shardStatus(parsed.positionals[0]);
  if (parsed.values.json) process.stdout.write(JSON.stringify({ plan: s.plan.id, shards: s.plan.shards, done: s.done, missing: s.missing, failed: s.failed }, null, 2) + '\n');
  else {
    const list = (xs: number[]): string => (xs.length > 20 ? `${xs.slice(0, 20).join(', ')}, ...` : xs.join(', '));
    process.stdout.write(
      [
        `plan ${s.plan.id.slice(0, 12)}: ${s.done.length} of ${s.plan.shards} shards done`,
        ...(s.missing.length ? [`missing (${s.missing.length}): ${list(s.missing)}`] : []),
        ...s.failed.map((f) => `failed: shard ${f.index}: ${f.problem}`),
        '',
      ].join('\n'),
    );
  }
  return s.done.length === s.plan.shards ? 0 : 3;
}

/** `infomem slurm DIR [--partition P] [--time T] [--mem M] [--cpus-per-task C] [--max-running K] [--sbatch-arg A]... [--submit] [--kubernetes]`. */
export async function slurmCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(
    argv,
    { partition: { type: 'string' }, time: { type: 'string' }, mem: { type: 'string' }, 'cpus-per-task': { type: 'string' }, 'max-running': { type: 'string' }, 'sbatch-arg': { type: 'string', multiple: true }, out: { type: 'string' }, submit: { type: 'boolean' }, kubernetes: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    SLURM_USAGE,
  );
  if (!parsed) return 0;
  const v = parsed.values;
  if (parsed.positionals.length !== 1) throw new UsageError('slurm takes the plan directory (see infomem slurm --help)');
  const dir = parsed.positionals[0];
  const plan = await readPlan(dir);
  const cpus = v['cpus-per-task'] !== undefined ? parseInteger(v['cpus-per-task'], '--cpus-per-task', 1) : 2;
  for (const w of splitWarnings(plan, cpus)) process.stderr.write(`warning: ${w}\n`);
  if (v.kubernetes) {
    const path = join(dir, 'kubernetes-job.yaml');
    await writeFile(path, kubernetesManifest(dir, plan, { cpus }));
    process.stdout.write(`wrote ${path} (an Indexed Job; untested against a real cluster)\n`);
    return 0;
  }
  const paths = await writeSlurmScripts(dir, plan, {
    partition: v.partition,
    time: v.time,
    mem: v.mem,
    cpusPerTask: cpus,
    maxRunning: v['max-running'] !== undefined ? parseInteger(v['max-running'], '--max-running', 1) : undefined,
    sbatchArgs: (v['sbatch-arg'] as string[] | undefined) ?? [],
    out: v.out,
  });
  process.stdout.write(`wrote ${paths.shards} and ${paths.merge}\n`);
  if (v.submit) {
    const ids = submitSlurm(paths);
    process.stdout.write(`submitted: array job ${ids.array} (${plan.shards} tasks), merge job ${ids.merge} (after it)\n`);
  } else process.stdout.write(`submit: sbatch --parsable ${paths.shards}, then sbatch --dependency=afterok:<id> --kill-on-invalid-dep=yes ${paths.merge} (or --submit)\n`);
  return 0;
}
