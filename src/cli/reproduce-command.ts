import { parseCommand } from './parse-command.js';
import { AbortError } from '../engine/progress.js';
import { checkpointRules, trainingRegimeNames, type TrainingRegime, encoderStarts, experimentNames, textExperiments, type CheckpointRule, type EncoderStart, type ExperimentName, type RunSize } from '../reproduce/experiments.js';
import type { PresetName } from '../analysis/settings.js';
import { reproduce } from '../reproduce/sweep.js';
import { cliNote, parseChoice, parseInteger, parseNumber, parseThreads, UsageError } from './parse-take.js';
import { defaultThreads } from '../engine/pool.js';
import { REPRODUCE_USAGE } from './usage.js';
import { outOption } from './output-option.js';

const options = {
  quick: { type: 'boolean' },
  /** Test-only: an even smaller run (tiny networks, a few hundred examples). */
  tiny: { type: 'boolean' },
  epochs: { type: 'string' },
  regime: { type: 'string' },
  'track-every': { type: 'string' },
  l2: { type: 'string' },
  keep: { type: 'string' },
  from: { type: 'string' },
  encoder: { type: 'string' },
  'conflict-share': { type: 'string' },
  seed: { type: 'string' },
  seeds: { type: 'string' },
  out: { type: 'string' },
  workers: { type: 'string' },
  threads: { type: 'string' },
  presets: { type: 'string' },
  'no-report': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `infomem reproduce`: returns the exit code. */
export async function reproduceCommand(argv: string[], signal?: AbortSignal): Promise<number> {
  const parsed = parseCommand(argv, options, REPRODUCE_USAGE);
  if (!parsed) return 0;
  const v = parsed.values;
  if (parsed.positionals.length !== 1) throw new UsageError(`reproduce takes one experiment (${[...experimentNames, 'ood'].join('|')}); see infomem reproduce --help`);
  if (parsed.positionals[0] === 'ood') return oodCommand(v, signal);
  const experiment = parseChoice(parsed.positionals[0], 'experiment', experimentNames) as ExperimentName;
  if (v.quick && v.tiny) throw new UsageError('--quick and --tiny exclude each other');
  const size: RunSize = v.tiny ? 'tiny' : v.quick ? 'quick' : 'full';
  const presets = v.presets === undefined ? undefined : [...new Set(v.presets.split(',').map((p) => parseChoice(p.trim(), '--presets', ['paper', 'default']) as PresetName))];
  if (!experiment.endsWith('mnist') && (v.l2 !== undefined || v.keep !== undefined || v.regime !== undefined)) throw new UsageError('--regime, --l2 and --keep apply to colored-mnist and shuffled-mnist only');
  const regime = v.regime === undefined ? undefined : (parseChoice(v.regime, '--regime', trainingRegimeNames) as TrainingRegime);
  const text = textExperiments.includes(experiment);
  if (!text && (v.from !== undefined || v['conflict-share'] !== undefined || v.encoder !== undefined)) throw new UsageError(`--from, --encoder and --conflict-share apply to ${textExperiments.join(' and ')} only`);
  if (v['conflict-share'] !== undefined && experiment !== 'sentiment-adjectives') throw new UsageError('--conflict-share applies to sentiment-adjectives only');
  const from = v.from === undefined || v.from === 'both' ? undefined : [parseChoice(v.from, '--from', [...encoderStarts, 'both']) as EncoderStart];
  const conflictShare = v['conflict-share'] === undefined ? undefined : parseNumber(v['conflict-share'], '--conflict-share');
  if (conflictShare !== undefined && !(conflictShare > 0 && conflictShare < 1)) throw new UsageError(`--conflict-share takes a number in (0, 1), e.g. 0.33, got '${v['conflict-share']}'`);
  const l2 = v.l2 === undefined ? undefined : parseNumber(v.l2, '--l2');
  if (l2 !== undefined && l2 < 0) throw new UsageError(`--l2 takes a number >= 0, got '${v.l2}'`);
  const keep = v.keep === undefined ? undefined : (parseChoice(v.keep, '--keep', checkpointRules) as CheckpointRule);
  const quiet = Boolean(v.quiet);
  const out = outOption(v.out, `infomem-reproduce-${experiment}${size === 'full' ? '' : `-${size}`}`);
  const t0 = performance.now();
  const log = (line: string): void => {
    if (quiet) return;
    const s = Math.round((performance.now() - t0) / 1000);
    process.stderr.write(`${String(Math.floor(s / 60)).padStart(3)}:${String(s % 60).padStart(2, '0')} ${line}\n`);
  };
  let res;
  try {
    res = await reproduce({
    experiment,
    out,
    size,
    epochs: v.epochs === undefined ? undefined : parseInteger(v.epochs, '--epochs', 1),
    regime,
    l2,
    keep,
    from,
    encoder: v.encoder,
    conflictShare,
    trackEvery: v['track-every'] === undefined ? undefined : parseInteger(v['track-every'], '--track-every', 0),
    seed: v.seed === undefined ? 0 : parseInteger(v.seed, '--seed', 0),
    seeds: v.seeds === undefined ? 1 : parseInteger(v.seeds, '--seeds', 1),
    workers: v.workers === undefined ? undefined : parseThreads(v.workers, '--workers', defaultThreads(), cliNote(v)),
    threads: v.threads === undefined ? undefined : parseThreads(v.threads, '--threads', defaultThreads(), cliNote(v)),
    presets,
    report: !v['no-report'],
    signal,
    log,
  });
  } catch (e) {
    if (!(e instanceof AbortError)) throw e;
    process.stderr.write(`infomem: interrupted; what was finished (models, checkpoints, activations, analyses) is kept in ${out}: run the same command to resume\n`);
    return 130;
  }
  if (!quiet) {
    process.stdout.write(res.summaryMd);
    process.stdout.write(`\nwritten: ${out}/summary.md, ${out}/summary.json (and every model, activation, analysis and comparison under ${out}/)\n`);
  }
  return 0;
}

/** `infomem reproduce ood` (reproduce/ood.ts). */
async function oodCommand(v: Record<string, string | boolean | undefined>, signal?: AbortSignal): Promise<number> {
  for (const k of ['regime', 'track-every', 'l2', 'keep', 'seeds', 'workers', 'threads', 'presets', 'no-report']) if (v[k] !== undefined) throw new UsageError(`--${k} does not apply to reproduce ood`);
  if (v.quick && v.tiny) throw new UsageError('--quick and --tiny exclude each other');
  const size: RunSize = v.tiny ? 'tiny' : v.quick ? 'quick' : 'full';
  const quiet = Boolean(v.quiet);
  const out = outOption(v.out as string | undefined, `infomem-reproduce-ood${size === 'full' ? '' : `-${size}`}`);
  const t0 = performance.now();
  const { reproduceOod } = await import('../reproduce/ood.js');
  const res = await reproduceOod({
    out,
    size,
    epochs: v.epochs === undefined ? undefined : parseInteger(v.epochs as string, '--epochs', 1),
    seed: v.seed === undefined ? 0 : parseInteger(v.seed as string, '--seed', 0),
    signal,
    log: (line) => quiet || process.stderr.write(`${String(Math.round((performance.now() - t0) / 1000)).padStart(5)}s ${line}\n`),
  });
  if (!quiet) process.stdout.write(`${res.md}\nwritten: ${out}/ood.md, ${out}/ood.json\n`);
  return 0;
}
