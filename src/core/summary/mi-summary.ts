import { histogram, type Histogram } from './histogram.js';
import { quantileSorted } from './quantile.js';

/**
 * Summary of the MI values of a block of the N x N matrix: the pairs (i, j) with i in `rows`
 * and j in `cols` (a layer's own block when both are the layer's neurons).
 * `mean` and `median` are over distinct pairs i != j, each unordered pair counted once when the
 * block is square and symmetric; `meanWithDiagonal` is the plain mean over every cell of the
 * block, diagonal included (the reference's `np.mean` of the matrix).
 */
export interface MiSummary {
  pairs: number;
  mean: number;
  meanWithDiagonal: number;
  median: number;
  q1: number;
  q3: number;
  p95: number;
  min: number;
  max: number;
  histogram: Histogram;
}

/**
 * The summary of a block (its values times `scale`: a unit change); with `exclude`, neurons whose entry is 1 (constant, dead neurons) are
 * left out of every pair and of the diagonal.
 */
export function miBlockSummary(mi: Float64Array, N: number, from: number, to: number, histogramBins = 50, exclude?: Uint8Array, scale = 1): MiSummary {
  let m = 0;
  for (let i = from; i < to; i++) if (!exclude?.[i]) m++;
  const off = new Float64Array((m * (m - 1)) / 2);
  let k = 0;
  let all = 0;
  for (let i = from; i < to; i++) {
    if (exclude?.[i]) continue;
    all += mi[i * N + i] * scale;
    for (let j = i + 1; j < to; j++) {
      if (exclude?.[j]) continue;
      const v = mi[i * N + j] * scale;
      off[k++] = v;
      all += 2 * v;
    }
  }
  return { ...valuesSummary(off, histogramBins, true), meanWithDiagonal: m > 0 ? all / (m * m) : NaN };
}

/**
 * The summary of the sampled pairs (`pairs` = [i0, j0, ...], `values` their MI) that lie in the
 * block from..to (both neurons), leaving out neurons marked in `exclude`; `meanWithDiagonal`
 * is NaN (no diagonal was measured).
 */
export function pairListSummary(pairs: Int32Array, values: Float64Array, from: number, to: number, histogramBins = 50, exclude?: Uint8Array): MiSummary {
  const picked: number[] = [];
  for (let p = 0; p < values.length; p++) {
    const i = pairs[2 * p];
    const j = pairs[2 * p + 1];
    if (i < from || i >= to || j < from || j >= to || exclude?.[i] || exclude?.[j]) continue;
    picked.push(values[p]);
  }
  return { ...valuesSummary(Float64Array.from(picked), histogramBins), meanWithDiagonal: NaN };
}

/** Mean, quantiles and histogram of a list of MI values. */
export function valuesSummary(values: Float64Array, histogramBins = 50, sortInPlace = false): Omit<MiSummary, 'meanWithDiagonal'> {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  // in place when the caller's array is its own copy (an N x N block's triangle: 10 GB at N = 50,000)
  const sorted = sortInPlace ? values.sort() : Float64Array.from(values).sort();
  return {
    pairs: n,
    mean: n ? sum / n : NaN,
    median: quantileSorted(sorted, 0.5),
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
    p95: quantileSorted(sorted, 0.95),
    min: n ? sorted[0] : NaN,
    max: n ? sorted[n - 1] : NaN,
    histogram: histogram(values, histogramBins),
  };
}
