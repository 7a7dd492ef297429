import type { ActivationSet } from '../../activations/activation-set.js';

/**
 * A binning strategy decides the B + 1 bin edges of every neuron.
 * `edges` is neuron-major: neuron n's edges are `edges[n * (B + 1) .. (n + 1) * (B + 1))`.
 * `equalWidth` says the edges are evenly spaced (enables NumPy's arithmetic fast path).
 */
export interface BinEdges {
  readonly bins: number;
  readonly edges: Float64Array;
  readonly equalWidth: boolean;
}

/**
 * `extents`, when given, holds each neuron's minimum and maximum (`[lo0, hi0, lo1, hi1, ...]`,
 * as {@link neuronExtents} computes them): strategies built on extents then need no pass over
 * the values.
 */
export type BinningStrategy = (set: ActivationSet, bins: number, extents?: Float64Array) => BinEdges;
