/**
 * Plug-in MI over bins as a registered pairwise MI estimator (../estimator.ts): each neuron's
 * values binned on the same edges as its entropy (the binning strategy of the options, over the
 * whole set), codes compacted per neuron (binned-store.ts); pairs by BinnedMiKernel.
 */
import { binCodes } from '../../binning/bin-codes.js';
import { binningStrategies, type BinEdges } from '../../binning/strategy/index.js';
import type { PairwiseMiEstimator } from '../estimator.js';
import { BinnedMiKernel } from './binned-mi-kernel.js';
import { compactBinnedNeuron, emptyBinnedStore, type BinnedStore } from './binned-store.js';

export interface BinnedMiStore extends BinnedStore {
  readonly millerMadow: boolean;
}

let scratch: Uint8Array | Uint16Array = new Uint8Array(0);

export const binnedEstimator: PairwiseMiEstimator<BinnedMiStore, BinEdges> = {
  name: 'binned',
  label: 'binned MI',
  help: "plug-in MI on the entropy's bins (biased up, ~(B-1)^2/2S)",
  reads: ['bins', 'binning', 'millerMadow'],
  describe: (o) => `binned plug-in, ${o.bins} ${o.binning} bins${o.millerMadow ? ', Miller-Madow' : ''}`,
  minSamples: () => 1,
  resampling: 'bootstrap',
  nsPerPairSample: 2,
  plan: (set, o, extents) => binningStrategies[o.binning](set, o.bins, extents),
  bytesPerNeuron: (S, o) => S * (o.bins <= 256 ? 1 : 2) + 12,
  createStore: (neurons, samples, o, _plan, shared) => ({ ...emptyBinnedStore(neurons, samples, o.bins, shared), millerMadow: o.millerMadow }),
  prepareNeuron(store, slot, input, o, plan) {
    const S = store.samples;
    const W = o.bins + 1;
    const edges = plan.edges.subarray(input.neuron * W, (input.neuron + 1) * W);
    const perm = input.permutation;
    if (!perm) binCodes(input.values, edges, o.bins, plan.equalWidth, store.codes, slot * S);
    else {
      // permuting codes keeps every count (hence the entropy terms) unchanged
      if (scratch.length < S || scratch.BYTES_PER_ELEMENT !== store.codes.BYTES_PER_ELEMENT) scratch = store.codes.BYTES_PER_ELEMENT === 1 ? new Uint8Array(S) : new Uint16Array(S);
      const tmp = scratch.subarray(0, S);
      binCodes(input.values, edges, o.bins, plan.equalWidth, tmp, 0);
      for (let s = 0; s < S; s++) store.codes[slot * S + s] = tmp[perm[s]];
    }
    compactBinnedNeuron(store, slot);
  },
  permutePrepared(dst, slot, src, srcSlot, perm) {
    const S = dst.samples;
    for (let s = 0; s < S; s++) dst.codes[slot * S + s] = src.codes[srcSlot * S + perm[s]];
    dst.sumNLogN[slot] = src.sumNLogN[srcSlot];
    dst.occupied[slot] = src.occupied[srcSlot];
  },
  pairKernel(a, b) {
    const kernel = new BinnedMiKernel(a.samples, a.bins, a.millerMadow);
    return (i, j) => kernel.mi(a, i, b, j);
  },
};
