/**
 * Writing a layer's elements, as they stream out of a file, straight into the activation set's
 * neuron-major values (no row-major copy of the layer is ever held).
 *
 * The element order is the file's: row-major (C), or column-major (Fortran) for rank <= 2.
 * Rank 1 is S x 1; rank 2 is S x N; rank 3 (S x T x D) keeps one token (`first`, `last`) or the
 * mean over tokens, summed in token order and divided by T (as reduceTokens in to-layer.ts, so
 * the values are identical); higher ranks are flattened per example.
 */
import type { ActivationValues } from '../core/activations/activation-set.js';
import type { TokenReduction } from './to-layer.js';

/** How a layer's elements map to neurons. */
export interface LayerShape {
  shape: readonly number[];
  fortranOrder: boolean;
  token: TokenReduction;
}

/** Neurons of a layer of this shape (rank 3: D; otherwise the product of the trailing axes). */
export function layerNeurons(l: LayerShape): number {
  const [, ...rest] = l.shape;
  if (l.shape.length === 3) return rest[1];
  return rest.reduce((p, d) => p * d, 1);
}

/** Whether the elements can be written as they stream (Fortran order only up to rank 2). */
export function streamable(l: LayerShape): boolean {
  return l.shape.length >= 1 && (!l.fortranOrder || l.shape.length <= 2);
}

/**
 * A writer for one layer whose first neuron is `first` in `dest` (S examples per neuron).
 * `write(start, v)` takes consecutive element batches; `finish()` completes a token mean. With
 * `keep` (ascending source neurons), only those neurons are written, the k-th of them as neuron
 * `first + k`; the others' elements are passed over.
 */
export function layerWriter(l: LayerShape, dest: ActivationValues, first: number, S: number, keep: Int32Array | null = null): { write: (start: number, v: Float32Array | Float64Array) => void; finish: () => void } {
  const base = first * S;
  const rank = l.shape.length;
  // slot[n]: where source neuron n goes (its position among the kept), -1 when passed over
  const all = layerNeurons(l);
  const slot = keep ? new Int32Array(all).fill(-1) : null;
  if (keep && slot) keep.forEach((n, k) => (slot[n] = k));
  if (rank === 1 || (rank === 2 && l.fortranOrder)) {
    // Neuron-major already: element e is neuron floor(e / S), example e % S.
    if (!slot) return { write: (start, v) => dest.set(v, base + start), finish: () => {} };
    return {
      write: (start, v) => {
        for (let i = 0; i < v.length; ) {
          const e = start + i;
          const n = Math.floor(e / S);
          const run = Math.min(v.length - i, (n + 1) * S - e);
          if (slot[n] >= 0) dest.set(v.subarray(i, i + run), base + slot[n] * S + (e - n * S));
          i += run;
        }
      },
      finish: () => {},
    };
  }
  if (rank === 3) {
    const T = l.shape[1];
    const D = l.shape[2];
    const W = T * D;
    if (l.token === 'mean') {
      return {
        write: (start, v) => {
          let s = Math.floor(start / W);
          let r = start - s * W;
          for (let i = 0; i < v.length; i++) {
            const d = slot ? slot[r % D] : r % D;
            if (d >= 0) dest[base + d * S + s] += v[i];
            if (++r === W) {
              r = 0;
              s++;
            }
          }
        },
        finish: () => {
          const end = base + (keep ? keep.length : D) * S;
          for (let i = base; i < end; i++) dest[i] /= T;
        },
      };
    }
    const t0 = l.token === 'first' ? 0 : T - 1;
    return {
      write: (start, v) => {
        let s = Math.floor(start / W);
        let r = start - s * W;
        for (let i = 0; i < v.length; i++) {
          const t = Math.floor(r / D);
          if (t === t0) {
            const d = slot ? slot[r - t * D] : r - t * D;
            if (d >= 0) dest[base + d * S + s] = v[i];
          }
          if (++r === W) {
            r = 0;
            s++;
          }
        }
      },
      finish: () => {},
    };
  }
  // Rank 2 in C order, or higher ranks flattened per example: row s holds W neurons.
  const W = layerNeurons(l);
  return {
    write: (start, v) => {
      let s = Math.floor(start / W);
      let n = start - s * W;
      for (let i = 0; i < v.length; i++) {
        if (!slot) dest[base + n * S + s] = v[i];
        else if (slot[n] >= 0) dest[base + slot[n] * S + s] = v[i];
        if (++n === W) {
          n = 0;
          s++;
        }
      }
    },
    finish: () => {},
  };
}
