/**
 * The report of `infomem score`: per score, the distribution of the reference's own scores
 * against the inputs' (split into in- and out-of-distribution when the labels are known), as
 * step histograms on one axis, and the detection metrics table. Writes report.html and
 * figures/scores-<score>.svg|png.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScoreAnalysis } from '../score/score-types.js';
import { esc, figureHtml, fmt, page, table, type FigureDef } from './html.js';
import { renderFigures } from './write-figures.js';
import type { VlSpec } from './vega-render.js';
import { OKABE_ITO } from './theme.js';

/** Densities of each series on 40 shared bins (the 0.5-99.5% range of every value). */
function histograms(series: { label: string; values: Float64Array }[]): { label: string; x: number; density: number }[] {
  const all = Float64Array.from(series.flatMap((s) => Array.from(s.values).filter((x) => Number.isFinite(x)))).sort();
  if (all.length === 0) return [];
  const lo = all[Math.floor(0.005 * (all.length - 1))];
  const hi = all[Math.ceil(0.995 * (all.length - 1))];
  const B = 40;
  const w = hi > lo ? (hi - lo) / B : 1;
  const out: { label: string; x: number; density: number }[] = [];
  for (const s of series) {
    const c = new Float64Array(B);
    let n = 0;
    for (const x of s.values) {
      if (!Number.isFinite(x)) continue;
      const b = Math.min(B - 1, Math.max(0, Math.floor((x - lo) / w)));
      c[b]++;
      n++;
    }
    for (let b = 0; b < B; b++) out.push({ label: s.label, x: lo + (b + 0.5) * w, density: n > 0 ? c[b] / (n * w) : 0 });
  }
  return out;
}

function scoreSpec(score: string, series: { label: string; values: Float64Array; color: string }[]): VlSpec {
  return {
    title: { text: `Score: ${score}`, subtitle: ['higher = more unusual; densities on 40 shared bins over 0.5-99.5% of all values (the rest in the end bins)'] },
    width: 420,
    height: 220,
    data: { values: histograms(series) },
    mark: { type: 'line', interpolate: 'step', strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { zero: false, nice: false }, axis: { title: score } },
      y: { field: 'density', type: 'quantitative', axis: { title: 'Density of examples' } },
      color: { field: 'label', type: 'nominal', sort: null, scale: { domain: series.map((s) => s.label), range: series.map((s) => s.color) }, legend: { title: null, orient: 'bottom', direction: 'vertical', labelLimit: 400 } },
    },
  };
}

export async function writeScoresReport(dir: string, a: ScoreAnalysis, signal?: AbortSignal): Promise<void> {
  const defs: FigureDef[] = [];
  a.columns.forEach((c) => {
    if (!c.inputs.some((x) => Number.isFinite(x))) return;
    const series: { label: string; values: Float64Array; color: string }[] = [{ label: `reference (${c.reference.length})`, values: c.reference, color: OKABE_ITO[0] }];
    if (a.labels) {
      const inD = c.inputs.filter((_, s) => a.labels![s] === 0);
      const outD = c.inputs.filter((_, s) => a.labels![s] === 1);
      series.push({ label: `inputs in distribution (${inD.length})`, values: inD, color: OKABE_ITO[2] }, { label: `inputs out of distribution (${outD.length})`, values: outD, color: OKABE_ITO[1] });
    } else series.push({ label: `inputs (${c.inputs.length})`, values: c.inputs, color: OKABE_ITO[1] });
    defs.push({
      name: `scores-${c.name.replace(/[^A-Za-z0-9._-]/g, '-')}`,
      alt: `Distribution of the ${c.name} score on the reference and the inputs`,
      caption: `The <b>${esc(c.name)}</b> score of every reference example (scored against the reference itself) and of every input${a.labels ? ', in and out of distribution' : ''}.`,
      spec: scoreSpec(c.name, series),
    });
  });
  const figs = await renderFigures(dir, defs, { signal });
  const metrics = a.metrics
    ? `<h2>Detection</h2><p>${a.labels!.reduce((p, x) => p + x, 0)} of ${a.samples} inputs are out of distribution. Higher score = predicted out.</p>` +
      table(['score', 'AUROC', 'AUPR', 'FPR at 95% TPR'], a.metrics.map((m) => [esc(m.score), fmt(m.auroc, 3), fmt(m.averagePrecision, 3), fmt(m.fprAt95Tpr, 3)]))
    : '';
  // the most unusual inputs by the first score that has values (the joint score by default), with their index
  const by = a.columns.find((c) => c.name === 'joint' && c.inputs.some(Number.isFinite)) ?? a.columns.find((c) => c.inputs.some(Number.isFinite));
  let unusual = '';
  if (by) {
    const order = Array.from(by.inputs.keys()).filter((s) => Number.isFinite(by.inputs[s])).sort((x, y) => by.inputs[y] - by.inputs[x] || x - y).slice(0, 10);
    const shown = a.columns.slice(0, 4);
    const head = ['Example', ...(a.labels ? ['Out of distribution'] : []), ...shown.map((c) => c.name), ...(a.texts ? ['Text'] : [])];
    const rows = order.map((s) => [
      String(s),
      ...(a.labels ? [a.labels[s] ? 'yes' : 'no'] : []),
      ...shown.map((c) => fmt(c.inputs[s], 3)),
      ...(a.texts ? [esc(a.texts[s].length > 140 ? `${a.texts[s].slice(0, 139)}…` : a.texts[s])] : []),
    ]);
    unusual = `<h2>The most unusual inputs</h2><p>The ${order.length} highest by <b>${esc(by.name)}</b>. Example i is row i of <code>scores.npy</code>${a.texts ? ' and line i + 1 of the texts file' : ''} (counted from 0, in the inputs' order).</p>` + table(head, rows, 'files');
  }
  const body =
    `<p>${a.samples} examples scored against ${a.reference.samples} reference examples x ${a.reference.neurons} neurons (layers ${a.reference.layers.map((l) => esc(l.name)).join(', ')}); ` +
    `${a.settings.bins} bins per neuron, smoothing ${a.settings.alpha}, ${a.reference.pairs.length / 2} co-activation pairs.</p>` +
    metrics +
    unusual +
    `<h2>Scores</h2><div class="grid">${figs.map(figureHtml).join('\n')}</div>`;
  await writeFile(join(dir, 'report.html'), page('infomem scores', 'per-example information scores against the reference', body));
}
