/**
 * The interface every per-neuron entropy estimator implements, beside the pairwise MI ones
 * (../mi/estimator.ts). The plug-in entropy on the settings' bins is always computed (its codes
 * give the bin-collapse warnings and the mean entropy per binning scope), so an estimator
 * receives it and may return it as is.
 */
import type { ActivationSet } from '../activations/activation-set.js';
import type { BinEdges } from '../binning/strategy/index.js';
import type { EstimatorDescription, EstimatorOptions } from '../mi/estimator.js';

export interface EntropyContext {
  /** The plug-in entropies on the options' bins, one per neuron. */
  readonly binned: Float64Array;
  /** A stable per-neuron random stream id (layer name and source column). */
  readonly ids: Uint32Array;
  /** Await between neurons: lets Ctrl-C and progress through on long runs. */
  readonly tick: () => Promise<void> | void;
}

/** What {@link EntropyEstimator.replicate} gets beside a neuron's resampled values. */
export interface ReplicateContext {
  /** The analysis's bin edges (every neuron's, set order), as for its plug-in entropies. */
  readonly edges: BinEdges;
  /** The neuron's stable random stream id. */
  readonly id: number;
}

export interface EntropyEstimator extends EstimatorDescription {
  /** Every neuron's entropy in nats (N values, set order). */
  entropies(set: ActivationSet, o: EstimatorOptions, context: EntropyContext): Promise<Float64Array>;
  /**
   * Optional: the entropy of set neuron `neuron` from `values`, its activations at a replicate's
   * examples (the intervals: analysis/intervals.ts). Without it, the entropies get no interval.
   * `values` may be overwritten.
   */
  replicate?(values: Float64Array, neuron: number, o: EstimatorOptions, context: ReplicateContext): number;
}
