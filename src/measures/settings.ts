import type { BinningName } from '../core/binning/strategy/index.js';
import { binningNames } from '../core/binning/strategy/index.js';

import { miEstimatorNames, type MiEstimator } from './mi-estimators.js';

export type { MiEstimator } from './mi-estimators.js';
/** Which entropy estimator gives the per-neuron entropies. */
export type EntropyEstimator = 'binned' | 'kl';
export type Scale = 'raw' | 'zscore';
export type PresetName = 'paper' | 'default';

/** Every setting of a measurement, resolved (no optional fields). */
export interface Settings {
  preset: PresetName;
  /** Number of bins B of the binned entropy (and binned MI). */
  bins: number;
  binning: BinningName;
  entropy: EntropyEstimator;
  /** Add the Miller-Madow bias correction to binned entropies and binned MI. */
  millerMadow: boolean;
  mi: MiEstimator;
  /** Neighbours of the KSG and Kozachenko-Leonenko estimators. */
  k: number;
  /** Transformation of each neuron before KSG: raw values or z-scores. */
  scale: Scale;
  /** Gaussian noise, in units of each neuron's standard deviation, added before KSG / KL. */
  jitter: number;
  /**
   * MI of a pair with a constant neuron: 'zero' (the true value; default preset) or 'estimator'
   * (whatever the estimator gives on the degenerate data: the reference's KSG gives
   * psi(k) - psi(S), about -6.7 nats at S = 2,000, for two constant neurons; paper preset).
   */
  constantMI: 'zero' | 'estimator';
  /** GCMI: add gcmi's bias correction, psi((S-2)/2)/2 - psi((S-1)/2)/2 (about -1/(2S)). */
  biasCorrect: boolean;
  /**
   * Which pairs get MI: 'all' (the N x N matrix), or a count of distinct pairs i < j drawn at
   * random without replacement (seeded): the mean MI then comes with its standard error.
   */
  pairs: 'all' | number;
  /** Pairs for the chance baseline: 'all' off-diagonal pairs, a count drawn at random, or 0. */
  baselinePairs: number | 'all';
  seed: number;
  threads: number;
}

/**
 * The presets. `paper` is the reference bit for bit: 100 global equal-width bins, KSG k = 3 on
 * raw values, no noise. `default` is the same plus z-scoring and 1e-10 jitter before KSG, which
 * keeps KSG meaningful on ReLU ties and on neurons of very different scales.
 */
export const presets: Record<PresetName, Omit<Settings, 'threads' | 'preset'>> = {
  paper: { bins: 100, binning: 'global', entropy: 'binned', millerMadow: false, mi: 'ksg', k: 3, scale: 'raw', jitter: 0, constantMI: 'estimator', biasCorrect: false, pairs: 'all', baselinePairs: 2048, seed: 0 },
  default: { bins: 100, binning: 'global', entropy: 'binned', millerMadow: false, mi: 'ksg', k: 3, scale: 'zscore', jitter: 1e-10, constantMI: 'zero', biasCorrect: false, pairs: 'all', baselinePairs: 2048, seed: 0 },
};

/** The most worker threads a computation may ask for (the CLI clamps to the machine's cores). */
export const MAX_THREADS = 256;

/** Resolves user options over a preset and validates them. */
export function resolveSettings(options: Partial<Settings>, defaultThreads: number): Settings {
  const preset = options.preset ?? 'default';
  if (!(preset in presets)) throw new RangeError(`unknown preset '${preset}' (paper, default)`);
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<Settings>;
  const s: Settings = { ...presets[preset], threads: defaultThreads, ...defined, preset };
  if (!(Number.isInteger(s.bins) && s.bins >= 1 && s.bins <= 65536)) throw new RangeError(`bins must be an integer in 1..65536, got ${s.bins}`);
  if (!binningNames.includes(s.binning)) throw new RangeError(`unknown binning '${s.binning}' (${binningNames.join(', ')})`);
  if (!['binned', 'kl'].includes(s.entropy)) throw new RangeError(`unknown entropy estimator '${s.entropy}' (binned, kl)`);
  if (!miEstimatorNames.includes(s.mi)) throw new RangeError(`unknown MI estimator '${s.mi}' (${miEstimatorNames.join(', ')})`);
  if (typeof s.biasCorrect !== 'boolean') throw new RangeError(`biasCorrect must be true or false, got ${String(s.biasCorrect)}`);
  if (!(Number.isInteger(s.k) && s.k >= 1)) throw new RangeError(`k must be a positive integer, got ${s.k}`);
  if (!['raw', 'zscore'].includes(s.scale)) throw new RangeError(`unknown scale '${s.scale}' (raw, zscore)`);
  if (!(Number.isFinite(s.jitter) && s.jitter >= 0)) throw new RangeError(`jitter must be a finite number >= 0, got ${s.jitter}`);
  if (!(s.pairs === 'all' || (Number.isInteger(s.pairs) && s.pairs >= 1))) throw new RangeError(`pairs must be 'all' or a positive integer, got ${s.pairs}`);
  if (!(s.baselinePairs === 'all' || (Number.isInteger(s.baselinePairs) && s.baselinePairs >= 0)))
    throw new RangeError(`baseline pairs must be 'all' or an integer >= 0, got ${s.baselinePairs}`);
  if (!['zero', 'estimator'].includes(s.constantMI)) throw new RangeError(`constantMI must be 'zero' or 'estimator', got '${s.constantMI}'`);
  if (!Number.isInteger(s.seed)) throw new RangeError(`seed must be an integer, got ${s.seed}`);
  if (!(Number.isInteger(s.threads) && s.threads >= 1 && s.threads <= MAX_THREADS)) throw new RangeError(`threads must be an integer in 1..${MAX_THREADS}, got ${s.threads}`);
  return s;
}
