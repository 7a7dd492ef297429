import type { BinCodeArray } from '../../binning/bin-codes.js';
import { nLogNTable } from '../../entropy/n-log-n.js';

/**
 * Binned neurons ready for pairwise MI: neuron-major bin codes plus, per neuron, the marginal
 * sum of c ln c over its bin counts and its number of occupied bins. Plain data over (possibly
 * shared) buffers, so a worker thread can rebuild it without copying.
 */
export interface BinnedStore {
  readonly neurons: number;
  readonly samples: number;
  readonly bins: number;
  readonly codes: BinCodeArray;
  /** sum over bins of c ln c, per neuron. */
  readonly sumNLogN: Float64Array;
  /** number of occupied bins, per neuron. */
  readonly occupied: Int32Array;
}

export function createBinnedStore(codes: BinCodeArray, neurons: number, samples: number, bins: number, shared = false): BinnedStore {
  if (codes.length !== neurons * samples) throw new RangeError(`binned store: ${codes.length} codes for ${neurons} x ${samples}`);
  const sumNLogN = new Float64Array(shared ? new SharedArrayBuffer(8 * neurons) : new ArrayBuffer(8 * neurons));
  const occupied = new Int32Array(shared ? new SharedArrayBuffer(4 * neurons) : new ArrayBuffer(4 * neurons));
  const counts = new Int32Array(bins);
  const table = nLogNTable(samples);
  for (let n = 0; n < neurons; n++) {
    counts.fill(0);
    const base = n * samples;
    for (let s = 0; s < samples; s++) counts[codes[base + s]]++;
    let sum = 0;
    let m = 0;
    for (let b = 0; b < bins; b++) {
      const c = counts[b];
      if (c > 0) {
        sum += table[c];
        m++;
      }
    }
    sumNLogN[n] = sum;
    occupied[n] = m;
  }
  return { neurons, samples, bins, codes, sumNLogN, occupied };
}
