import type { BinCodeArray } from '../binning/bin-codes.js';
import { nLogN } from './n-log-n.js';

/**
 * Plug-in (maximum-likelihood) entropy of binned values, in nats:
 *   H = -sum_b p_b ln p_b,  p_b = c_b / S,
 * over occupied bins only; one occupied bin gives 0. With `millerMadow`, the Miller-Madow bias
 * correction (m - 1) / (2 S) is added, m being the number of occupied bins.
 *
 * @example binnedEntropies(Uint8Array.of(0, 1, 2, 3), 1, 4, 4) // [ln 4]
 */
export function binnedEntropies(
  codes: BinCodeArray,
  neurons: number,
  samples: number,
  bins: number,
  millerMadow = false,
): Float64Array {
  const out = new Float64Array(neurons);
  const scratch = new PluginEntropyScratch(samples, bins);
  for (let n = 0; n < neurons; n++) out[n] = scratch.entropy(codes, n * samples, millerMadow);
  return out;
}

/**
 * Reusable counts for the plug-in entropy of one neuron's codes at a time. (c ln c is computed
 * for the at most B occupied bins: no table of S entries, which would take 8 S bytes.)
 */
export class PluginEntropyScratch {
  private readonly counts: Int32Array;
  private readonly lnS: number;
  /** Occupied bins of the last neuron measured. */
  occupied = 0;

  constructor(
    private readonly samples: number,
    private readonly bins: number,
  ) {
    this.counts = new Int32Array(bins);
    this.lnS = Math.log(samples);
  }

  /** Entropy of `codes[offset .. offset + samples)`. */
  entropy(codes: BinCodeArray, offset: number, millerMadow = false): number {
    const { counts, samples } = this;
    counts.fill(0);
    for (let s = 0; s < samples; s++) counts[codes[offset + s]]++;
    return this.fromCounts(millerMadow);
  }

  /**
   * Entropy of the codes at `rows` (`samples` of them, repeats allowed: a bootstrap replicate),
   * counted straight from the rows (no gathered copy): `codes[rows[0]], codes[rows[1]], ...`.
   */
  entropyAt(codes: BinCodeArray, rows: Int32Array, millerMadow = false): number {
    const { counts, samples } = this;
    counts.fill(0);
    for (let s = 0; s < samples; s++) counts[codes[rows[s]]]++;
    return this.fromCounts(millerMadow);
  }

  private fromCounts(millerMadow: boolean): number {
    const { counts, samples, bins } = this;
    let sum = 0;
    let occupied = 0;
    for (let b = 0; b < bins; b++) {
      const c = counts[b];
      if (c > 0) {
        sum += nLogN(c);
        occupied++;
      }
    }
    this.occupied = occupied;
    let h = occupied <= 1 ? 0 : this.lnS - sum / samples;
    if (millerMadow) h += (occupied - 1) / (2 * samples);
    return h;
  }
}
