import { shortLabels, titleWith } from './short-labels.js';
import type { BoxStats } from '../core/summary/box.js';
import type { DensityPlotData } from './density.js';
import type { HeatmapData } from './heatmap.js';
import type { VlSpec } from './vega-render.js';
import { ACCURACY, BASELINE, CURVE, PRIMARY } from './theme.js';

/** Half width of a box, notch indentation, whisker cap half width (x units: one per box). */
const BOX_W = 0.3;
const NOTCH_W = 0.15;
const CAP_W = 0.12;

export interface BoxItem {
  label: string;
  stats: BoxStats;
  color: string;
}

function axisLabels(labels: string[]): { values: number[]; labelExpr: string } {
  return { values: labels.map((_, i) => i), labelExpr: `${JSON.stringify(labels)}[round(datum.value)] || ''` };
}

/**
 * Layers of notched box plots in the style of matplotlib's `boxplot(notch=True)`, box i centred
 * at x = i: the box spans q1..q3 and is pinched to the median between notchLow and notchHigh
 * (median +- 1.57 IQR / sqrt(n)), whiskers reach the most extreme values within 1.5 IQR, and
 * the values beyond are drawn as open circles.
 */
function boxLayers(items: BoxItem[], xScale: object, xAxis: object | null, yField: object): VlSpec[] {
  const poly: object[] = [];
  const medians: object[] = [];
  const whiskers: object[] = [];
  const caps: object[] = [];
  const outliers: object[] = [];
  items.forEach((it, i) => {
    const s = it.stats;
    if (!(s.n > 0)) return;
    const pts: [number, number][] = [
      [-BOX_W, s.q1],
      [-BOX_W, s.notchLow],
      [-NOTCH_W, s.median],
      [-BOX_W, s.notchHigh],
      [-BOX_W, s.q3],
      [BOX_W, s.q3],
      [BOX_W, s.notchHigh],
      [NOTCH_W, s.median],
      [BOX_W, s.notchLow],
      [BOX_W, s.q1],
    ];
    pts.forEach(([dx, y], o) => poly.push({ box: i, o, x: i + dx, y, c: it.color }));
    medians.push({ x: i - NOTCH_W, x2: i + NOTCH_W, y: s.median });
    whiskers.push({ x: i, y: s.q3, y2: s.whiskerHigh, c: it.color }, { x: i, y: s.whiskerLow, y2: s.q1, c: it.color });
    caps.push({ x: i - CAP_W, x2: i + CAP_W, y: s.whiskerHigh, c: it.color }, { x: i - CAP_W, x2: i + CAP_W, y: s.whiskerLow, c: it.color });
    for (const v of s.outliers) outliers.push({ x: i, y: v, c: it.color });
  });
  const x = { field: 'x', type: 'quantitative', scale: xScale, axis: xAxis };
  const color = { field: 'c', type: 'nominal', scale: null, legend: null };
  return [
    { data: { values: whiskers }, mark: { type: 'rule', strokeWidth: 1.3 }, encoding: { x, y: yField, y2: { field: 'y2' }, color } },
    { data: { values: caps }, mark: { type: 'rule', strokeWidth: 1.3 }, encoding: { x, x2: { field: 'x2' }, y: yField, color } },
    {
      data: { values: poly },
      mark: { type: 'line', interpolate: 'linear-closed', strokeWidth: 1.4, fillOpacity: 0.32, strokeJoin: 'miter' },
      encoding: { x, y: yField, detail: { field: 'box', type: 'nominal' }, order: { field: 'o', type: 'quantitative' }, color, fill: color },
    },
    { data: { values: medians }, mark: { type: 'rule', strokeWidth: 2.2, color: '#111111' }, encoding: { x, x2: { field: 'x2' }, y: yField } },
    { data: { values: outliers }, mark: { type: 'point', filled: false, size: 18, strokeWidth: 1, opacity: 0.8 }, encoding: { x, y: yField, color } },
  ];
}

