/**
 * What each reproduction trains: its sweeps, the sizes of the full, `--quick` and test-only
 * `tiny` runs, and the default epoch budgets.
 */
import type { MemorizationSetting } from '../compare/comparison.js';
import type { FinetuneSchedule } from '../encoder/schedule.js';

export type ExperimentName = 'circles' | 'colored-mnist' | 'shuffled-mnist' | 'sentiment-adjectives' | 'shuffled-reviews';
export const experimentNames: readonly ExperimentName[] = ['circles', 'colored-mnist', 'shuffled-mnist', 'sentiment-adjectives', 'shuffled-reviews'];
/** The transformer experiments (a BERT-style encoder fine-tuned on review sentences). */
export const textExperiments: readonly ExperimentName[] = ['sentiment-adjectives', 'shuffled-reviews'];

/** Where a text model's encoder starts: the committed pretrained encoder, or fresh weights. */
export type EncoderStart = 'pretrained' | 'scratch';
export const encoderStarts: readonly EncoderStart[] = ['pretrained', 'scratch'];
export type SweepParameter = 'division' | 'shuffle' | 'alpha' | 'beta';
export type RunSize = 'full' | 'quick' | 'tiny';

export interface SweepDef {
  parameter: SweepParameter;
  setting: MemorizationSetting;
  values: number[];
  /** Text experiments: where the encoder starts (one sweep per start). */
  from?: EncoderStart;
}

/** A sweep's directory under the run (`alpha`, or `alpha-pretrained` for a text sweep). */
export function sweepKey(sw: Pick<SweepDef, 'parameter' | 'from'>): string {
  return sw.from ? `${sw.parameter}-${sw.from}` : sw.parameter;
}

export const sweeps: Record<ExperimentName, SweepDef[]> = {
  circles: [
    { parameter: 'division', setting: 'heuristic', values: [0.5, 0.65, 0.75, 0.9, 1.0] },
    { parameter: 'shuffle', setting: 'example-level', values: [0, 0.25, 0.5, 0.75, 1] },
  ],
  'colored-mnist': [{ parameter: 'alpha', setting: 'heuristic', values: [0, 0.25, 0.5, 0.75, 1] }],
  'shuffled-mnist': [{ parameter: 'beta', setting: 'example-level', values: [0, 0.25, 0.5, 0.75, 1] }],
  'sentiment-adjectives': [{ parameter: 'alpha', setting: 'heuristic', values: [0, 0.25, 0.5, 0.75, 1] }],
  'shuffled-reviews': [{ parameter: 'beta', setting: 'example-level', values: [0, 0.2, 0.4, 0.6, 0.8] }],
};

/** The sweeps a run trains: an experiment's sweeps, once per encoder start for the text experiments. */
export function sweepsOf(config: RunConfig): SweepDef[] {
  const base = sweeps[config.experiment];
  if (!config.text) return base;
  return config.text.from.flatMap((from) => base.map((sw) => ({ ...sw, from })));
}

/**
 * Default epoch budgets of the MNIST runs: about 20 minutes of training for a 5-model sweep on
 * 2 parallel workers (`bench/reproduce-epoch.ts`), by when the best-validation epochs (1 to 40)
 * are past. The sweep's KSG analyses take longer than that: measured whole sweeps on 2 cores took
 * about 78 min with both presets and 43 min with one (src/reproduce/README.md). `--epochs 500`
 * is the paper's.
 */
export const DEFAULT_EPOCHS: Record<'colored-mnist' | 'shuffled-mnist', number> = { 'colored-mnist': 50, 'shuffled-mnist': 50 };

/** Everything that determines a run's models (recorded in run.json; a resumed run must match). */
export interface RunConfig {
  experiment: ExperimentName;
  size: RunSize;
  mnist: {
    trainImages: number;
    valImages: number;
    epochs: number;
    hidden: number[];
    batchSize: number;
    learningRate: number;
    /** L2 weight on the sum of squared parameters, added to every batch's loss. */
    l2: number;
    labelNoise: number;
    /** Which weights a model keeps: the epoch of best validation accuracy or the last. */
    keep: CheckpointRule;
    /** The regime these two settings amount to (derived from them: {@link regimeOf}). */
    regime: TrainingRegime | 'custom';
  } | null;
  circles: {
    points: { division: number; shuffle: number };
    measurePoints: number;
    noise: number;
    factor: number;
    hidden: number[];
    learningRate: number;
    maxEpochs: number;
    tol: number;
    patience: { division: number; shuffle: number };
    trainFraction: number;
  } | null;
  text?: TextRunConfig | null;
  /** Bins of the binned entropy (undefined: the preset's 100). */
  bins: number | undefined;
  /** Pairs of the chance baseline. */
  baselinePairs: number;
}

