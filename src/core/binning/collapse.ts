/**
 * Shared bins made useless by extreme values.
 *
 * With bins shared by many neurons (`global`, `layer`), one extreme activation (a 1e38 from an
 * overflow, a stray spike) stretches the edges so far that every other neuron falls into one or
 * two bins, and its entropy collapses to (nearly) 0. This detects that: among the live
 * (non-constant) neurons of a group, at least half occupy at most two bins. It then names the
 * most extreme value, the one farthest from the median of the neurons' means.
 */
import type { BinCodeArray } from './bin-codes.js';

/** A group of neurons whose shared bins collapsed, and the most extreme value behind it. */
export interface BinCollapse {
  /** Live (non-constant) neurons in the group. */
  live: number;
  /** Live neurons that occupy at most two bins. */
  collapsed: number;
  /** The bins' span. */
  lo: number;
  hi: number;
  /** The most extreme value and where it is (neuron index in the set, example). */
  value: number;
  neuron: number;
  example: number;
}

/** Number of distinct bins among `codes[offset .. offset + S)`, counting up to `cap` then stopping. */
export function occupiedBins(codes: BinCodeArray, offset: number, S: number, bins: number, cap = bins): number {
  const seen = new Uint8Array(bins);
  let count = 0;
  for (let s = 0; s < S; s++) {
    const c = codes[offset + s];
    if (seen[c] === 0) {
      seen[c] = 1;
      if (++count >= cap) return count;
    }
  }
  return count;
}

/**
 * Checks the neurons `from .. to - 1` (neuron-major `values`, S each, binned with `bins` shared
 * bins spanning `lo .. hi`; `occupied[n]`: the bins neuron n occupies, as occupiedBins counts
 * them, at least up to 3). Returns null unless at least half of the live neurons
 * (and at least one) occupy at most two bins; needs `bins >= 5` to mean anything.
 */
export function detectBinCollapse(
  values: Float32Array | Float64Array,
  occupied: ArrayLike<number>,
  S: number,
  bins: number,
  constantMask: Uint8Array,
  from: number,
  to: number,
  lo: number,
  hi: number,
): BinCollapse | null {
  if (bins < 5) return null;
  let live = 0;
  let collapsed = 0;
  for (let n = from; n < to; n++) {
    if (constantMask[n]) continue;
    live++;
    if (occupied[n] <= 2) collapsed++;
  }
  if (live === 0 || 2 * collapsed < live) return null;
  const means = new Float64Array(to - from);
  for (let n = from; n < to; n++) {
    let sum = 0;
    for (let s = 0; s < S; s++) sum += values[n * S + s] / S;
    means[n - from] = sum;
  }
  const sorted = Float64Array.from(means).sort();
  const center = sorted[Math.floor(sorted.length / 2)];
  let best = -1;
  let value = NaN;
  let neuron = from;
  let example = 0;
  for (let n = from; n < to; n++) {
    for (let s = 0; s < S; s++) {
      const v = values[n * S + s];
      const d = Math.abs(v - center);
      if (d > best) {
        best = d;
        value = v;
        neuron = n;
        example = s;
      }
    }
  }
  return { live, collapsed, lo, hi, value, neuron, example };
}
