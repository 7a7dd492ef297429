import type { ComparedBinning } from '../analysis/compute.js';
import type { MemorizationMap, MemorizationSetting } from './memorization-map.js';
import type { Mismatch } from './comparability.js';
import type { Difference, RankingStability } from './decide.js';

/** A value's 95% interval, as a comparison shows it. */
export interface ComparedInterval {
  low: number;
  high: number;
  se: number;
}

/** Two models' difference (b - a) on each ranking mean, decided at 95%. */
export interface PairDifference {
  a: string;
  b: string;
  meanEntropy: Difference | null;
  meanMI: Difference | null;
}

export const COMPARISON_SCHEMA = 'infomem/comparison';
export const COMPARISON_VERSION = 1;

export type { MemorizationSetting } from './memorization-map.js';

/** One model of a comparison. */
export interface ComparedModel {
  label: string;
  /** Path of its results.json, as given. */
  results: string;
  /** Validation accuracy (the extrinsic metric), when given. */
  accuracy: number | null;
  meanEntropy: number;
  meanMI: number | null;
  meanEntropyByBinning: Record<ComparedBinning, number>;
  /** 95% intervals of the overall means (null where the analysis has none: --resamples 0). */
  intervals: { meanEntropy: ComparedInterval | null; meanMI: ComparedInterval | null; medianMI: ComparedInterval | null };
  /** Oriented scores (higher = predicted better). */
  scoreEntropy: number;
  scoreMI: number | null;
  /** 1 = best. Ties share the smaller rank. */
  rankByEntropy: number;
  rankByMI: number | null;
  rankByAccuracy: number | null;
}

/** `comparison.json`, schema version 1. */
export interface Comparison {
  schema: typeof COMPARISON_SCHEMA;
  version: typeof COMPARISON_VERSION;
  createdAt: string;
  /** The orientation of the scores. */
  setting: MemorizationSetting;
  /**
   * Where the setting came from: 'given' (--setting), 'default' (none given: heuristic), 'auto'
   * (the map's dominant pattern), or 'auto-fallback' (auto found no single pattern: heuristic).
   */
  settingSource: 'given' | 'default' | 'auto' | 'auto-fallback';
  /**
   * How the analyses differ where they should not (comparability.ts): empty, unless compared
   * with --allow-mixed, and then shown at the top of the report.
   */
  mismatches: Mismatch[];
  /** Whether differences were taken on paired replicates (the analyses share their draws). */
  paired: boolean;
  /** Every pair of models: their difference on each mean and whether it is distinguishable at 95%. */
  differences: PairDifference[];
  /**
   * The rankings under resampling: how often the models rank as reported, and Kendall's tau
   * against accuracy over replicates (median and 95% interval). Null without intervals.
   */
  stability: { meanEntropy: RankingStability | null; meanMI: RankingStability | null };
  /** Each model's change in mean entropy and MI against the reference model, and its quadrant. */
  map: MemorizationMap;
  units: 'nats' | 'bits';
  /** The binning scope of the analysed (main) entropies. */
  binning: string;
  models: ComparedModel[];
  /** Kendall's tau-b between accuracy and each oriented score; null without accuracies. */
  kendall: {
    meanEntropy: number | null;
    meanMI: number | null;
    byBinning: Record<ComparedBinning, number | null>;
  };
  /** Whether the binning scopes rank the models differently (taus of opposite sign or spread over 0.5). */
  binningDisagreement: { disagree: boolean; message: string | null };
}
