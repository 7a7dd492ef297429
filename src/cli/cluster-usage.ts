import { settingFlagsHelp } from './setting-flags.js';

export const PLAN_USAGE = (): string => `Usage: infomem plan <activation files...> --shards K --out DIR [analysis options]

Splits an analysis's MI pairs into about K shards that array tasks run apart (infomem shard),
and writes DIR/plan.json: the inputs' SHA-256, every setting, the split. Checks everything
analyze checks first. The shards merged (infomem merge) give what analyze writes.

  --shards K               about K shards: b blocks of neurons give b(b+1)/2 shards (block
                           I x block J, I <= J); a pair sample (--pairs random:N) K chunks
  --out DIR                the plan directory (new or empty)
  --force                  replace the plan in a non-empty DIR (and drop its shards)
${settingFlagsHelp()}
  --layers, --samples, --neurons-per-layer, --sample-neurons, --exclude-constant, --token,
  --nan, --header, --units: as for analyze
`;

export const SHARD_USAGE = `Usage: infomem shard DIR [--index i] [--threads T]

Computes one shard of the plan in DIR and writes DIR/shards/shard-NNNNNN.bin atomically. A
shard already done is skipped; a plan whose inputs changed is refused.

  --index i                the shard (default: SLURM_ARRAY_TASK_ID, then JOB_COMPLETION_INDEX)
  --threads T              worker threads (default: SLURM_CPUS_PER_TASK, then all cores)
  --quiet                  no progress
`;

export const MERGE_USAGE = `Usage: infomem merge DIR --out OUT [--threads T] [--force] [--no-report]

Checks every shard of the plan in DIR and writes what analyze writes into OUT (mi.npy, results.json,
report.html). Missing or bad shards: exit 3, naming them and the command that reruns only them.
`;

export const STATUS_USAGE = `Usage: infomem status DIR [--json]

Which shards of the plan in DIR are done, missing or failed (exit 0 when all are done, else 3).
`;

export const SLURM_USAGE = `Usage: infomem slurm DIR [options]

Writes DIR/slurm/shards.sbatch (an array job, one task per shard) and merge.sbatch (after it).

  --partition P            the partition
  --time T                 wall time per shard (default: twice the estimate, at least 10 min)
  --mem M                  memory per shard (default: the estimate)
  --cpus-per-task C        cores per shard (default 2)
  --max-running K          at most K tasks at once (--array=0-(S-1)%K)
  --sbatch-arg A           one more #SBATCH line, as given (repeatable)
  --out OUT                where the merge job writes (default DIR/merged)
  --submit                 submit both with sbatch --parsable and print the job ids
  --kubernetes             write DIR/kubernetes-job.yaml instead: an Indexed Job (untested)
`;