/** Entropy box plots, one per layer (or per model), optionally with accuracy on a second y axis. */
export function boxPlotSpec(o: {
  title: string;
  subtitle: string[];
  units: string;
  xTitle: string;
  items: BoxItem[];
  /** Validation accuracy per item (same order), drawn as a line with points on the right axis. */
  accuracy?: (number | null)[];
  width?: number;
}): VlSpec {
  // distinct, readable labels: the shared parts of long names go to the axis title (short-labels.ts)
  const short = shortLabels(o.items.map((i) => i.label));
  const labels = short.labels;
  const long = labels.some((l) => l.length > 8) && labels.length > 3;
  const xScale = { domain: [-0.6, labels.length - 0.4], nice: false, zero: false };
  const xAxis = { title: titleWith(o.xTitle, short), ...axisLabels(labels), grid: false, labelAngle: long ? -30 : 0, labelAlign: long ? 'right' : 'center', ticks: true, labelOverlap: false, labelLimit: 0 };
  const y = { field: 'y', type: 'quantitative', scale: { zero: false, nice: true }, axis: { title: `Entropy (${o.units})` } };
  const boxes = boxLayers(o.items, xScale, xAxis, y);
  const width = o.width ?? Math.max(520, Math.min(900, 100 * labels.length + 80));
  const acc = (o.accuracy ?? []).map((a, i) => ({ x: i, acc: a })).filter((d): d is { x: number; acc: number } => d.acc !== null && Number.isFinite(d.acc));
  if (acc.length === 0) return { title: { text: o.title, subtitle: o.subtitle }, width, height: 300, layer: boxes };
  const fraction = acc.every((d) => d.acc >= 0 && d.acc <= 1);
  const accY = { field: 'acc', type: 'quantitative', scale: { zero: false, nice: true }, axis: { title: 'Validation accuracy', orient: 'right', grid: false, format: fraction ? '.0%' : '~g', titleColor: ACCURACY } };
  const accX = { field: 'x', type: 'quantitative', scale: xScale, axis: xAxis };
  return {
    title: { text: o.title, subtitle: o.subtitle },
    width,
    height: 300,
    layer: [
      { layer: boxes },
      {
        data: { values: acc },
        layer: [
          { mark: { type: 'line', color: ACCURACY, strokeWidth: 1.6, strokeDash: [5, 3] }, encoding: { x: accX, y: accY } },
          { mark: { type: 'point', filled: true, color: ACCURACY, size: 55, shape: 'diamond' }, encoding: { x: accX, y: accY } },
        ],
      },
    ],
    resolve: { scale: { y: 'independent' } },
  };
}

/** Histogram (density scale) + fitted GMM density + chance-baseline rules. */
export function densitySpec(o: { title: string; subtitle: string[]; units: string; data: DensityPlotData; baseline: { mean: number; p95: number } | null; color?: string }): VlSpec {
  const xEnc = { field: 'x0', type: 'quantitative', scale: { zero: false, nice: false }, axis: { title: `MI (${o.units})`, tickCount: 8 } };
  const layers: VlSpec[] = [
    {
      data: { values: o.data.bars },
      mark: { type: 'rect', color: o.color ?? PRIMARY, opacity: 0.45, stroke: 'white', strokeWidth: 0.4 },
      encoding: { x: xEnc, x2: { field: 'x1' }, y: { field: 'density', type: 'quantitative', axis: { title: 'Density of neuron pairs' } }, y2: { datum: 0 } },
    },
  ];
  if (o.data.curve.length > 0)
    layers.push({ data: { values: o.data.curve }, mark: { type: 'line', color: CURVE, strokeWidth: 2.4 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'density', type: 'quantitative' } } });
  if (o.baseline && Number.isFinite(o.baseline.mean) && Number.isFinite(o.baseline.p95)) {
    const names = ['chance mean', 'chance p95'];
    layers.push({
      data: { values: [{ v: o.baseline.mean, label: names[0] }, { v: o.baseline.p95, label: names[1] }] },
      mark: { type: 'rule', color: BASELINE, strokeWidth: 1.6 },
      encoding: {
        x: { field: 'v', type: 'quantitative' },
        strokeDash: {
          field: 'label',
          type: 'nominal',
          scale: { domain: names, range: [[2, 2], [7, 3]] },
          legend: { title: null, orient: 'top-right', fillColor: 'rgba(255,255,255,0.92)', padding: 6, symbolSize: 500, symbolStrokeColor: BASELINE, symbolStrokeWidth: 1.6, labelFontSize: 11 },
        },
      },
    });
  }
  return { title: { text: o.title, subtitle: o.subtitle }, width: 420, height: 250, layer: layers };
}

