/**
 * Every analysis setting declared once: its flag, its choices (for choice settings: from the
 * estimator registries or a const list), how a command-line value is parsed, how a value is
 * validated, and its help. resolveSettings validates with these declarations, the CLI derives
 * its `--` options, their parsing and the "Estimators" part of `infomem analyze --help` from
 * them, and the setting types below come from the same const lists.
 */
import { binningNames } from '../core/binning/strategy/index.js';
import { entropyEstimator, entropyEstimatorNames, type BuiltinEntropyEstimatorName } from '../core/entropy/registry.js';
import { miEstimator, miEstimatorNames, type BuiltinMiEstimatorName } from '../core/mi/registry.js';
import type { BinningName } from '../core/binning/strategy/index.js';
import type { EstimatorOptions } from '../core/mi/estimator.js';

export const presetNames = ['paper', 'default'] as const;
export type PresetName = (typeof presetNames)[number];
export const scaleNames = ['raw', 'zscore'] as const;
export type Scale = (typeof scaleNames)[number];
export const constantMINames = ['zero', 'estimator'] as const;
/** A registered MI estimator (core/mi/registry.ts), or 'none' (entropies only). */
export type MiEstimatorName = BuiltinMiEstimatorName | 'none' | (string & Record<never, never>);
/** A registered entropy estimator (core/entropy/registry.ts). */
export type EntropyEstimatorName = BuiltinEntropyEstimatorName | (string & Record<never, never>);

/** The most worker threads a computation may ask for (the CLI clamps to the machine's cores). */
export const MAX_THREADS = 256;

/**
 * Every setting of a measurement, resolved (no optional fields). Each is declared, with its
 * flag, choices, parsing, validation and help, below.
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

export interface SettingOption {
  readonly key: keyof Settings;
  /** Its command-line flag without the dashes; absent: presets and the library only. */
  readonly flag?: string;
  /** The value's placeholder in the help (`K`); absent for a switch (a boolean flag). */
  readonly value?: string;
  /** Help lines (the first beside the flag). */
  readonly help: string;
  /** The choices of a choice setting, with a help line each where useful. */
  choices?(): readonly { name: string; help?: string }[];
  /** A command-line value to the setting's value; throws RangeError `--flag takes ...`. */
  parse(text: string): unknown;
  /** Why `value` is not valid (a message), or null. */
  check(value: unknown): string | null;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function choiceOption(key: keyof Settings, flag: string | undefined, help: string, choices: () => readonly { name: string; help?: string }[], what: string): SettingOption {
  const names = (): string[] => choices().map((c) => c.name);
  return {
    key,
    flag,
    value: undefined,
    help,
    choices,
    parse(text) {
      if (!names().includes(text)) throw new RangeError(`--${flag} takes one of ${names().join('|')}, got '${text}'`);
      return text;
    },
    check: (v) => (typeof v === 'string' && names().includes(v) ? null : `unknown ${what} '${String(v)}' (${names().join(', ')})`),
  };
}

function integerOption(key: keyof Settings, flag: string | undefined, value: string, help: string, min: number, max = Number.MAX_SAFE_INTEGER, what = String(key)): SettingOption {
  // one wording for the flag and the library: the range, and the limit in the help
  const range = max < Number.MAX_SAFE_INTEGER ? `an integer in ${min}..${max.toLocaleString('en-US')}` : `an integer >= ${min}`;
  return {
    key,
    flag,
    value,
    help,
    parse(text) {
      if (!/^-?\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) throw new RangeError(`--${flag} takes ${range}, got '${text}'`);
      return Number(text);
    },
    check: (v) => (isInt(v) && v >= min && v <= max ? null : `${what} must be ${range}, got ${String(v)}`),
  };
}

function switchOption(key: keyof Settings, flag: string, help: string): SettingOption {
  return {
    key,
    flag,
    help,
    parse: () => true,
    check: (v) => (typeof v === 'boolean' ? null : `${key} must be true or false, got ${String(v)}`),
  };
}

