import type { BinningName } from '../core/binning/strategy/index.js';
import type { EstimatorOptions } from '../core/mi/estimator.js';
import { MAX_THREADS, settingOptions, type EntropyEstimatorName, type MiEstimatorName, type PresetName, type Scale } from './setting-options.js';

export type { EntropyEstimatorName, MiEstimatorName, PresetName, Scale } from './setting-options.js';
export { MAX_THREADS } from './setting-options.js';
/** @deprecated the name of a registered MI estimator, or 'none': use MiEstimatorName. */
export type MiEstimator = MiEstimatorName;
/** @deprecated use EntropyEstimatorName. */
export type EntropyEstimator = EntropyEstimatorName;

/**
 * Every setting of a measurement, resolved (no optional fields). Each is declared, with its
 * flag, choices, parsing, validation and help, in setting-options.ts.
 */
export interface Settings extends EstimatorOptions {
  preset: PresetName;
  /** Number of bins B of the binned entropy (and binned MI). */
  bins: number;
  binning: BinningName;
  entropy: EntropyEstimatorName;
  /** Add the Miller-Madow bias correction to binned entropies and binned MI. */
  millerMadow: boolean;
  mi: MiEstimatorName;
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
  /**
   * Replicates for the 95% intervals of the ranking means (analysis/intervals.ts); 0: none.
   */
  resamples: number;
  /** Pairs (at most) whose MI is recomputed per replicate. */
  resamplePairs: number;
  /**
   * Permutation surrogates per analysed pair for its p-value (analysis/significance.ts); 0: no
   * test.
   */
  significance: number;
  /** The false discovery rate the Benjamini-Hochberg procedure controls over the tested pairs. */
  fdr: number;
  seed: number;
  threads: number;
}

/**
 * The presets. `paper` is the reference bit for bit: 100 global equal-width bins, KSG k = 3 on
 * raw values, no noise. `default` is the same plus z-scoring and 1e-10 jitter before KSG, which
 * keeps KSG meaningful on ReLU ties and on neurons of very different scales.
 */
export const presets: Record<PresetName, Omit<Settings, 'threads' | 'preset'>> = {
  paper: { bins: 100, binning: 'global', entropy: 'binned', millerMadow: false, mi: 'ksg', k: 3, scale: 'raw', jitter: 0, constantMI: 'estimator', biasCorrect: false, pairs: 'all', baselinePairs: 2048, resamples: 50, resamplePairs: 500, significance: 0, fdr: 0.05, seed: 0 },
  default: { bins: 100, binning: 'global', entropy: 'binned', millerMadow: false, mi: 'ksg', k: 3, scale: 'zscore', jitter: 1e-10, constantMI: 'zero', biasCorrect: false, pairs: 'all', baselinePairs: 2048, resamples: 50, resamplePairs: 500, significance: 0, fdr: 0.05, seed: 0 },
};

/** Resolves user options over a preset and validates them. */
export function resolveSettings(options: Partial<Settings>, defaultThreads: number): Settings {
  const preset = options.preset ?? 'default';
  if (!(preset in presets)) throw new RangeError(`unknown preset '${preset}' (paper, default)`);
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<Settings>;
  const s: Settings = { ...presets[preset], threads: defaultThreads, ...defined, preset };
  for (const o of settingOptions) {
    const why = o.check(s[o.key]);
    if (why !== null) throw new RangeError(why);
  }
  return s;
}
