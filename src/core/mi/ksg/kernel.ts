/**
 * KsgPairKernel: exact KSG mutual information (algorithm 1, max-norm, see brute.ts for the
 * definition) between two prepared neurons, in about O(S) per pair.
 *
 * Per pair: grid.ts lays the points out by x-column and y-rank (counting sort); for every point
 * a sweep (sweep.ts) or a grid search (search.ts, search3.ts for k = 3; the grid possibly built
 * transposed), chosen by search-rule.ts, finds eps = its k-th neighbour distance (js.ts); marginal.ts counts
 * the points within the radius on each axis from the neurons' sorted values; the digamma sums
 * give I. Two engines do that work, with bit-for-bit identical results: WebAssembly (wasm.ts,
 * from asm/ksg.ts; the default where available) and JavaScript (js.ts). For k = 3 the
 * WebAssembly engine finds eps with fixed SIMD windows whose result is certified exact or else
 * completed by an exact scan (asm/ksg.ts, mi3; 1.4-1.6x the grid search per pair), in the
 * same order, so the results stay bit-for-bit the same. The result depends
 * only on the two neurons' values (and k, the count rule): the sums run in an order fixed by the
 * data, and no state survives between calls.
 * All scratch is allocated once per kernel (only at S >~ 10^5 may the cell table grow once).
 */
import { digammaTable } from '../../special/digamma.js';
import { JsPairEngine } from './js.js';
import { checkSizes, engineOption, searchOption, strictFlag, type KsgOptions } from './options.js';
import type { KsgStore } from './store.js';
import { ksgWasmAvailable, WasmPairEngine } from './wasm.js';

export class KsgPairKernel {
  readonly samples: number;
  readonly k: number;
  /** The engine this kernel runs every pair on. */
  readonly engine: 'wasm' | 'js';
  private readonly psi: Float64Array;
  private readonly impl: JsPairEngine | WasmPairEngine;

  constructor(samples: number, k: number, options?: KsgOptions) {
    checkSizes(samples, k);
    this.samples = samples;
    this.k = k;
    const strict = strictFlag(options);
    const want = engineOption(options);
    this.psi = digammaTable(samples);
    const wasm = want !== 'js' && ksgWasmAvailable();
    if (want === 'wasm' && !wasm) throw new Error('KsgPairKernel: WebAssembly engine unavailable');
    this.engine = wasm ? 'wasm' : 'js';
    this.impl = wasm ? new WasmPairEngine(samples, k, strict, this.psi, searchOption(options)) : new JsPairEngine(samples, k, strict, this.psi);
  }

  /** KSG MI (nats) between neuron i of store a (as x) and neuron j of store b (as y). */
  mi(a: KsgStore, i: number, b: KsgStore, j: number): number {
    const S = this.samples;
    if (a.meta.samples !== S || b.meta.samples !== S) throw new RangeError('KsgPairKernel: store samples differ from the kernel');
    if (!(i >= 0 && i < a.meta.neurons && a.stamp[i] > 0)) throw new RangeError(`KsgPairKernel: neuron ${i} of store a is not prepared`);
    if (!(j >= 0 && j < b.meta.neurons && b.stamp[j] > 0)) throw new RangeError(`KsgPairKernel: neuron ${j} of store b is not prepared`);
    const impl = this.impl;
    impl.run(a, i, b, j);
    const psi = this.psi;
    return psi[S] + psi[this.k] - impl.sumX / S - impl.sumY / S;
  }
}
