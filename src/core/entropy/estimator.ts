/**
 * The interface every per-neuron entropy estimator implements, beside the pairwise MI ones
 * (../mi/estimator.ts). The plug-in entropy on the settings' bins is always computed (its codes
 * give the bin-collapse warnings and the mean entropy per binning scope), so an estimator
 * receives it and may return it as is.
 */
import type { ActivationSet } from '../activations/activation-set.js';
import type { EstimatorOptions } from '../mi/estimator.js';

export interface EntropyContext {
  /** The plug-in entropies on the options' bins, one per neuron. */
  readonly binned: Float64Array;
  /** A stable per-neuron random stream id (layer name and source column). */
  readonly ids: Uint32Array;
  /** Await between neurons: lets Ctrl-C and progress through on long runs. */
  readonly tick: () => Promise<void> | void;
}

export interface EntropyEstimator {
  /** The `--entropy` name. */
  readonly name: string;
  /** A short name for messages (`Kozachenko-Leonenko entropy`). */
  readonly label: string;
  /** The `--help` line. */
  readonly help: string;
  /** Which options it reads. */
  readonly reads: readonly (keyof EstimatorOptions)[];
  /** One line for tables, results and reports. */
  describe(o: EstimatorOptions): string;
  /** The fewest examples it is defined on. */
  minSamples(o: EstimatorOptions): number;
  /** Every neuron's entropy in nats (N values, set order). */
  entropies(set: ActivationSet, o: EstimatorOptions, context: EntropyContext): Promise<Float64Array>;
}
