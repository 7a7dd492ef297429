import { type ActivationSet, neuronCount } from '../../activations/activation-set.js';
import { equalWidthEdges, extent } from '../equal-width-edges.js';
import type { BinEdges } from './types.js';

/**
 * B equal-width bins spanning each neuron's own minimum..maximum: `np.histogram(A[:, n], bins=B)`.
 * A constant neuron gets the range [v - 0.5, v + 0.5], as NumPy does (one occupied bin).
 */
export function neuronBinning(set: ActivationSet, bins: number, extents?: Float64Array): BinEdges {
  const S = set.samples;
  const W = bins + 1;
  const N = neuronCount(set);
  const edges = new Float64Array(N * W);
  for (let n = 0; n < N; n++) {
    const [lo, hi] = extents ? [extents[2 * n], extents[2 * n + 1]] : extent(set.values, n * S, (n + 1) * S);
    equalWidthEdges(lo, hi, bins, edges, n * W);
  }
  return { bins, edges, equalWidth: true };
}
