import { type ActivationSet, neuronCount } from '../../activations/activation-set.js';
import { equalWidthEdges, extent } from '../equal-width-edges.js';
import type { BinEdges } from './types.js';

/**
 * The paper's binning: B equal-width bins spanning the minimum..maximum of every analysed value
 * (all neurons of all layers, all examples), i.e. the edges of `np.histogram(A.ravel(), bins=B)`.
 */
export function globalBinning(set: ActivationSet, bins: number, extents?: Float64Array): BinEdges {
  const [lo, hi] = extents ? extent(extents) : extent(set.values);
  const one = equalWidthEdges(lo, hi, bins);
  const N = neuronCount(set);
  const edges = new Float64Array(N * (bins + 1));
  for (let n = 0; n < N; n++) edges.set(one, n * (bins + 1));
  return { bins, edges, equalWidth: true };
}
