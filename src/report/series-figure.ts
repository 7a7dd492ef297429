/**
 * Measures against training time (epoch, step or any ordered x): stacked panels sharing the x
 * axis, one line per series (a model of a sweep, or a user's run), points at the measured x.
 * The training dynamics of `reproduce` and the `track` figure both draw this.
 */
import type { VlSpec } from './vega-render.js';

export interface SeriesLine {
  label: string;
  color: string;
  /** Dashed (e.g. training accuracy beside the solid validation accuracy). */
  dashed?: boolean;
  points: { x: number; y: number | null }[];
}

export interface SeriesPanel {
  /** The y axis title (with its units). */
  title: string;
  lines: SeriesLine[];
  /** A y domain to keep (accuracy: [0, 1]); default: the data's. */
  domain?: [number, number];
}

/** Panels stacked vertically over one x axis, with one legend for the series' colours. */
export function seriesFigureSpec(o: { title: string; subtitle: string[]; xTitle: string; panels: SeriesPanel[]; legendTitle: string; width?: number }): VlSpec {
  const labels: string[] = [];
  const colors: string[] = [];
  for (const p of o.panels)
    for (const l of p.lines)
      if (!labels.includes(l.label)) {
        labels.push(l.label);
        colors.push(l.color);
      }
  const panels = o.panels.filter((p) => p.lines.some((l) => l.points.some((q) => q.y !== null && Number.isFinite(q.y))));
  return {
    title: { text: o.title, subtitle: o.subtitle },
    vconcat: panels.map((p, i) => {
      const values = p.lines.flatMap((l) => l.points.filter((q) => q.y !== null && Number.isFinite(q.y)).map((q) => ({ series: l.label, x: q.x, y: q.y, dash: l.dashed ? 'dashed' : 'solid', key: `${l.label}${l.dashed ? ' (dashed)' : ''}` })));
      const last = i === panels.length - 1;
      return {
        width: o.width ?? 440,
        height: 150,
        data: { values },
        mark: { type: 'line', strokeWidth: 2, point: { size: 22, filled: true } },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: { zero: false, nice: false }, axis: { title: last ? o.xTitle : null, labels: true } },
          y: { field: 'y', type: 'quantitative', scale: p.domain ? { domain: p.domain } : { zero: false }, axis: { title: p.title } },
          color: { field: 'series', type: 'nominal', scale: { domain: labels, range: colors }, sort: null, legend: { title: o.legendTitle, orient: 'right' } },
          strokeDash: { field: 'dash', type: 'nominal', scale: { domain: ['solid', 'dashed'], range: [[1, 0], [5, 3]] }, legend: null },
          detail: { field: 'key', type: 'nominal' },
        },
      };
    }),
  };
}
