import type { ComparedBinning } from '../analysis/compute.js';
import type { MemorizationMap } from './memorization-map.js';

export const COMPARISON_SCHEMA = 'infomem/comparison';
export const COMPARISON_VERSION = 1;

/**
 * Which memorization the sweep varies. The paper's hypotheses orient the scores:
 * heuristic: score = +meanEntropy and -meanMI (more diverse = better);
 * example-level: score = -meanEntropy and +meanMI.
 */
export type MemorizationSetting = 'heuristic' | 'example-level';

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
