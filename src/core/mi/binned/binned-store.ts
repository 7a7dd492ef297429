import { allocateCodes, type BinCodeArray } from '../../binning/bin-codes.js';
import { nLogN } from '../../entropy/n-log-n.js';

/**
 * Binned neurons ready for pairwise MI: neuron-major codes plus, per neuron, the marginal sum of
 * c ln c over its bin counts and its number m of occupied bins. The codes are compacted: each
 * neuron's occupied bins are renumbered 0..m-1 in bin order, so a pair's joint table needs only
 * m_x x m_y cells (it stays in the L1 cache) while every count, hence every MI, is unchanged.
 * Plain data over (possibly shared) buffers, so a worker thread can rebuild it without copying.
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

/**
 * Builds the store from bin codes (neuron-major, values < bins). `binCodes` is not modified,
 * unless `inPlace`: then the compacted codes overwrite it (no second copy; its buffer must be
 * shared when `shared` is).
 */
export function createBinnedStore(binCodes: BinCodeArray, neurons: number, samples: number, bins: number, shared = false, inPlace = false): BinnedStore {
  if (binCodes.length !== neurons * samples) throw new RangeError(`binned store: ${binCodes.length} codes for ${neurons} x ${samples}`);
  const codes = inPlace ? binCodes : allocateCodes(bins, neurons * samples, shared);
  const dense = new Int32Array(bins);
  const sumNLogN = new Float64Array(shared ? new SharedArrayBuffer(8 * neurons) : new ArrayBuffer(8 * neurons));
  const occupied = new Int32Array(shared ? new SharedArrayBuffer(4 * neurons) : new ArrayBuffer(4 * neurons));
  const counts = new Int32Array(bins);
  for (let n = 0; n < neurons; n++) {
    counts.fill(0);
    const base = n * samples;
    for (let s = 0; s < samples; s++) counts[binCodes[base + s]]++;
    let sum = 0;
    let m = 0;
    for (let b = 0; b < bins; b++) {
      const c = counts[b];
      if (c > 0) {
        sum += nLogN(c);
        dense[b] = m++;
      }
    }
    for (let s = 0; s < samples; s++) codes[base + s] = dense[binCodes[base + s]];
    sumNLogN[n] = sum;
    occupied[n] = m;
  }
  return { neurons, samples, bins, codes, sumNLogN, occupied };
}
