/**
 * Turns one batch of a layer's output (B x ...) into B x N rows.
 *
 * rank 1 -> B x 1; rank 2 as is; rank 3 (B x T x D) is a token sequence reduced by `token`
 * (`first` = [CLS], `last`, `mean`; with an attention mask, `last` is the last real token and
 * `mean` averages real tokens only); rank >= 4 is a conv map: `pool: 'avg'` averages over the
 * spatial axes (channels first for ONNX, channels last for TF.js), `pool: 'none'` flattens.
 */
import type { TokenReduction } from '../inputs/to-layer.js';

export type Pooling = 'none' | 'avg';
export type ChannelAxis = 'first' | 'last';

export interface ReduceOptions {
  token: TokenReduction;
  pool: Pooling;
  /** Where a conv map's channel axis is: after the batch axis (ONNX, NCHW) or last (TF.js, NHWC). */
  channels: ChannelAxis;
  /** B x T attention mask (1 = real token) for rank-3 outputs whose T matches. */
  mask?: ArrayLike<number | bigint>;
}

/** Neurons per example of an output of shape `dims` (B first) under `opts`. */
export function reducedWidth(dims: readonly number[], opts: Pick<ReduceOptions, 'pool' | 'channels'>): number {
  if (dims.length <= 1) return 1;
  if (dims.length === 2) return dims[1];
  if (dims.length === 3) return dims[2];
  if (opts.pool === 'avg') return opts.channels === 'first' ? dims[1] : dims[dims.length - 1];
  return dims.slice(1).reduce((p, d) => p * d, 1);
}

/** How a layer of this rank is reduced, for the sidecar and messages. */
export function describeReduction(rank: number, opts: Pick<ReduceOptions, 'token' | 'pool'>): string {
  if (rank <= 2) return 'none';
  if (rank === 3) return `token:${opts.token}`;
  return opts.pool === 'avg' ? 'pool:avg' : 'flatten';
}

/**
 * Writes the B reduced rows of `src` (shape `dims`) into `out` starting at row `row0`
 * (`out` is S x N row-major with N = {@link reducedWidth}). Only the first `rows` examples are
 * written (the rest of a padded batch is ignored).
 */
export function reduceInto(src: ArrayLike<number>, dims: readonly number[], opts: ReduceOptions, out: Float64Array, row0: number, rows: number): void {
  const N = reducedWidth(dims, opts);
  if (dims.length <= 2) {
    for (let i = 0; i < rows * N; i++) out[row0 * N + i] = src[i];
    return;
  }
  if (dims.length === 3) {
    const [, T, D] = dims;
    const mask = opts.mask !== undefined && opts.mask.length === dims[0] * T ? opts.mask : undefined;
    for (let b = 0; b < rows; b++) {
      const base = b * T * D;
      const o = (row0 + b) * D;
      if (opts.token === 'mean') {
        let count = 0;
        for (let t = 0; t < T; t++) {
          if (mask && Number(mask[b * T + t]) === 0) continue;
          count++;
          for (let d = 0; d < D; d++) out[o + d] += src[base + t * D + d];
        }
        const c = Math.max(count, 1);
        for (let d = 0; d < D; d++) out[o + d] /= c;
      } else {
        let t = 0;
        if (opts.token === 'last') {
          t = T - 1;
          if (mask) while (t > 0 && Number(mask[b * T + t]) === 0) t--;
        } else if (mask) {
          while (t < T - 1 && Number(mask[b * T + t]) === 0) t++;
        }
        for (let d = 0; d < D; d++) out[o + d] = src[base + t * D + d];
      }
    }
    return;
  }
  const per = dims.slice(1).reduce((p, d) => p * d, 1);
  if (opts.pool === 'none') {
    for (let i = 0; i < rows * per; i++) out[row0 * per + i] = src[i];
    return;
  }
  if (opts.channels === 'first') {
    const C = dims[1];
    const P = per / C;
    for (let b = 0; b < rows; b++) {
      for (let c = 0; c < C; c++) {
        let s = 0;
        const base = b * per + c * P;
        for (let p = 0; p < P; p++) s += src[base + p];
        out[(row0 + b) * C + c] = s / P;
      }
    }
  } else {
    const C = dims[dims.length - 1];
    const P = per / C;
    for (let b = 0; b < rows; b++) {
      const o = (row0 + b) * C;
      for (let p = 0; p < P; p++) {
        const base = b * per + p * C;
        for (let c = 0; c < C; c++) out[o + c] += src[base + c];
      }
      for (let c = 0; c < C; c++) out[o + c] /= P;
    }
  }
}
