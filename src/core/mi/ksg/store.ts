/**
 * Per-neuron precomputation for the fast KSG kernel, in flat typed arrays (optionally shared
 * between worker threads).
 *
 * For neuron n (slices of length S = samples unless noted):
 * - `sorted[n*sortedStride + pad + r]` the neuron's values in ascending order (ties: by sample
 *   index), with `pad` guards on each side: -Infinity before rank 0, +Infinity after rank S-1;
 * - `order[n*S + r]`   the sample index holding rank r (sorted[r] = values[order[r]]);
 * - `rank[n*S + s]`    the rank of sample s (inverse of order);
 * - `colOfRank[n*S + r]` the column (see layout.ts) that rank r falls into;
 * - `colStart[n*(maxCols+1) + c]` first rank of column c; entry numCols[n] is S;
 * - `colScale[n*maxCols + c]` (len - 1) / (max - min) of column c's values (0 if all equal),
 *   used only to guess positions by interpolation (every guess is then fixed exactly);
 * - `numCols[n]` number of columns;
 * - `stamp[n]` how many times neuron n has been prepared: > 0 once it is, and a version of its
 *   slices (kernels that keep a neuron's data between pairs check it).
 * (layout.ts describes columns and guards.)
 * Column c holds ranks colStart[c] .. colStart[c+1]-1; its min value is that of rank colStart[c]
 * and its max that of rank colStart[c+1]-1; a run of equal values never spans two columns, so
 * max(c) < min(c+1) strictly.
 */
import { ksgLayout } from './layout.js';
import { checkSizes } from './options.js';

export interface KsgStoreMeta {
  neurons: number;
  samples: number;
  k: number;
  colWidth: number;
  maxCols: number;
  pad: number;
  sortedStride: number;
  /** 1 when colOfRank is a Uint16Array, 0 when Int32Array. */
  smallCols: number;
}

export interface KsgStore {
  readonly meta: KsgStoreMeta;
  /** [sorted, order, rank, colOfRank, colStart, colScale, numCols, stamp] */
  readonly buffers: ArrayBufferLike[];
  readonly sorted: Float64Array;
  readonly order: Int32Array;
  readonly rank: Int32Array;
  readonly colOfRank: Uint16Array | Int32Array;
  readonly colStart: Int32Array;
  readonly colScale: Float64Array;
  readonly numCols: Int32Array;
  /**
   * The number of times prepareKsgNeuron(n) has run: > 0 once neuron n is prepared, and a
   * version of its slices.
   */
  readonly stamp: Int32Array;
}

