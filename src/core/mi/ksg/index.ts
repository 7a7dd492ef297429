/**
 * Exact KSG mutual information (Kraskov et al. 2004, algorithm 1, max-norm, reference rule
 * radius = nextafter(eps, 0)), fast all-pairs kernel plus a brute-force oracle.
 *
 * Usage: createKsgStore -> prepareKsgNeuron for every neuron -> one KsgPairKernel per thread,
 * kernel.mi(store, i, store, j) per pair. ksgMI does all of that for one pair of raw arrays.
 * With { shared: true } the store's buffers are SharedArrayBuffers: post `meta` and `buffers` to
 * workers and rebuild with ksgStoreFromBuffers (no copy). Workers may prepare different neurons
 * concurrently; synchronise (e.g. a message) before reading a neuron another thread prepared.
 *
 * Modules: brute.ts (oracle), options.ts (count rule at eps = 0), layout.ts (grid geometry),
 * store.ts (per-neuron data), grid.ts (per-pair layout), search.ts / search3.ts (k-th neighbour
 * distance in a grid), sweep.ts (the same by a one-dimensional sweep), search-rule.ts (which
 * search for which point), marginal.ts (marginal counts), ulp.ts (nextafter), kernel.ts (the pair kernel),
 * js.ts / wasm.ts (its two engines, bit-identical; wasm.ts runs asm/ksg.ts compiled to
 * WebAssembly, embedded in the generated wasm-binary.ts by `npm run build:wasm`).
 */
import { KsgPairKernel } from './kernel.js';
import type { KsgOptions } from './options.js';
import { createKsgStore, prepareKsgNeuron } from './store.js';

export type { KsgStore, KsgStoreMeta } from './store.js';
export { createKsgStore, ksgStoreBytesPerNeuron, ksgStoreFromBuffers, ksgStoreHead, prepareKsgNeuron } from './store.js';
export { KsgPairKernel } from './kernel.js';
export type { KsgCountRule, KsgEngine, KsgOptions } from './options.js';
export { ksgWasmAvailable } from './wasm.js';
export { ksgBrute } from './brute.js';

/** KSG MI (nats) of one pair of raw arrays (equal length S >= k + 1), k default 3. */
export function ksgMI(x: Float64Array, y: Float64Array, k = 3, options?: KsgOptions): number {
  const S = x.length;
  if (y.length !== S) throw new RangeError(`ksgMI: x and y differ in length (${S} vs ${y.length})`);
  const store = createKsgStore(2, S, k);
  prepareKsgNeuron(store, 0, x);
  prepareKsgNeuron(store, 1, y);
  return new KsgPairKernel(S, k, options).mi(store, 0, store, 1);
}
