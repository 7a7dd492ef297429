/**
 * KSG (Kraskov, Stoegbauer & Grassberger 2004, algorithm 1) as a registered pairwise MI
 * estimator (../estimator.ts): each neuron z-scored and jittered as the options say, in float64,
 * then prepared (store.ts: sorted values, ranks, columns); pairs by KsgPairKernel (kernel.ts).
 */
import type { EstimatorOptions, NeuronInput, PairwiseMiEstimator } from '../estimator.js';
import { jitterInPlace } from '../../transform/jitter.js';
import { zscoreInPlace } from '../../transform/zscore.js';
import { KsgPairKernel } from './kernel.js';
import { createKsgStore, ksgStoreBytesPerNeuron, permuteKsgNeuron, prepareKsgNeuron, type KsgStore } from './store.js';

export interface KsgMiStore {
  readonly neurons: number;
  readonly samples: number;
  readonly ksg: KsgStore;
}

/**
 * The float64 values KSG sees for one neuron, into `dst` (S values): the activations, z-scored
 * and jittered per `o`, then permuted when the input says so (value s of the result is value
 * permutation[s] of the transformed neuron).
 */
export function ksgNeuronValues(input: NeuronInput, o: EstimatorOptions, dst: Float64Array, scratch?: Float64Array): void {
  const S = dst.length;
  const perm = input.permutation;
  const tmp = perm ? (scratch && scratch.length >= S ? scratch.subarray(0, S) : new Float64Array(S)) : dst;
  const src = input.values;
  for (let i = 0; i < S; i++) tmp[i] = src[i];
  if (o.scale === 'zscore') zscoreInPlace(tmp, S);
  if (o.jitter > 0) jitterInPlace(tmp, S, o.jitter, o.seed, Uint32Array.of(input.id));
  if (perm) for (let i = 0; i < S; i++) dst[i] = tmp[perm[i]];
}

// per-thread scratch for prepareNeuron (one neuron at a time per thread)
let scratchA = new Float64Array(0);
let scratchB = new Float64Array(0);

export const ksgEstimator: PairwiseMiEstimator<KsgMiStore, null> = {
  name: 'ksg',
  label: 'KSG',
  help: "KSG (Kraskov et al. 2004, alg. 1), exact: the paper's",
  reads: ['k', 'scale', 'jitter', 'seed'],
  describe: (o) => `KSG algorithm 1, k = ${o.k}, ${o.scale === 'zscore' ? 'z-scored' : 'raw values'}${o.jitter > 0 ? `, jitter ${o.jitter}` : ''}`,
  minSamples: (o) => o.k + 1,
  nsPerPairSample: 150,
  plan: () => null,
  bytesPerNeuron: (S, o) => ksgStoreBytesPerNeuron(S, o.k),
  createStore: (neurons, samples, o, _plan, shared) => ({ neurons, samples, ksg: createKsgStore(neurons, samples, o.k, { shared }) }),
  prepareNeuron(store, slot, input, o) {
    const S = store.samples;
    if (scratchA.length < S) {
      scratchA = new Float64Array(S);
      scratchB = new Float64Array(S);
    }
    const values = scratchA.subarray(0, S);
    ksgNeuronValues(input, o, values, scratchB);
    prepareKsgNeuron(store.ksg, slot, values);
  },
  permutePrepared: (dst, slot, src, srcSlot, perm, inverse) => permuteKsgNeuron(dst.ksg, slot, src.ksg, srcSlot, perm, inverse),
  pairKernel(a, b) {
    const kernel = new KsgPairKernel(a.samples, a.ksg.meta.k);
    return (i, j) => kernel.mi(a.ksg, i, b.ksg, j);
  },
};