function alloc(bytes: number, shared: boolean): ArrayBufferLike {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/** Allocate storage for `neurons` prepared neurons of `samples` values. */
export function createKsgStore(
  neurons: number,
  samples: number,
  k: number,
  options?: { shared?: boolean },
): KsgStore {
  if (!Number.isInteger(neurons) || neurons < 0) throw new RangeError(`createKsgStore: bad neurons ${neurons}`);
  checkSizes(samples, k);
  const shared = options?.shared === true;
  const { colWidth, maxCols, pad, sortedStride } = ksgLayout(samples, k);
  const smallCols = maxCols <= 0xffff ? 1 : 0;
  const N = neurons;
  const S = samples;
  const buffers = [
    alloc(N * sortedStride * 8, shared),
    alloc(N * S * 4, shared),
    alloc(N * S * 4, shared),
    alloc(N * S * (smallCols ? 2 : 4), shared),
    alloc(N * (maxCols + 1) * 4, shared),
    alloc((N * maxCols + 1) * 8, shared), // +1: marginal.ts may peek one column past the last
    alloc(N * 4, shared),
    alloc(N * 4, shared),
  ];
  const meta: KsgStoreMeta = {
    neurons: N,
    samples: S,
    k,
    colWidth,
    maxCols,
    pad,
    sortedStride,
    smallCols,
  };
  return ksgStoreFromBuffers(meta, buffers);
}

/** Bytes one prepared neuron of `samples` values takes in a store (every buffer's share). */
export function ksgStoreBytesPerNeuron(samples: number, k: number): number {
  const { maxCols, sortedStride } = ksgLayout(samples, k);
  const smallCols = maxCols <= 0xffff;
  return sortedStride * 8 + samples * 4 + samples * 4 + samples * (smallCols ? 2 : 4) + (maxCols + 1) * 4 + maxCols * 8 + 4 + 4;
}

/**
 * The first `neurons` neurons of a store (a store allocated for more reused for a smaller
 * block: every buffer is laid out neuron by neuron, so its views stay valid).
 */
export function ksgStoreHead(meta: KsgStoreMeta, neurons: number): KsgStoreMeta {
  if (!(Number.isInteger(neurons) && neurons >= 0 && neurons <= meta.neurons)) throw new RangeError(`ksgStoreHead: ${neurons} of ${meta.neurons} neurons`);
  return { ...meta, neurons };
}

/** Rebuild a store's views over buffers made by createKsgStore (e.g. posted to a worker). */
export function ksgStoreFromBuffers(meta: KsgStoreMeta, buffers: ArrayBufferLike[]): KsgStore {
  if (buffers.length !== 8) throw new RangeError(`ksgStoreFromBuffers: expected 8 buffers, got ${buffers.length}`);
  const m: KsgStoreMeta = { ...meta };
  const b = buffers;
  return {
    meta: m,
    buffers: b.slice(),
    sorted: new Float64Array(b[0]),
    order: new Int32Array(b[1]),
    rank: new Int32Array(b[2]),
    colOfRank: m.smallCols ? new Uint16Array(b[3]) : new Int32Array(b[3]),
    colStart: new Int32Array(b[4]),
    colScale: new Float64Array(b[5]),
    numCols: new Int32Array(b[6]),
    stamp: new Int32Array(b[7]),
  };
}

/**
 * Fill neuron n's slices from its `samples` values (not modified). Throws RangeError on a
 * non-finite value. Writes only neuron n's slices.
 */
export function prepareKsgNeuron(store: KsgStore, n: number, values: Float64Array): void {
  const { neurons, samples: S, colWidth, pad, sortedStride } = store.meta;
  if (!Number.isInteger(n) || n < 0 || n >= neurons) throw new RangeError(`prepareKsgNeuron: neuron ${n} out of range`);
  if (values.length !== S) throw new RangeError(`prepareKsgNeuron: expected ${S} values, got ${values.length}`);
  for (let s = 0; s < S; s++) {
    if (!Number.isFinite(values[s])) throw new RangeError(`prepareKsgNeuron: non-finite value at sample ${s}`);
  }
  const nb = n * S;
  const order = store.order.subarray(nb, nb + S);
  sortOrder(values, order);
  const sorted = store.sorted;
  const rank = store.rank;
  const base = n * sortedStride + pad; // rank 0 of neuron n in `sorted`
  for (let r = 0; r < S; r++) {
    const s = order[r];
    sorted[base + r] = values[s];
    rank[nb + s] = r;
  }
  sorted.fill(-Infinity, base - pad, base);
  sorted.fill(Infinity, base + S, base + S + pad);
  // columns (layout.ts): whole runs of equal values, ~colWidth ranks each, big runs alone
  const bigRun = colWidth >> 1;
  let c = 0;
  let start = 0; // first rank of the open column
  let r = 0; // first rank of the next run
  while (r < S) {
    let e = r + 1; // run = ranks r .. e-1
    const v = sorted[base + r];
    while (e < S && sorted[base + e] === v) e++;
    const big = e - r > bigRun;
    if (big && r > start) {
      closeColumn(store, n, c++, start, r);
      start = r;
    }
    r = e;
    if (big || r - start >= colWidth || r === S) {
      closeColumn(store, n, c++, start, r);
      start = r;
    }
  }
  store.colStart[n * (store.meta.maxCols + 1) + c] = S;
  store.numCols[n] = c;
  Atomics.add(store.stamp, n, 1);
}

/**
 * Neuron n of `dst` becomes neuron m of `src` with its examples reordered (value s = value
 * perm[s]; `inverse` = perm^-1): the sorted values and columns are the same, only which example
 * holds which rank changes (order'[r] = inverse[order[r]], rank'[s] = rank[perm[s]]). O(S), no
 * sort. The stores must have the same samples and k.
 */
export function permuteKsgNeuron(dst: KsgStore, n: number, src: KsgStore, m: number, perm: Int32Array, inverse: Int32Array): void {
  const { samples: S, sortedStride, maxCols } = dst.meta;
  if (src.meta.samples !== S || src.meta.k !== dst.meta.k) throw new RangeError('permuteKsgNeuron: stores of other sizes');
  dst.sorted.set(src.sorted.subarray(m * sortedStride, (m + 1) * sortedStride), n * sortedStride);
  dst.colOfRank.set(src.colOfRank.subarray(m * S, (m + 1) * S), n * S);
  dst.colStart.set(src.colStart.subarray(m * (maxCols + 1), (m + 1) * (maxCols + 1)), n * (maxCols + 1));
  dst.colScale.set(src.colScale.subarray(m * maxCols, (m + 1) * maxCols), n * maxCols);
  dst.numCols[n] = src.numCols[m];
  const so = m * S;
  const d = n * S;
  for (let r = 0; r < S; r++) dst.order[d + r] = inverse[src.order[so + r]];
  for (let s = 0; s < S; s++) dst.rank[d + s] = src.rank[so + perm[s]];
  Atomics.add(dst.stamp, n, 1);
}

/** Record column c = ranks start .. end-1 of neuron n. */
function closeColumn(store: KsgStore, n: number, c: number, start: number, end: number): void {
  const { samples: S, maxCols, sortedStride, pad } = store.meta;
  const base = n * sortedStride + pad;
  store.colStart[n * (maxCols + 1) + c] = start;
  const lo = store.sorted[base + start];
  const hi = store.sorted[base + end - 1];
  store.colScale[n * maxCols + c] = hi > lo ? (end - 1 - start) / (hi - lo) : 0;
  const colOfRank = store.colOfRank;
  for (let r = start; r < end; r++) colOfRank[n * S + r] = c;
}

/**
 * order[r] = index of the sample of rank r: ascending by value, equal values by index.
 * (-0 and 0 are equal values.)
 */
function sortOrder(values: Float64Array, order: Int32Array): void {
  const S = values.length;
  for (let s = 0; s < S; s++) order[s] = s;
  order.sort((a, b) => values[a] - values[b] || a - b);
}
