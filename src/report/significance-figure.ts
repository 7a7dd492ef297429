/**
 * The MI of the pairs found significant against the rest: two overlaid histograms on shared bins
 * (counts), so the share of each MI level that survives the permutation test shows.
 */
import type { FigureDef } from './html.js';
import type { VlSpec } from './render.js';

/** The figure of tested pairs' MI values `mi` split by q <= fdr; null when nothing was tested. */
export function significanceFigure(mi: ArrayLike<number>, q: ArrayLike<number>, fdr: number, units: string, bins = 40): FigureDef | null {
  const n = mi.length;
  if (n === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(mi[k])) continue;
    lo = Math.min(lo, mi[k]);
    hi = Math.max(hi, mi[k]);
  }
  if (!(hi > lo)) hi = lo + 1e-9;
  const width = (hi - lo) / bins;
  const sig = new Float64Array(bins);
  const rest = new Float64Array(bins);
  let found = 0;
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(mi[k])) continue;
    const b = Math.min(bins - 1, Math.floor((mi[k] - lo) / width));
    if (q[k] <= fdr) {
      sig[b]++;
      found++;
    } else rest[b]++;
  }
  const values: { x0: number; x1: number; count: number; group: string }[] = [];
  for (let b = 0; b < bins; b++) {
    const x0 = lo + b * width;
    values.push({ x0, x1: x0 + width, count: sig[b], group: 'significant' }, { x0, x1: x0 + width, count: rest[b], group: 'not significant' });
  }
  const spec: VlSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'MI of significant pairs and the rest', subtitle: `${found.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} tested pairs significant at FDR ${fdr} (Benjamini-Hochberg)` },
    width: 420,
    height: 220,
    data: { values },
    mark: { type: 'rect', opacity: 0.65 },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: `MI (${units})` },
      x2: { field: 'x1' },
      y: { field: 'count', type: 'quantitative', title: 'pairs', stack: null },
      color: { field: 'group', type: 'nominal', title: null, scale: { domain: ['significant', 'not significant'], range: ['#c0392b', '#7f8c8d'] } },
    },
  } as VlSpec;
  return { name: 'mi-significance', alt: 'Histograms of the MI of pairs found significant and of the rest', caption: `The MI of every tested pair, split by the permutation test at a false discovery rate of ${fdr}: pairs whose MI chance alone would rarely reach (red) and the rest (grey).`, spec };
}
