/**
 * `report.html` of `infomem track`: the measures against x (all layers and each layer), the
 * memorization map of the checkpoints against the reference one, and the per-layer table.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Track } from '../track/track-types.js';
import { esc, figureHtml, fmt, page, table, type FigureDef } from './html.js';
import { renderFigures } from './write-figures.js';
import { memorizationMapSpec } from './map-figure.js';
import { mapTable } from './map-table.js';
import { viridisCss } from './vega-render.js';
import { seriesFigureSpec, type SeriesLine } from './series-figure.js';
import { ACCURACY, modelColors, PRIMARY } from './theme.js';
import { shortLabels, titleWith } from './short-labels.js';

export async function writeTrackReport(dir: string, t: Track): Promise<void> {
  const u = t.units;
  const layerNames = [...new Set(t.points.flatMap((p) => p.layers.map((l) => l.name)))];
  // layers under short distinct names in the legend and the table (short-labels.ts; the shared part said once)
  const short = shortLabels(layerNames);
  const layerColors = modelColors(layerNames.length + 1, viridisCss).slice(1);
  const overall = (label: string, get: (p: Track['points'][number]) => number | null): SeriesLine => ({ label, color: PRIMARY, points: t.points.map((p) => ({ x: p.x, y: get(p) })) });
  const perLayer = (get: (l: Track['points'][number]['layers'][number]) => number | null): SeriesLine[] =>
    layerNames.length > 1 ? layerNames.map((name, i) => ({ label: short.labels[i], color: layerColors[i], dashed: true, points: t.points.map((p) => ({ x: p.x, y: ((l) => (l ? get(l) : null))(p.layers.find((l) => l.name === name)) })) })) : [];
  const hasAcc = t.points.some((p) => p.accuracy !== null);
  const defs: FigureDef[] = [
    {
      name: 'track-measures',
      alt: `Mean entropy and mean MI against ${t.xTitle}, all layers and each layer`,
      caption: `Mean entropy and mean MI of every checkpoint against ${esc(t.xTitle)}: all layers (solid) and each layer (dashed; a layer's MI is the mean over its own pairs). Entropy: ${esc(t.estimators.entropy)}, ${t.estimators.bins} ${esc(t.estimators.binning)} bins; MI: ${esc(t.estimators.mi)}.${hasAcc ? ' Accuracy as given.' : ''}`,
      spec: seriesFigureSpec({
        title: 'Measures over the checkpoints',
        subtitle: [`${t.points.length} checkpoints; ${u}`],
        xTitle: t.xTitle,
        legendTitle: titleWith('Layers', short),
        panels: [
          { title: `Mean entropy (${u})`, lines: [overall('all layers', (p) => p.meanEntropy), ...perLayer((l) => l.meanEntropy)] },
          { title: `Mean MI (${u})`, lines: [overall('all layers', (p) => p.meanMI), ...perLayer((l) => l.meanMI)] },
          ...(hasAcc ? [{ title: 'Accuracy', lines: [{ label: 'accuracy', color: ACCURACY, points: t.points.map((p) => ({ x: p.x, y: p.accuracy })) }] }] : []),
        ],
      }),
    },
    {
      name: 'track-memorization-map',
      alt: `Memorization map of the checkpoints against ${t.map.reference.label}`,
      caption: `Memorization map: each checkpoint placed by its change in mean entropy (x) and mean MI (y) against ${esc(t.map.reference.label)}; rings: its layers. Entropy down and MI up is the heuristic (shortcut) pattern, entropy up and MI down the example-level one. ${esc(t.map.message)}`,
      spec: memorizationMapSpec({ map: t.map, units: u, colors: modelColors(t.points.length, viridisCss), title: 'Memorization map of the checkpoints' }),
    },
  ];
  const figs = await renderFigures(dir, defs);
  const head = ['Checkpoint', esc(t.xTitle), ...(hasAcc ? ['Accuracy'] : []), `Mean H (${u})`, `Mean MI (${u})`, `Median MI (${u})`, ...short.labels.flatMap((n) => [`${n}: mean H`, `${n}: mean MI`])];
  const shared = short.prefix || short.suffix ? `<p class="sub">Layer columns: ${esc(short.prefix)}<i>name</i>${esc(short.suffix)}.</p>` : '';
  const rows = t.points.map((p) => [
    esc(p.label),
    fmt(p.x),
    ...(hasAcc ? [fmt(p.accuracy)] : []),
    fmt(p.meanEntropy),
    fmt(p.meanMI),
    fmt(p.medianMI),
    ...layerNames.flatMap((n) => {
      const l = p.layers.find((x) => x.name === n);
      return [fmt(l?.meanEntropy ?? null), fmt(l?.meanMI ?? null)];
    }),
  ]);
  const mixed = (t.mismatches ?? []).length > 0 ? `<div class="warning" role="alert"><strong>⚠ Tracked anyway (--allow-mixed): the checkpoints differ where they should not.</strong> ${t.mismatches.map((m) => esc(m.message)).join('; ')}. The curves mix what cannot be compared.</div>` : '';
  const body = `
${mixed}
<div class="note">${esc(t.map.message)}</div>
<h2>Measures over the checkpoints</h2>
${figureHtml(figs[0])}
${shared}
${table(head, rows)}
<h2>Memorization map</h2>
${figureHtml(figs[1])}
${mapTable(t.map, u)}
<h2>What was tracked</h2>
${table(['Checkpoint', 'Input'], t.points.map((p) => [esc(p.label), `<code>${esc(p.path)}</code>`]), 'files')}
<p class="sub">Track schema ${esc(t.schema)} v${t.version}, created ${esc(t.createdAt)}; preset ${esc(t.estimators.preset)}.</p>
<footer>Generated by infomem. Every figure is also in <code>figures/</code> as SVG and PNG.</footer>`;
  await writeFile(join(dir, 'report.html'), page('infomem track', `${t.points.length} checkpoints · ${esc(t.createdAt)}`, body));
}
