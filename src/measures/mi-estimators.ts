/**
 * The pairwise MI estimators, declared once: their names (the `--mi` choices and the type of
 * `settings.mi`), whether they use k, their help line, and how they describe themselves in the
 * table, results and reports. (The engine's preparation and pair kernels are in compute.ts and
 * engine/jobs.ts, one branch each.)
 */
import type { Settings } from './settings.js';

export interface MiEstimatorInfo {
  /** Uses the k-nearest-neighbour count `k`. */
  readonly needsK: boolean;
  /** The `--help` line. */
  readonly help: string;
  /** One line for the CLI table's header and the reports' settings (`KSG k=3, zscore`). */
  describe(s: Settings): string;
}

export const miEstimators = {
  ksg: {
    needsK: true,
    help: 'KSG (Kraskov et al. 2004, alg. 1), exact: the paper\'s',
    describe: (s: Settings) => `KSG algorithm 1, k = ${s.k}, ${s.scale === 'zscore' ? 'z-scored' : 'raw values'}${s.jitter > 0 ? `, jitter ${s.jitter}` : ''}`,
  },
  binned: {
    needsK: false,
    help: 'plug-in MI on the entropy\'s bins (biased up, ~(B-1)^2/2S)',
    describe: (s: Settings) => `binned plug-in, ${s.bins} ${s.binning} bins${s.millerMadow ? ', Miller-Madow' : ''}`,
  },
  gcmi: {
    needsK: false,
    help: 'Gaussian-copula MI (Ince et al. 2017): seconds, a lower bound',
    describe: (s: Settings) => `Gaussian-copula (GCMI)${s.biasCorrect ? ', bias-corrected' : ''}`,
  },
  none: {
    needsK: false,
    help: 'entropies only',
    describe: () => 'none',
  },
} as const satisfies Record<string, MiEstimatorInfo>;

/** Which MI estimator fills the N x N matrix. */
export type MiEstimator = keyof typeof miEstimators;
export const miEstimatorNames = Object.keys(miEstimators) as MiEstimator[];

/** The description line of the settings' MI estimator. */
export function describeMi(s: Settings): string {
  return miEstimators[s.mi].describe(s);
}
