import { type ActivationSet, neuronCount } from '../../activations/activation-set.js';
import { quantileSorted } from '../../summary/quantile.js';
import type { BinEdges } from './types.js';

/**
 * Equal-frequency bins per neuron: edge_i is the i/B quantile of the neuron's values (linear
 * interpolation, NumPy's default `np.quantile` method), so edge_0 = min and edge_B = max.
 * Ties make repeated edges and hence empty bins; a constant neuron has one occupied bin.
 */
export function quantileBinning(set: ActivationSet, bins: number): BinEdges {
  const S = set.samples;
  const W = bins + 1;
  const N = neuronCount(set);
  const edges = new Float64Array(N * W);
  const sorted = new Float64Array(S);
  for (let n = 0; n < N; n++) {
    sorted.set(set.values.subarray(n * S, (n + 1) * S));
    sorted.sort();
    for (let i = 0; i <= bins; i++) edges[n * W + i] = quantileSorted(sorted, i / bins);
    edges[n * W + bins] = sorted[S - 1];
  }
  return { bins, edges, equalWidth: false };
}
