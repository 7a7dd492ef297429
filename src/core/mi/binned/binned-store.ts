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
  const store = emptyBinnedStore(neurons, samples, bins, shared, inPlace ? binCodes : undefined);
  if (!inPlace) store.codes.set(binCodes);
  for (let n = 0; n < neurons; n++) compactBinnedNeuron(store, n);
  return store;
}

/** A store of `neurons` slots to fill with codes, then compactBinnedNeuron (over `codes` when given). */
export function emptyBinnedStore(neurons: number, samples: number, bins: number, shared = false, codes?: BinCodeArray): BinnedStore {
  const buf = (bytes: number): ArrayBufferLike => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    neurons,
    samples,
    bins,
    codes: codes ?? allocateCodes(bins, neurons * samples, shared),
    sumNLogN: new Float64Array(buf(8 * neurons)),
    occupied: new Int32Array(buf(4 * neurons)),
  };
}

/**
 * Compacts slot n's raw bin codes in place (occupied bins renumbered 0..m-1 in bin order) and
 * records its sum of c ln c and occupied bins m. Writes only slot n.
 */
export function compactBinnedNeuron(store: BinnedStore, n: number): void {
  const { samples, bins, codes } = store;
  const counts = new Int32Array(bins);
  const dense = new Int32Array(bins);
  const base = n * samples;
  for (let s = 0; s < samples; s++) counts[codes[base + s]]++;
  let sum = 0;
  let m = 0;
  for (let b = 0; b < bins; b++) {
    const c = counts[b];
    if (c > 0) {
      sum += nLogN(c);
      dense[b] = m++;
    }
  }
  for (let s = 0; s < samples; s++) codes[base + s] = dense[codes[base + s]];
  store.sumNLogN[n] = sum;
  store.occupied[n] = m;
}