/** Several models' GMM densities overlaid, one colour per model. */
export function densityOverlaySpec(o: { title: string; subtitle: string[]; units: string; series: { label: string; color: string; curve: { x: number; density: number }[] }[] }): VlSpec {
  const values = o.series.flatMap((s) => s.curve.map((p) => ({ model: s.label, x: p.x, density: p.density })));
  return {
    title: { text: o.title, subtitle: o.subtitle },
    width: 400,
    height: 250,
    data: { values },
    mark: { type: 'line', strokeWidth: 2.2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { zero: false, nice: false }, axis: { title: `MI (${o.units})`, tickCount: 8 } },
      y: { field: 'density', type: 'quantitative', axis: { title: 'Density of neuron pairs' } },
      color: { field: 'model', type: 'nominal', scale: { domain: o.series.map((s) => s.label), range: o.series.map((s) => s.color) }, sort: null, legend: { title: 'Model', orient: 'right' } },
    },
  };
}

/** MI heatmap: the raster image of the cells, a viridis colour legend, layer boundaries. */
export function heatmapSpec(o: { title: string; subtitle: string[]; units: string; heat: HeatmapData; axisTitle: string }): VlSpec {
  const h = o.heat;
  const size = 380;
  const multi = h.segments.length > 1;
  const mids = h.segments.map((s) => (s.from + s.to) / 2);
  const short = shortLabels(h.segments.map((s) => s.label));
  // a layer's label where its band is wide enough (8 px a character), else none: never overlapping
  const labels = short.labels.map((l, k) => ((h.segments[k].to - h.segments[k].from) / h.cells) * size >= Math.min(l.length, 6) * 8 ? l : '');
  const axis = (orient: 'x' | 'y') => ({
    title: o.axisTitle,
    labelOverlap: false,
    grid: false,
    ...(multi ? { values: mids, labelExpr: `${JSON.stringify(labels)}[indexof(${JSON.stringify(mids)}, datum.value)] || ''`, ticks: false, labelAngle: orient === 'x' ? 0 : -90, labelAlign: 'center', labelBaseline: orient === 'y' ? 'bottom' : 'top' } : { labels: false, ticks: false }),
    domain: false,
  });
  const xs = { domain: [0, h.cells], nice: false, zero: false };
  const ys = { domain: [0, h.cells], nice: false, zero: false, reverse: true };
  const layers: VlSpec[] = [
    {
      data: { values: [{ url: h.png, x: 0, x2: h.cells, y: 0, y2: h.cells }] },
      mark: { type: 'image', aspect: false, aria: false },
      encoding: { url: { field: 'url', type: 'nominal' }, x: { field: 'x', type: 'quantitative', scale: xs, axis: axis('x') }, x2: { field: 'x2' }, y: { field: 'y', type: 'quantitative', scale: ys, axis: axis('y') }, y2: { field: 'y2' } },
    },
    {
      data: { values: [{ v: h.domain[0] }, { v: h.domain[1] }] },
      mark: { type: 'rect', opacity: 0, aria: false },
      encoding: { color: { field: 'v', type: 'quantitative', scale: { scheme: 'viridis', domain: h.domain, clamp: true }, legend: { title: `MI (${o.units})`, gradientLength: size - 20, orient: 'right', format: '.3~g' } } },
    },
  ];
  if (multi) {
    const cuts = h.segments.slice(1).map((s) => ({ p: s.from, e0: 0, e1: h.cells }));
    layers.push(
      // the same axes as the image layer's (merged axes take defaults, such as overlap reduction, from a layer without them)
      { data: { values: cuts }, mark: { type: 'rule', color: 'white', strokeWidth: 1.5 }, encoding: { x: { field: 'p', type: 'quantitative', scale: xs, axis: axis('x') }, y: { field: 'e0', type: 'quantitative', scale: ys, axis: axis('y') }, y2: { field: 'e1' } } },
      { data: { values: cuts }, mark: { type: 'rule', color: 'white', strokeWidth: 1.5 }, encoding: { y: { field: 'p', type: 'quantitative', scale: ys, axis: axis('y') }, x: { field: 'e0', type: 'quantitative', scale: xs, axis: axis('x') }, x2: { field: 'e1' } } },
    );
  }
  const named = titleWith('layers', short);
  return { title: { text: o.title, subtitle: named === 'layers' ? o.subtitle : [...o.subtitle, named.replace(/^layers \((.*)\)$/, 'layers $1')] }, width: size, height: size, layer: layers };
}
