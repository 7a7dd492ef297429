/**
 * Gaussian-copula MI (Ince et al. 2017) as a registered pairwise MI estimator
 * (../estimator.ts): each neuron's copula scores, centred and scaled to unit length
 * (correlation.ts), so that a pair's correlation is a dot product and a tile of the all-pairs
 * triangle one small matrix product; MI = -1/2 ln(1 - rho^2) (gcmi.ts), plus gcmi's bias
 * correction when asked. A neuron with itself: the largest MI a float64 correlation gives.
 * Tiles run on the WebAssembly engine (wasm.ts) where available; every product is summed in
 * dot2's order, so pairs, tiles and engines agree to the bit.
 */
import type { PairwiseMiEstimator } from '../estimator.js';
import { copulaQuantiles } from './copula.js';
import { correlationBlock, dot2, unitScoreRow } from './correlation.js';
import { GcmiWasmEngine, gcmiWasmAvailable } from './wasm.js';
import { gcmiBiasCorrection, miFromCorrelation } from './gcmi.js';

export interface GcmiStore {
  readonly neurons: number;
  readonly samples: number;
  /** Neuron-major unit scores. */
  readonly scores: Float64Array;
  /** Added to every pair of two different neurons (the bias correction, or 0). */
  readonly correction: number;
}

export interface GcmiPlan {
  /** copulaQuantiles(S). */
  readonly quantiles: Float64Array;
}

let scratch = new Float64Array(0);


export const gcmiEstimator: PairwiseMiEstimator<GcmiStore, GcmiPlan> = {
  name: 'gcmi',
  label: 'Gaussian-copula MI',
  help: 'Gaussian-copula MI (Ince et al. 2017): seconds, a lower bound',
  reads: ['biasCorrect'],
  describe: (o) => `Gaussian-copula (GCMI)${o.biasCorrect ? ', bias-corrected' : ''}`,
  minSamples: (o) => (o.biasCorrect ? 3 : 2),
  nsPerPairSample: 1,
  plan: (set) => ({ quantiles: copulaQuantiles(set.samples) }),
  resamplePlan: (_plan, size) => ({ quantiles: copulaQuantiles(size) }),
  bytesPerNeuron: (S) => 8 * S,
  createStore: (neurons, samples, o, _plan, shared) => ({
    neurons,
    samples,
    scores: new Float64Array(shared ? new SharedArrayBuffer(8 * neurons * samples) : new ArrayBuffer(8 * neurons * samples)),
    correction: o.biasCorrect ? gcmiBiasCorrection(samples) : 0,
  }),
  prepareNeuron(store, slot, input, _o, plan) {
    const S = store.samples;
    const row = store.scores.subarray(slot * S, (slot + 1) * S);
    const perm = input.permutation;
    if (!perm) {
      unitScoreRow(input.values, row, plan.quantiles);
      return;
    }
    // permuting unit scores keeps their mean and length
    if (scratch.length < S) scratch = new Float64Array(S);
    const tmp = scratch.subarray(0, S);
    unitScoreRow(input.values, tmp, plan.quantiles);
    for (let s = 0; s < S; s++) row[s] = tmp[perm[s]];
  },
  permutePrepared(dst, slot, src, srcSlot, perm) {
    const S = dst.samples;
    const from = srcSlot * S;
    const to = slot * S;
    for (let s = 0; s < S; s++) dst.scores[to + s] = src.scores[from + perm[s]];
  },
  pairKernel(a, b) {
    const S = a.samples;
    return (i, j) => (a === b && i === j ? miFromCorrelation(1) : miFromCorrelation(dot2(a.scores, i * S, b.scores, j * S, S)) + a.correction);
  },
  crossKernel(a, b) {
    const S = a.samples;
    const wasm = gcmiWasmAvailable() ? new GcmiWasmEngine() : null;
    let h0 = 0;
    let hn = 0;
    return {
      width: 64,
      hold(j0, j1) {
        h0 = j0;
        hn = j1 - j0;
        wasm?.hold(b.scores, j0, hn, S);
      },
      block(i0, i1, out) {
        if (wasm) wasm.crossHeld(a.scores, i0, i1 - i0, out);
        else for (let i = i0; i < i1; i++) for (let j = 0; j < hn; j++) out[(i - i0) * hn + j] = dot2(a.scores, i * S, b.scores, (h0 + j) * S, S);
        for (let k = 0; k < (i1 - i0) * hn; k++) out[k] = miFromCorrelation(out[k]) + a.correction;
      },
    };
  },
  tileKernel(store) {
    const n = store.neurons;
    const S = store.samples;
    const wasm = gcmiWasmAvailable() ? new GcmiWasmEngine() : null;
    return (i0, i1, j0, j1, out) => {
      if (wasm) wasm.block(store.scores, n, S, i0, i1, j0, j1, out);
      else correlationBlock(store.scores, n, S, i0, i1, j0, j1, out);
      for (let i = i0; i < i1; i++) {
        for (let j = Math.max(i, j0); j < j1; j++) {
          const v = i === j ? miFromCorrelation(1) : miFromCorrelation(out[i * n + j]) + store.correction;
          out[i * n + j] = v;
          out[j * n + i] = v;
        }
      }
    };
  },
};