/** The settings, in the order of the help. */
export const settingOptions: readonly SettingOption[] = [
  choiceOption(
    'preset',
    'preset',
    'the reference bit for bit, or infomem\'s default (default: default)',
    () => [
      { name: 'paper', help: '100 global bins, KSG k=3 on raw values, no noise: the reference bit for bit' },
      { name: 'default', help: 'the same plus z-scoring and 1e-10 jitter before KSG (meaningful on ReLU ties)' },
    ],
    'preset',
  ),
  choiceOption(
    'mi',
    'mi',
    'pairwise MI estimator (default: ksg)',
    () => [...miEstimatorNames().map((n) => ({ name: n, help: miEstimator(n).help })), { name: 'none', help: 'entropies only' }],
    'MI estimator',
  ),
  switchOption('biasCorrect', 'bias-correct', "gcmi: add gcmi's bias correction (about -1/(2S))"),
  {
    key: 'pairs',
    flag: 'pairs',
    value: 'all|random:N',
    help: 'MI of every pair (the N x N matrix, default) or of N distinct pairs drawn at random (seeded): the mean with its standard error and 95% interval, densities from the sample, pairs.npy instead of mi.npy',
    parse(text) {
      if (text === 'all') return 'all';
      const m = /^random:(\d+)$/.exec(text.trim());
      if (!m || Number(m[1]) < 1) throw new RangeError(`--pairs takes all or random:N (N >= 1), got '${text}'`);
      return Number(m[1]);
    },
    check: (v) => (v === 'all' || (isInt(v) && v >= 1) ? null : `pairs must be 'all' or a positive integer, got ${String(v)}`),
  },
  integerOption('k', 'k', 'K', 'neighbours of the k-NN estimators (default: 3)', 1),
  integerOption('bins', 'bins', 'B', 'bins of the binned entropy and binned MI (default: 100; at most 65,536)', 1, 65536),
  choiceOption('binning', 'binning', "bin-edge scope (default: global, the paper's)", () => binningNames.map((name) => ({ name })), 'binning'),
  choiceOption(
    'entropy',
    'entropy',
    'per-neuron entropy estimator (default: binned)',
    () => entropyEstimatorNames().map((n) => ({ name: n, help: entropyEstimator(n).help })),
    'entropy estimator',
  ),
  switchOption('millerMadow', 'miller-madow', 'add the Miller-Madow bias correction to binned entropy and MI'),
  choiceOption('scale', 'scale', 'transform of each neuron before KSG (preset decides)', () => scaleNames.map((name) => ({ name })), 'scale'),
  {
    key: 'jitter',
    flag: 'jitter',
    value: 'X',
    help: 'noise before KSG / Kozachenko-Leonenko, in units of each neuron\'s std (preset decides)',
    parse(text) {
      const v = Number(text);
      if (text.trim() === '' || !Number.isFinite(v)) throw new RangeError(`--jitter takes a number, got '${text}'`);
      return v;
    },
    check: (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : `jitter must be a finite number >= 0, got ${String(v)}`),
  },
  {
    key: 'baselinePairs',
    flag: 'baseline',
    value: 'N|all|none',
    help: 'pairs for the permutation chance baseline (default: 2048)',
    parse(text) {
      if (text === 'all') return 'all';
      if (text === 'none') return 0;
      if (!/^\d+$/.test(text.trim())) throw new RangeError(`--baseline takes an integer >= 0, all or none, got '${text}'`);
      return Number(text);
    },
    check: (v) => (v === 'all' || (isInt(v) && v >= 0) ? null : `baseline pairs must be 'all' or an integer >= 0, got ${String(v)}`),
  },
  integerOption('resamples', 'resamples', 'R', 'replicates of the examples for the 95% intervals of the mean entropy and MI (default: 50; 0: none); the bootstrap for binned estimators, subsampling for KSG, GCMI and KL', 0, 100_000, 'resamples'),
  integerOption('resamplePairs', 'resample-pairs', 'P', 'pairs whose MI is recomputed per replicate, stratified by layer (default: 500)', 1, 10_000_000, 'resample pairs'),
  integerOption('significance', 'significance', 'N', 'test every analysed pair against N permutation surrogates (one neuron\'s examples permuted, seeded): p = (1 + #{surrogate >= observed}) / (N + 1), pvalues.npy; 0: no test (default)', 0, 1_000_000, 'significance'),
  {
    key: 'fdr',
    flag: 'fdr',
    value: 'Q',
    help: 'false discovery rate of the Benjamini-Hochberg procedure over the tested pairs (default: 0.05)',
    parse(text) {
      const v = Number(text);
      if (text.trim() === '' || !(v > 0 && v < 1)) throw new RangeError(`--fdr takes a number in (0, 1), got '${text}'`);
      return v;
    },
    check: (v) => (typeof v === 'number' && v > 0 && v < 1 ? null : `fdr must be a number in (0, 1), got ${String(v)}`),
  },
  choiceOption('constantMI', undefined, "MI of a pair with a constant neuron: 'zero' or the estimator's degenerate value (preset decides)", () => constantMINames.map((name) => ({ name })), 'constantMI'),
  integerOption('seed', 'seed', 'N', 'seed of every random choice (default: 0)', 0, Number.MAX_SAFE_INTEGER, 'seed'),
  integerOption('threads', undefined, 'T', 'worker threads (default: all cores)', 1, MAX_THREADS, 'threads'),
];

/** The declaration of `key`. */
export function settingOption(key: keyof Settings): SettingOption {
  const o = settingOptions.find((d) => d.key === key);
  if (!o) throw new Error(`no declaration for setting ${String(key)}`);
  return o;
}

/**
 * The settings only some estimators read (their flags mean nothing under the others), and the
 * estimators that read each: `k` -> ['--mi ksg', '--entropy kl'].
 */
export function estimatorOnlySettings(): Map<keyof Settings, string[]> {
  const out = new Map<keyof Settings, string[]>();
  const always = new Set<string>(entropyEstimator('binned').reads); // the binned entropy is always computed
  const add = (key: string, who: string): void => {
    if (always.has(key)) return;
    const k = key as keyof Settings;
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(who);
  };
  for (const n of miEstimatorNames()) for (const key of miEstimator(n).reads) if (key !== 'seed') add(key, `--mi ${n}`);
  for (const n of entropyEstimatorNames()) for (const key of entropyEstimator(n).reads) if (key !== 'seed') add(key, `--entropy ${n}`);
  return out;
}

/** Whether the settings' estimators read `key` (always true for settings every analysis reads). */
export function settingApplies(key: keyof Settings, s: Pick<Settings, 'mi' | 'entropy'>): boolean {
  const readers = estimatorOnlySettings().get(key);
  if (!readers) return true;
  return readers.some((w) => w === `--mi ${s.mi}` || w === `--entropy ${s.entropy}`);
}
