import { fitGmm, gmmDensity, type GaussianMixture } from '../core/density/gmm.js';
import { histogram, type Histogram } from '../core/summary/histogram.js';

/** A histogram on the density scale plus a fitted Gaussian-mixture density, ready to plot. */
export interface DensityPlotData {
  /** Bars: [x0, x1) with height count / (n width), so the bars integrate to 1. */
  bars: { x0: number; x1: number; density: number }[];
  /** The GMM density on an even grid over the plotted range (empty when no fit was possible). */
  curve: { x: number; density: number }[];
  model: GaussianMixture | null;
  /** Number of values represented. */
  n: number;
  /** How the mixture was fitted, in words. */
  fitNote: string;
}

/** Raw values up to this many are fitted directly; more are fitted on a fine histogram. */
export const RAW_FIT_LIMIT = 5000;
/** Bins of the fine histogram a large sample is fitted on. */
export const FIT_BINS = 400;
/** Bars drawn. */
export const DISPLAY_BINS = 60;

/**
 * Density data of raw values: DISPLAY_BINS bars; the GMM (components 1..6 by BIC, at most one per
 * 15 values, none narrower than a drawn bar) is fitted on the
 * values themselves when there are at most RAW_FIT_LIMIT of them, else on a FIT_BINS-bin histogram
 * (bin centres weighted by counts, variance floor = bin width^2 / 12, the variance of a value
 * spread evenly over one bin) - the same likelihood up to the binning, at a fraction of the cost.
 */
export function densityFromValues(values: Float64Array, range?: [number, number]): DensityPlotData {
  const finite = values.filter(Number.isFinite);
  const n = finite.length;
  if (n === 0) return { bars: [], curve: [], model: null, n: 0, fitNote: 'no values' };
  const display = histogram(finite, DISPLAY_BINS, range);
  let model: GaussianMixture | null = null;
  let fitNote: string;
  if (n <= RAW_FIT_LIMIT) {
    // no narrower than a drawn bar: the curve cannot spike above the bars on a few tied values
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of finite) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const bar = (hi - lo) / DISPLAY_BINS;
    model = safeFit(finite, undefined, bar > 0 ? (bar * bar) / 12 : undefined);
    fitNote = `GMM fitted to the ${n} values`;
  } else {
    const fine = histogram(finite, FIT_BINS);
    model = fitHistogram(fine);
    fitNote = `GMM fitted to a ${FIT_BINS}-bin histogram of the ${n} values`;
  }
  return finish(display, model, n, fitNote);
}

/** Density data of a stored histogram (results.json): the GMM is fitted to its weighted bin centres. */
export function densityFromHistogram(h: Histogram): DensityPlotData {
  const n = h.counts.reduce((a, b) => a + b, 0);
  if (n === 0 || h.edges.length < 2) return { bars: [], curve: [], model: null, n: 0, fitNote: 'no values' };
  return finish(h, fitHistogram(h), n, `GMM fitted to the ${h.counts.length}-bin histogram of results.json`);
}

function fitHistogram(h: Histogram): GaussianMixture | null {
  const width = h.edges[1] - h.edges[0];
  const centres = h.counts.map((_, i) => (h.edges[i] + h.edges[i + 1]) / 2);
  return safeFit(centres, h.counts, width > 0 ? (width * width) / 12 : undefined);
}

function safeFit(xs: ArrayLike<number>, weights?: ArrayLike<number>, varianceFloor?: number): GaussianMixture | null {
  try {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < xs.length; i++) {
      if (weights && !(weights[i] > 0)) continue;
      lo = Math.min(lo, xs[i]);
      hi = Math.max(hi, xs[i]);
    }
    if (!(hi > lo)) return null; // a single value has no density to draw
    // a component per 15 values at most (BIC alone picked 5 components for 15 pairs), up to 6
    let n = 0;
    for (let i = 0; i < xs.length; i++) n += weights ? weights[i] : 1;
    return fitGmm(xs, { weights, varianceFloor, maxComponents: Math.max(1, Math.min(6, Math.floor(n / 15))), seed: 0 });
  } catch {
    return null;
  }
}

function finish(h: Histogram, model: GaussianMixture | null, n: number, fitNote: string): DensityPlotData {
  const bars = h.counts.map((c, i) => {
    const w = h.edges[i + 1] - h.edges[i];
    return { x0: h.edges[i], x1: h.edges[i + 1], density: w > 0 ? c / (n * w) : 0 };
  });
  const lo = h.edges[0];
  const hi = h.edges[h.edges.length - 1];
  return { bars, curve: model ? curveOn(model, lo, hi) : [], model, n, fitNote: model ? fitNote : `${fitNote}; no mixture fitted (all values equal)` };
}

/** The mixture density at 241 even points of [lo, hi]. */
export function curveOn(model: GaussianMixture, lo: number, hi: number, points = 241): { x: number; density: number }[] {
  const xs = Float64Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
  const p = gmmDensity(model, xs);
  return Array.from(xs, (x, i) => ({ x, density: p[i] }));
}

/** The distinct pairs i < j of the block rows x rows of an N x N matrix (diagonal left out). */
export function offDiagonal(mi: Float64Array, N: number, rows: ArrayLike<number>): Float64Array {
  const m = rows.length;
  const out = new Float64Array((m * (m - 1)) / 2);
  let k = 0;
  for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) out[k++] = mi[rows[a] * N + rows[b]];
  return out;
}

/** 0..n-1 shifted by `from`. */
export function range(from: number, n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => from + i);
}
