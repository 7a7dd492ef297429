/**
 * A toy pairwise MI estimator for the registry tests: the Gaussian MI of the Pearson
 * correlation of the raw values, -1/2 ln(1 - r^2) (no copula). Importing this module registers
 * it, with its own URL, so that worker threads can import it too.
 */
import type { PairwiseMiEstimator } from '../../src/core/mi/estimator.js';
import { hasMiEstimator, registerMiEstimator } from '../../src/core/mi/registry.js';

export interface ToyStore {
  readonly neurons: number;
  readonly samples: number;
  /** Centred rows of unit length. */
  readonly rows: Float64Array;
}

export function pearsonMI(r: number): number {
  return -0.5 * Math.log(Math.max(1e-300, 1 - r * r));
}

export const toyEstimator: PairwiseMiEstimator<ToyStore, null> = {
  name: 'toy-pearson',
  label: 'toy Pearson MI',
  help: 'toy: Gaussian MI of the Pearson correlation (tests only)',
  reads: [],
  describe: () => 'toy Pearson MI',
  minSamples: () => 2,
  nsPerPairSample: 1,
  plan: () => null,
  bytesPerNeuron: (S) => 8 * S,
  createStore: (neurons, samples, _o, _p, shared) => ({ neurons, samples, rows: new Float64Array(shared ? new SharedArrayBuffer(8 * neurons * samples) : new ArrayBuffer(8 * neurons * samples)) }),
  prepareNeuron(store, slot, input) {
    const S = store.samples;
    const row = store.rows.subarray(slot * S, (slot + 1) * S);
    let m = 0;
    for (let s = 0; s < S; s++) m += input.values[s];
    m /= S;
    let ss = 0;
    for (let s = 0; s < S; s++) {
      const v = input.values[input.permutation ? input.permutation[s] : s] - m;
      row[s] = v;
      ss += v * v;
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let s = 0; s < S; s++) row[s] *= inv;
  },
  pairKernel(a, b) {
    const S = a.samples;
    return (i, j) => {
      let r = 0;
      for (let s = 0; s < S; s++) r += a.rows[i * S + s] * b.rows[j * S + s];
      return pearsonMI(r);
    };
  },
};

if (!hasMiEstimator(toyEstimator.name)) registerMiEstimator(toyEstimator, import.meta.url);
