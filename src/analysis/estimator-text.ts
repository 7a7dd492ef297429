/**
 * How the settings' estimators describe themselves (results, tables, reports), read from the
 * registries (core/mi/registry.ts, core/entropy/registry.ts).
 */
import { entropyEstimator } from '../core/entropy/registry.js';
import { hasMiEstimator, miEstimator } from '../core/mi/registry.js';
import type { EstimatorDescription } from '../core/mi/estimator.js';
import type { Settings } from './settings.js';

/** The description line of the settings' MI estimator ('none' when there is none). */
export function describeMi(s: Settings): string {
  if (s.mi === 'none') return 'none';
  return hasMiEstimator(s.mi) ? miEstimator(s.mi).describe(s) : s.mi;
}

/** The description line of the settings' entropy estimator. */
export function describeEntropy(s: Settings): string {
  return entropyEstimator(s.entropy).describe(s);
}

/** Why too few examples are too few for an estimator: `KSG needs at least k + 1 = 4 (...)`. */
export function minSamplesText(e: EstimatorDescription, s: Settings): string {
  const least = e.minSamples(s);
  const byK = e.reads.includes('k') && least === s.k + 1;
  return `${e.label} needs at least ${byK ? `k + 1 = ${least}` : least}${byK ? ' (use a smaller --k, or --mi binned)' : ''}`;
}
