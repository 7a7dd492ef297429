import { equalWidthEdges } from '../binning/equal-width-edges.js';

/** Counts of `values` in `bins` equal-width bins over their own range (np.histogram semantics). */
export interface Histogram {
  edges: number[];
  counts: number[];
}

export function histogram(values: ArrayLike<number>, bins: number, range?: [number, number]): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (range) [lo, hi] = range;
  if (!(lo <= hi)) return { edges: [], counts: [] };
  const edges = equalWidthEdges(lo, hi, bins);
  const counts = new Array<number>(bins).fill(0);
  const a = edges[0];
  const b = edges[bins];
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!(x >= a && x <= b)) continue;
    let k = Math.trunc(((x - a) / (b - a)) * bins);
    if (k >= bins) k = bins - 1;
    if (x < edges[k]) k--;
    else if (k !== bins - 1 && x >= edges[k + 1]) k++;
    counts[k]++;
  }
  return { edges: Array.from(edges), counts };
}