/** The transformer experiments' settings (see text-job.ts). */
export interface TextRunConfig extends FinetuneSchedule {
  /** The pretrained encoder (a name under data/encoders/, or a folder), whose tokenizer and shape every model uses. */
  encoder: string;
  /** Its model.safetensors' SHA-256, so a run resumes only with the same encoder. */
  encoderSha256: string;
  from: EncoderStart[];
  /** Sentences used (quick and tiny runs take an even subset; null: all 3,000). */
  sentences: number | null;
  trainFraction: number;
  /** Sentiment Adjectives: subsample agreeing sentences to this conflicting share (null: as the data are). */
  conflictShare: number | null;
  /** Blocks of the encoder (one analysed [CLS] layer each). */
  layers: number;
}

/** MNIST: keep the weights of the best-validation epoch (the paper's rule) or of the last epoch. */
export type CheckpointRule = 'best' | 'last';
export const checkpointRules: readonly CheckpointRule[] = ['best', 'last'];

/**
 * How the MNIST nets are trained, as a named pair of (L2 weight, checkpoint rule):
 * - `paper` (the default): no L2 term, the last epoch's weights. With it both MNIST sweeps give
 *   the paper's validation accuracies to within 0.03 and its claims hold
 *   (docs/reproduction-results.md): the paper's numbers evidently come from nets trained so.
 * - `released`: as PAPER.md and the released code read: 0.002 x the sum of squared parameters
 *   added to every batch's loss, the best-validation-accuracy epoch kept. The L2 term kills
 *   units as the label noise grows, and the paper's entropy claims do not appear.
 */
export type TrainingRegime = 'paper' | 'released';
export const trainingRegimes: Record<TrainingRegime, { l2: number; keep: CheckpointRule }> = {
  paper: { l2: 0, keep: 'last' },
  released: { l2: 0.002, keep: 'best' },
};
export const trainingRegimeNames = Object.keys(trainingRegimes) as TrainingRegime[];

/** The regime an (L2, checkpoint rule) pair amounts to, or 'custom'. */
export function regimeOf(l2: number, keep: CheckpointRule): TrainingRegime | 'custom' {
  for (const name of trainingRegimeNames) if (trainingRegimes[name].l2 === l2 && trainingRegimes[name].keep === keep) return name;
  return 'custom';
}

/** MNIST training: a regime, and optional changes to its L2 weight or checkpoint rule (circles ignore them). */
export interface TrainingOverrides {
  /** default 'paper' */
  regime?: TrainingRegime;
  /** default: the regime's */
  l2?: number;
  /** default: the regime's */
  keep?: CheckpointRule;
}

/**
 * The run configuration of an experiment at a size, with an optional epoch budget and, for
 * MNIST, the training regime (default `paper`) and optional changes to its L2 weight and
 * checkpoint rule.
 */
