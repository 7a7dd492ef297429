import { clusterOrder } from '../core/cluster/hierarchical.js';
import { quantileSorted } from '../core/summary/quantile.js';
import { encodeBase64, indexedPng } from './png.js';
import { viridisRgb } from './vega-render.js';
import { MISSING } from './theme.js';

/** Largest number of cells per side of a drawn heatmap. */
export const MAX_CELLS = 256;

/** A heatmap of an MI block, reordered and downsampled, with its raster image. */
export interface HeatmapData {
  /** Cells per side. */
  cells: number;
  /** Neurons per side. */
  neurons: number;
  /** Cell values, row-major cells x cells (NaN: no off-diagonal pair in the cell). */
  values: Float64Array;
  /** Colour scale domain: [min, 99th percentile] of the cell values; larger values are clipped. */
  domain: [number, number];
  /** Segment boundaries and labels in cell units (one segment per layer). */
  segments: { label: string; from: number; to: number }[];
  /** Data URL of the indexed PNG of the cells (one pixel per cell). */
  png: string;
}

/**
 * Builds the heatmap of the MI matrix restricted to the given segments (each a layer's neuron
 * indices into the N x N matrix). Within each segment the neurons are put in dendrogram order of
 * average-linkage clustering on the distance d(i, j) = max_{k != l} MI(k, l) - MI(i, j) over the
 * segment's own block (so strongly dependent neurons sit next to each other; the diagonal,
 * self-information, is ignored). Segments keep their given order. When a side has more than
 * MAX_CELLS neurons, consecutive (reordered) neurons are grouped - each segment receives cells in
 * proportion to its size, at least one - and a cell shows the mean MI over its off-diagonal pairs.
 */
export function buildHeatmap(mi: Float64Array, N: number, segments: { label: string; neurons: Int32Array }[], maxCells = MAX_CELLS): HeatmapData {
  const total = segments.reduce((a, s) => a + s.neurons.length, 0);
  const order: number[] = [];
  for (const seg of segments) {
    const m = seg.neurons.length;
    const sub = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = mi[seg.neurons[a] * N + seg.neurons[b]];
    const o = clusterOrder(sub, m, { kind: 'similarity' });
    for (const k of o) order.push(seg.neurons[k]);
  }
  // groups of consecutive ordered neurons
  const groups: [number, number][] = [];
  const segCells: { label: string; from: number; to: number }[] = [];
  let pos = 0;
  const downsample = total > maxCells;
  for (const seg of segments) {
    const m = seg.neurons.length;
    const c = downsample ? Math.max(1, Math.round((m * maxCells) / total)) : m;
    const from = groups.length;
    for (let g = 0; g < c; g++) groups.push([pos + Math.floor((g * m) / c), pos + Math.floor(((g + 1) * m) / c)]);
    segCells.push({ label: seg.label, from, to: groups.length });
    pos += m;
  }
  const cells = groups.length;
  const values = new Float64Array(cells * cells);
  for (let gi = 0; gi < cells; gi++)
    for (let gj = gi; gj < cells; gj++) {
      let s = 0;
      let n = 0;
      for (let a = groups[gi][0]; a < groups[gi][1]; a++)
        for (let b = groups[gj][0]; b < groups[gj][1]; b++) {
          if (a === b) continue;
          s += mi[order[a] * N + order[b]];
          n++;
        }
      const v = n > 0 ? s / n : NaN;
      values[gi * cells + gj] = v;
      values[gj * cells + gi] = v;
    }
  const finite = values.filter(Number.isFinite).sort();
  let lo = finite.length ? finite[0] : 0;
  let hi = finite.length ? quantileSorted(finite, 0.99) : 1;
  if (!(hi > lo)) {
    hi = lo + (Math.abs(lo) > 0 ? Math.abs(lo) * 1e-6 : 1e-9);
    lo = lo - (hi - lo);
  }
  const palette: [number, number, number][] = [hexRgb(MISSING)];
  for (let i = 0; i < 255; i++) palette.push(viridisRgb(i / 254));
  const pixels = new Uint8Array(cells * cells);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!Number.isFinite(v)) continue;
    const t = Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
    pixels[k] = 1 + Math.round(t * 254);
  }
  return { cells, neurons: total, values, domain: [lo, hi], segments: segCells, png: 'data:image/png;base64,' + encodeBase64(indexedPng(cells, cells, pixels, palette)) };
}

function hexRgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
