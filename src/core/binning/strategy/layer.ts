import type { ActivationSet } from '../../activations/activation-set.js';
import { equalWidthEdges, extent } from '../equal-width-edges.js';
import type { BinEdges } from './types.js';

/** B equal-width bins spanning each layer's own minimum..maximum (shared by its neurons). */
export function layerBinning(set: ActivationSet, bins: number, extents?: Float64Array): BinEdges {
  const S = set.samples;
  const W = bins + 1;
  const last = set.layers[set.layers.length - 1];
  const edges = new Float64Array((last.offset + last.size) * W);
  for (const l of set.layers) {
    const [lo, hi] = extents ? extent(extents, 2 * l.offset, 2 * (l.offset + l.size)) : extent(set.values, l.offset * S, (l.offset + l.size) * S);
    const one = equalWidthEdges(lo, hi, bins);
    for (let n = l.offset; n < l.offset + l.size; n++) edges.set(one, n * W);
  }
  return { bins, edges, equalWidth: true };
}