export function runConfig(experiment: ExperimentName, size: RunSize, epochs?: number, overrides: TrainingOverrides = {}, text?: TextOverrides): RunConfig {
  if (textExperiments.includes(experiment)) {
    if (!text) throw new RangeError(`${experiment} needs the pretrained encoder's identity`);
    return {
      experiment,
      size,
      mnist: null,
      circles: null,
      text: {
        encoder: text.encoder,
        encoderSha256: text.encoderSha256,
        from: text.from ?? [...encoderStarts],
        sentences: size === 'tiny' ? 400 : size === 'quick' ? 600 : null,
        trainFraction: 0.8,
        conflictShare: text.conflictShare ?? null,
        maxEpochs: epochs ?? (size === 'full' ? 40 : size === 'quick' ? 3 : 2),
        batchSize: 16,
        learningRate: 5e-4,
        warmup: 100,
        weightDecay: 0.01,
        stopLoss: 0.075,
        maxLength: 64,
        layers: text.layers,
      },
      bins: undefined,
      baselinePairs: size === 'tiny' ? 256 : 2048,
    };
  }
  if (overrides.l2 !== undefined && !(Number.isFinite(overrides.l2) && overrides.l2 >= 0)) throw new RangeError(`l2 must be a finite number >= 0, got ${overrides.l2}`);
  if (overrides.keep !== undefined && !checkpointRules.includes(overrides.keep)) throw new RangeError(`keep must be best or last, got ${String(overrides.keep)}`);
  if (overrides.regime !== undefined && !trainingRegimeNames.includes(overrides.regime)) throw new RangeError(`regime must be ${trainingRegimeNames.join(' or ')}, got ${String(overrides.regime)}`);
  if (experiment === 'circles') {
    return {
      experiment,
      size,
      mnist: null,
      circles: {
        points: { division: size === 'tiny' ? 300 : 2000, shuffle: 100 },
        measurePoints: size === 'tiny' ? 300 : 2000,
        noise: 0.2,
        factor: 0.4,
        hidden: [16, 16],
        learningRate: 1e-3,
        maxEpochs: epochs ?? (size === 'full' ? 10000 : size === 'quick' ? 300 : 20),
        tol: 1e-5,
        patience: { division: 10, shuffle: 500 },
        trainFraction: 0.9,
      },
      bins: 20,
      baselinePairs: size === 'tiny' ? 256 : 2048,
    };
  }
  const sized = {
    full: { trainImages: 50000, valImages: 10000, epochs: DEFAULT_EPOCHS[experiment as 'colored-mnist' | 'shuffled-mnist'], hidden: [256, 256, 256] },
    quick: { trainImages: 5000, valImages: 1000, epochs: 20, hidden: [64, 64, 64] },
    tiny: { trainImages: 600, valImages: 200, epochs: 2, hidden: [16, 16, 16] },
  }[size];
  const regime = trainingRegimes[overrides.regime ?? 'paper'];
  const l2 = overrides.l2 ?? regime.l2;
  const keep = overrides.keep ?? regime.keep;
  return {
    experiment,
    size,
    mnist: { ...sized, epochs: epochs ?? sized.epochs, batchSize: 512, learningRate: 1e-3, l2, labelNoise: 0.25, keep, regime: regimeOf(l2, keep) },
    circles: null,
    bins: undefined,
    baselinePairs: size === 'tiny' ? 256 : 2048,
  };
}

/** The text experiments' run options. */
export interface TextOverrides {
  encoder: string;
  encoderSha256: string;
  layers: number;
  from?: EncoderStart[];
  conflictShare?: number | null;
}

/** One model to train: a value of a sweep, for one seed. */
export interface ModelJob {
  config: RunConfig;
  parameter: SweepParameter;
  value: number;
  seed: number;
  /** Text experiments: where the encoder starts. */
  from?: EncoderStart;
  /** The model's directory (see src/reproduce/README.md). */
  dir: string;
  /** A short name for progress lines. */
  label: string;
  /** Measure the training dynamics every this many epochs (dynamics.ts; 0 or absent: not tracked). */
  trackEvery?: number;
}

/**
 * Default of `--track-every`: every 5 epochs for MNIST (11 points in 50 epochs, 3 to 10 s of
 * measures each); every 50 for circles, whose models run hundreds to thousands of epochs of a
 * few milliseconds; every 2 for the text experiments, whose fine-tuning stops after 6 to 22
 * epochs.
 */
export function defaultTrackEvery(config: RunConfig): number {
  return config.mnist ? 5 : config.circles ? 50 : 2;
}

/** Layers whose activations are analysed: pre-ReLU for MNIST, post-ReLU for circles, each block's [CLS] vector for text. */
export function analysedLayers(config: RunConfig): string[] {
  if (config.text) return Array.from({ length: config.text.layers }, (_, i) => `layer.${i}`);
  if (config.circles) return config.circles.hidden.map((_, i) => `relu${i + 1}`);
  return (config.mnist as NonNullable<RunConfig['mnist']>).hidden.map((_, i) => `fc${i + 1}`);
}

/** `0.25` -> `0.25`, `1` -> `1.00`: the value as it appears in directory names and tables. */
export function formatValue(v: number): string {
  return v.toFixed(2);
}
