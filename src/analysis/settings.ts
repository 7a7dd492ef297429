import { MAX_THREADS, settingOptions, type EntropyEstimatorName, type MiEstimatorName, type PresetName, type Settings } from './setting-options.js';

export type { EntropyEstimatorName, MiEstimatorName, PresetName, Scale, Settings } from './setting-options.js';
export { MAX_THREADS } from './setting-options.js';
/** @deprecated the name of a registered MI estimator, or 'none': use MiEstimatorName. */
export type MiEstimator = MiEstimatorName;
/** @deprecated use EntropyEstimatorName. */
export type EntropyEstimator = EntropyEstimatorName;

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
