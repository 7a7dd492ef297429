import type { LayerMatrix } from '../core/activations/activation-set.js';
import { formatShape, type NdArray } from '../io/array.js';
import { InputError } from '../io/errors.js';

/** How a rank-3 (S x T x D) token array becomes S x D. `first` is the paper's [CLS] choice. */
export type TokenReduction = 'first' | 'last' | 'mean';

/**
 * Turns an array read from `file` into one layer of S x N activations:
 * rank 1 -> S x 1; rank 2 -> S x N as is; rank 3 (S x T x D) -> S x D by `token`;
 * higher ranks -> flattened per example, with a warning.
 * Refuses zero-size arrays and, unless `allowNonFinite` is set (the loader then drops such
 * examples itself), non-finite values (naming the example and column).
 */
export function arrayToLayer(
  a: NdArray,
  name: string,
  file: string,
  opts: { token?: TokenReduction; warn?: (msg: string) => void; allowNonFinite?: boolean } = {},
): LayerMatrix {
  const shape = a.shape;
  if (shape.length === 0) throw new InputError(file, `array '${name}' is a scalar; expected examples x neurons`);
  const S = shape[0];
  if (S === 0) throw new InputError(file, `array '${name}' has no examples (shape ${formatShape(shape)})`);
  let data: Float64Array = a.data;
  let N: number;
  if (shape.length === 1) N = 1;
  else if (shape.length === 2) N = shape[1];
  else if (shape.length === 3) {
    const T = shape[1];
    const D = shape[2];
    const token = opts.token ?? 'first';
    if (T === 0) throw new InputError(file, `array '${name}' has no tokens (shape ${formatShape(shape)})`);
    data = reduceTokens(a.data, S, T, D, token);
    N = D;
    opts.warn?.(`${file}: '${name}' is ${formatShape(shape)}; reduced over tokens with --token ${token}`);
  } else {
    N = shape.slice(1).reduce((p, d) => p * d, 1);
    opts.warn?.(`${file}: '${name}' has rank ${shape.length} (${formatShape(shape)}); flattened to ${S} x ${N} per example`);
  }
  if (N === 0) throw new InputError(file, `array '${name}' has no neurons (shape ${formatShape(shape)})`);
  for (let i = 0; i < data.length && opts.allowNonFinite !== true; i++) {
    if (!Number.isFinite(data[i])) {
      throw new InputError(file, `array '${name}' holds ${data[i]} at example ${Math.floor(i / N)}, neuron ${i % N} (NaN/Inf are refused; use --nan drop-examples to drop such examples)`);
    }
  }
  return { name, data, samples: S, neurons: N };
}

function reduceTokens(src: Float64Array, S: number, T: number, D: number, token: TokenReduction): Float64Array {
  const out = new Float64Array(S * D);
  for (let s = 0; s < S; s++) {
    const base = s * T * D;
    if (token === 'mean') {
      for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) out[s * D + d] += src[base + t * D + d];
      for (let d = 0; d < D; d++) out[s * D + d] /= T;
    } else {
      const t = token === 'first' ? 0 : T - 1;
      out.set(src.subarray(base + t * D, base + (t + 1) * D), s * D);
    }
  }
  return out;
}
