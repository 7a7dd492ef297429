/**
 * The interface every pairwise MI estimator implements (ksg/, gcmi/, binned/), and the options
 * they read. An estimator is one folder with an `estimator.ts` exporting a
 * {@link PairwiseMiEstimator}, plus one line in registry.ts; the engine, the settings'
 * validation, the CLI's choices and help, results.json and the reports all read it from there.
 *
 * The work is split so that any number of threads computes the same numbers:
 * 1. `plan` (main thread, once): what every neuron's preparation needs from the whole set
 *    (bin edges, normal quantiles, ...), plain structured-clone-able data.
 * 2. `createStore` + `prepareNeuron` (worker threads, one neuron per task): each neuron's
 *    prepared form (sorted values, codes, copula scores, ...) in flat typed arrays over
 *    SharedArrayBuffers, so a store posted to a worker is shared, not copied.
 * 3. `pairKernel` (per thread and job): the MI of neuron i of store a and neuron j of store b,
 *    which depends only on those two neurons; `tileKernel`, when given, does a tile of the
 *    all-pairs triangle at once (a matrix product, say) with the same values.
 * The engine handles the rest for every estimator alike: blocks of prepared neurons within the
 * memory budget, sampled pairs, the permutation baseline (`NeuronInput.permutation`), progress
 * and cancellation.
 */
import type { ActivationSet, ActivationValues } from '../activations/activation-set.js';
import type { BinningName } from '../binning/strategy/index.js';
import type { ResamplingScheme } from '../resample/scheme.js';

/** What the estimators read from the analysis settings. */
export interface EstimatorOptions {
  /** Neighbours of the k-NN estimators. */
  readonly k: number;
  /** Bins of the binned estimators, and their edges' scope. */
  readonly bins: number;
  readonly binning: BinningName;
  /** Miller-Madow bias correction of plug-in entropies (and binned MI). */
  readonly millerMadow: boolean;
  /** GCMI: gcmi's analytic bias correction. */
  readonly biasCorrect: boolean;
  /** Transform of each neuron before the k-NN estimators. */
  readonly scale: 'raw' | 'zscore';
  /** Gaussian noise (in units of each neuron's std) before the k-NN estimators. */
  readonly jitter: number;
  /** Seed of every random choice (the jitter's streams). */
  readonly seed: number;
}

/** Prepared neurons: plain data over (shared) typed arrays. `neurons` slots of `samples` each. */
export interface MiStore {
  readonly neurons: number;
  readonly samples: number;
}

/** One neuron of the set, as `prepareNeuron` receives it. */
export interface NeuronInput {
  /** Its index in the set (for per-neuron plan data such as bin edges). */
  readonly neuron: number;
  /** Its S activations (never modified). */
  readonly values: ActivationValues;
  /** A stable per-neuron random stream id (layer name and source column). */
  readonly id: number;
  /**
   * The chance baseline: the prepared neuron must be that of the example order
   * `permutation` (value s of the result = value permutation[s]), applied after any transform.
   */
  readonly permutation: Int32Array | null;
}

/** MI in nats of neuron i of store a and neuron j of store b. */
export type PairKernel = (i: number, j: number) => number;

/**
 * MI of every pair i <= j with i in [i0, i1), j in [j0, j1) of one store, written to
 * out[i * n + j] and out[j * n + i] (n = store.neurons).
 */
export type TileKernel = (i0: number, i1: number, j0: number, j1: number, out: Float64Array) => void;

/**
 * Blocks of pairs between two stores, as matrix products: `hold(j0, j1)` takes store b's neurons
 * j0..j1 (at most `width`), then each `block(i0, i1, out)` writes the MI of store a's neuron i
 * (i0 <= i < i1, at most `width`) with each held j into out[(i - i0) * (j1 - j0) + (j - j0)]:
 * the pair kernel's values, to the bit.
 */
export interface CrossKernel {
  readonly width: number;
  hold(j0: number, j1: number): void;
  block(i0: number, i1: number, out: Float64Array): void;
}

/** How every estimator (pairwise MI or entropy) names and describes itself. */
export interface EstimatorDescription {
  /** The `--mi` / `--entropy` name. */
  readonly name: string;
  /** A short name for messages (`KSG`, `Gaussian-copula MI`). */
  readonly label: string;
  /** The `--help` line. */
  readonly help: string;
  /** Which options it reads (their flags apply only when an estimator that reads them is chosen). */
  readonly reads: readonly (keyof EstimatorOptions)[];
  /** One line for tables, results and reports (`KSG algorithm 1, k = 3, z-scored`). */
  describe(o: EstimatorOptions): string;
  /** The fewest examples it is defined on. */
  minSamples(o: EstimatorOptions): number;
  /**
   * How its intervals resample examples (core/resample/scheme.ts): `bootstrap` only for
   * estimators that a duplicated example does not bias (plug-in counts); default
   * `subsampling`, valid for every estimator.
   */
  readonly resampling?: ResamplingScheme;
}

export interface PairwiseMiEstimator<Store extends MiStore = MiStore, Plan = unknown> extends EstimatorDescription {
  /**
   * Rough cost of one pair per example, in nanoseconds: jobs under ~0.1 s of work run on the
   * main thread (starting workers would cost more).
   */
  readonly nsPerPairSample: number;
  /** Set-level data for every neuron's preparation (structured-clone-able). */
  plan(set: ActivationSet, o: EstimatorOptions, extents: Float64Array): Plan;
  /** Bytes one prepared neuron takes in a store. */
  bytesPerNeuron(samples: number, o: EstimatorOptions): number;
  /** A store for `neurons` prepared neurons, over SharedArrayBuffers when `shared`. */
  createStore(neurons: number, samples: number, o: EstimatorOptions, plan: Plan, shared: boolean): Store;
  /** Prepares slot `slot` of the store from one neuron (writes only that slot). */
  prepareNeuron(store: Store, slot: number, input: NeuronInput, o: EstimatorOptions, plan: Plan): void;
  /** A kernel for pairs of store a's and store b's neurons (one per thread and job; may hold scratch). */
  pairKernel(a: Store, b: Store): PairKernel;
  /** Optional: a kernel for whole tiles of the store's triangle; must give pairKernel's values. */
  tileKernel?(store: Store): TileKernel;
  /**
   * Optional: a kernel for blocks of pairs between two different stores (the significance
   * tests' surrogates, a block of permuted neurons against the rest); must give pairKernel's
   * values.
   */
  crossKernel?(a: Store, b: Store): CrossKernel;
  /**
   * Optional: the plan for replicates of `size` examples of the same set, from the set's plan
   * (default: the set's plan; an estimator whose plan depends on the number of examples, such
   * as the copula's quantiles, gives its own).
   */
  resamplePlan?(plan: Plan, size: number, o: EstimatorOptions): Plan;
  /**
   * Optional: slot `slot` of `dst` becomes slot `srcSlot` of `src` with its examples reordered
   * (value s of the result = value perm[s]; `inverse` is perm's inverse): a surrogate for the
   * significance tests, in O(S), without the neuron's preparation (its sort, ranks, scores) done
   * again. Without it, surrogates prepare the permuted neuron from its values.
   */
  permutePrepared?(dst: Store, slot: number, src: Store, srcSlot: number, perm: Int32Array, inverse: Int32Array): void;
}
