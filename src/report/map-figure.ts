/**
 * The memorization map (compare/memorization-map.ts) as a figure: x = change in mean entropy,
 * y = change in mean MI against the reference model (at the origin), the quadrants named by
 * the paper's table, every model a labelled point and each of its layers a smaller labelled
 * ring, all labels printed (no hover).
 */
import type { MemorizationMap } from '../compare/memorization-map.js';
import type { VlSpec } from './vega-render.js';
import { placeLabels } from './place-labels.js';
import { shortLabels } from './short-labels.js';
import { textWidth } from './text-metrics.js';

const QUADRANT_TEXT = {
  heuristic: 'heuristic: entropy ↓, MI ↑',
  example: 'example-level: entropy ↑, MI ↓',
  up: 'both ↑: neither pattern',
  down: 'both ↓: neither pattern',
};

export function memorizationMapSpec(o: { map: MemorizationMap; units: string; colors: string[]; title?: string; layers?: boolean }): VlSpec {
  const { map } = o;
  const models = map.models.map((m, i) => ({ ...m, color: o.colors[i % o.colors.length] }));
  const pts = models.filter((m) => m.dMI !== null && Number.isFinite(m.dEntropy)).map((m) => ({ x: m.dEntropy, y: m.dMI as number, label: m.label, c: m.color, q: m.quadrant }));
  const layerPts = o.layers === false ? [] : models.filter((m) => m.quadrant !== 'reference').flatMap((m) => m.layers.filter((l) => l.dMI !== null && Number.isFinite(l.dEntropy)).map((l) => ({ x: l.dEntropy, y: l.dMI as number, label: l.name, c: m.color })));
  const all = [...pts, ...layerPts];
  const span = (v: number[]): number => Math.max(1e-12, ...v.map(Math.abs)) * 1.25;
  const ax = span(all.map((p) => p.x));
  const ay = span(all.map((p) => p.y));
  const x = { field: 'x', type: 'quantitative', scale: { domain: [-ax, ax], nice: false, zero: false }, axis: { title: `Change in mean entropy against ${map.reference.label} (${o.units})`, format: '.3~g' } };
  const y = { field: 'y', type: 'quantitative', scale: { domain: [-ay, ay], nice: false, zero: false }, axis: { title: `Change in mean MI (${o.units})`, format: '.3~g' } };
  const color = { field: 'c', type: 'nominal', scale: null, legend: null };
  const corner = [
    { x: -ax * 0.97, y: ay * 0.95, t: QUADRANT_TEXT.heuristic, align: 'left' },
    { x: ax * 0.97, y: -ay * 0.95, t: QUADRANT_TEXT.example, align: 'right' },
    { x: ax * 0.97, y: ay * 0.95, t: QUADRANT_TEXT.up, align: 'right' },
    { x: -ax * 0.97, y: -ay * 0.95, t: QUADRANT_TEXT.down, align: 'left' },
  ];
  const shade = [
    { x: -ax, x2: 0, y: 0, y2: ay, c: '#CC79A7' },
    { x: 0, x2: ax, y: -ay, y2: 0, c: '#0072B2' },
  ];
  // every label placed clear of the others and of the points (place-labels.ts): the models' first
  const W = 460;
  const H = 360;
  const names = [...new Set(layerPts.map((p) => p.label))];
  const shortNames = shortLabels(names);
  const short = { ...shortNames, labels: layerPts.map((p) => shortNames.labels[names.indexOf(p.label)]) };
  const px = (v: number): number => ((v + ax) / (2 * ax)) * W;
  const py = (v: number): number => ((ay - v) / (2 * ay)) * H;
  const requests = [
    ...pts.map((p) => ({ px: px(p.x), py: py(p.y), text: p.label, fontSize: 11.5, bold: true, radius: 7, required: true })),
    ...layerPts.map((p, k) => ({ px: px(p.x), py: py(p.y), text: short.labels[k], fontSize: 9.5, radius: 4.5 })),
  ];
  // the quadrants' names in the corners are kept clear too
  const corners = corner.map((c) => {
    const w = textWidth(c.t, 11);
    const x0 = c.align === 'left' ? px(c.x) : px(c.x) - w;
    return { x0, x1: x0 + w, y0: py(c.y) - 7, y1: py(c.y) + 7 };
  });
  const placed = placeLabels(requests, W, H, corners);
  // a label at its point moved by (dx, dy) pixels, in the data's units (the scales are linear, domain +-ax, +-ay)
  const at = <T extends { x: number; y: number }>(p: T, d: { dx: number; dy: number }): T => ({ ...p, x: p.x + (d.dx * 2 * ax) / W, y: p.y - (d.dy * 2 * ay) / H });
  const modelLabels = pts.map((p, k) => at(p, placed[k] ?? { dx: 9, dy: 0 }));
  const layerLabels = layerPts.flatMap((p, k) => (placed[pts.length + k] ? [at({ ...p, label: short.labels[k] }, placed[pts.length + k]!)] : []));
  return {
    title: { text: o.title ?? 'Memorization map', subtitle: [map.message, ...(short.prefix || short.suffix ? [`rings: layers ${short.prefix}*${short.suffix}`] : [])] },
    width: W,
    height: H,
    layer: [
      { data: { values: shade }, mark: { type: 'rect', opacity: 0.07 }, encoding: { x: { ...x, field: 'x' }, x2: { field: 'x2' }, y: { ...y, field: 'y' }, y2: { field: 'y2' }, color } },
      { data: { values: [{ v: 0 }] }, mark: { type: 'rule', color: '#888888', strokeDash: [4, 3] }, encoding: { x: { field: 'v', type: 'quantitative' } } },
      { data: { values: [{ v: 0 }] }, mark: { type: 'rule', color: '#888888', strokeDash: [4, 3] }, encoding: { y: { field: 'v', type: 'quantitative' } } },
      ...['left', 'right'].map((align) => ({
        data: { values: corner.filter((c) => c.align === align) },
        mark: { type: 'text', align, baseline: 'middle', fontSize: 11, color: '#555555', fontStyle: 'italic' },
        encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, text: { field: 't' } },
      })),
      { data: { values: layerPts }, mark: { type: 'point', filled: false, size: 45, strokeWidth: 1.4 }, encoding: { x, y, color } },
      { data: { values: layerLabels }, mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 9.5, color: '#444444' }, encoding: { x, y, text: { field: 'label' } } },
      { data: { values: pts }, mark: { type: 'point', filled: true, size: 130, stroke: '#222222', strokeWidth: 0.8, opacity: 1 }, encoding: { x, y, color } },
      { data: { values: modelLabels }, mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 11.5, fontWeight: 'bold' }, encoding: { x, y, text: { field: 'label' }, color } },
    ],
  };
}
