/**
 * What `infomem score` computes and saves: its types, below the feature (score.ts) and its report
 * (report/scores-report.ts), which both read them.
 */
import type { KnnModel, MahalanobisModel } from '../core/ood/baselines.js';
import type { CopulaModel } from '../core/ood/copula.js';
import type { ReferenceOptions, ReferenceStats } from '../core/ood/reference.js';
import type { LoadOptions } from '../inputs/load-activations.js';

export interface ScoreOptions extends ReferenceOptions, LoadOptions {
  /** Compute the Mahalanobis and k-NN baselines (default true). */
  baselines?: boolean;
  /** k of the k-NN baseline (default 10). */
  knnK?: number;
  /** Reference examples kept for the k-NN baseline (seeded sample; default 2000). */
  knnReference?: number;
  /** Ridge of the Mahalanobis covariance, times the mean variance (default 1e-6). */
  ridge?: number;
  /** Shrinkage of the copula correlation towards I (default 0.01). */
  shrink?: number;
  /**
   * A layer holding the model's logits (in the reference and the inputs): it is left out of the
   * activation scores and gives the maximum-softmax-probability and energy baselines.
   */
  logits?: string;
  seed?: number;
}

/** One column of scores: its values on the inputs and on the reference itself. */
export interface ScoreColumn {
  readonly name: string;
  readonly inputs: Float64Array;
  readonly reference: Float64Array;
}

export interface DetectionMetrics {
  readonly score: string;
  readonly auroc: number;
  readonly averagePrecision: number;
  readonly fprAt95Tpr: number;
}

export interface ScoreAnalysis {
  readonly reference: ReferenceStats;
  /** The fitted model (writeScores saves it: reference.json + reference.npz). */
  readonly model: ScoringModel;
  readonly samples: number;
  readonly columns: readonly ScoreColumn[];
  /** 1 = out of distribution, per input example; null when unknown. */
  readonly labels: Uint8Array | null;
  readonly metrics: readonly DetectionMetrics[] | null;
  /**
   * The input examples' texts, when they were a texts file (a model's inputs): example i is row i
   * of scores.npy and line i + 1 of the file (the out-of-distribution file's lines follow).
   */
  readonly texts?: readonly string[] | null;
  readonly settings: Required<Pick<ScoreOptions, 'bins' | 'alpha' | 'pairs' | 'jointBins' | 'baselines' | 'knnK' | 'knnReference' | 'ridge' | 'shrink' | 'seed'>>;
}

/** Everything needed to score new inputs, fitted once on the reference (and savable, writeScores). */
export interface ScoringModel {
  readonly settings: ScoreAnalysis['settings'];
  /** The logits layer left out of the activation scores, if any. */
  readonly logits: string | null;
  readonly stats: ReferenceStats;
  readonly copula: CopulaModel;
  readonly maha: MahalanobisModel | null;
  readonly knn: KnnModel | null;
  /** The reference's own scores, in column order (for summaries, thresholds and figures). */
  readonly referenceScores: readonly { name: string; values: Float64Array }[];
}

