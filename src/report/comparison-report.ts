import { describeMi } from '../analysis/estimator-text.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Comparison } from '../compare/comparison.js';
import type { Results } from '../analysis/results.js';
import { curveOn, densityFromHistogram, densityFromValues, offDiagonal, range, type DensityPlotData } from './density.js';
import { boxPlotSpec, densityOverlaySpec } from './figures.js';
import { memorizationMapSpec } from './map-figure.js';
import { mapTable } from './map-table.js';
import { esc, figureHtml, fmt, page, renderFigures, slug, table, type FigureDef } from './html.js';
import { viridisCss } from './render.js';
import { modelColors } from './theme.js';

/** One model of a comparison report: its label, results, validation accuracy and (optionally) its MI matrix. */
export interface ComparisonReportModel {
  label: string;
  results: Results;
  accuracy: number | null;
  /** The N x N MI matrix (mi.npy); without it the densities are fitted to the results' histograms. */
  mi?: Float64Array | null;
}

/**
 * Writes `dir/report.html` and `dir/figures/*.svg|png` for a sweep of models: per layer, the
 * notched entropy box plots of every model side by side (x = model, in the given order) with
 * validation accuracy on a second y axis; the GMM densities of every model's MI overlaid
 * (overall and per layer); the ranking table and Kendall's taus of `comparison`, and a warning
 * when the binning scopes disagree.
 */
export async function writeComparisonReport(dir: string, comparison: Comparison, models: ComparisonReportModel[]): Promise<void> {
  if (models.length === 0) throw new RangeError('comparison report: no models');
  const u = comparison.units;
  const colors = modelColors(models.length, viridisCss);
  const labels = models.map((m) => m.label);
  const accuracy = models.map((m) => m.accuracy);
  const hasAcc = accuracy.some((a) => a !== null);
  const defs: FigureDef[] = [];

  // layers matched by name, in order of first appearance
  const layerNames: string[] = [];
  for (const m of models) for (const l of m.results.layers) if (!layerNames.includes(l.name)) layerNames.push(l.name);

  layerNames.forEach((name, li) => {
    const items = models.map((m, i) => {
      const l = m.results.layers.find((x) => x.name === name);
      return { label: m.label, stats: l ? l.entropy : { ...emptyBox }, color: colors[i] };
    });
    const n = models.map((m) => m.results.layers.find((x) => x.name === name)?.neurons ?? 0);
    defs.push({
      name: `comparison-entropy-${slug(name, li)}`,
      alt: `Entropy box plots of layer ${name} for every model`,
      caption: `Per-neuron entropy of layer ${esc(name)} for each model (notched box plots; notch = median ± 1.57 IQR/√n, whiskers 1.5 IQR, circles outliers)${hasAcc ? '; dashed line with diamonds: validation accuracy (right axis)' : ''}. ${comparison.setting === 'heuristic' ? 'Heuristic setting: higher entropy is predicted to generalise better.' : 'Example-level setting: lower entropy is predicted to generalise better.'}`,
      spec: boxPlotSpec({
        title: `Entropy of layer ${name} across models`,
        subtitle: [`${n.every((v) => v === n[0]) ? `${n[0]} neurons per model` : `neurons: ${n.join(', ')}`}${hasAcc ? '; ◆ validation accuracy (right axis)' : ''}`],
        units: u,
        xTitle: 'Model',
        items,
        accuracy: hasAcc ? accuracy : undefined,
      }),
    });
  });

  // MI densities overlaid: overall, then per layer
  const overlay = (name: string, title: string, what: string, get: (m: ComparisonReportModel) => DensityPlotData | null) => {
    const ds = models.map((m) => ({ m, d: safe(() => get(m)) }));
    const present = ds.filter((x) => x.d && x.d.model);
    if (present.length === 0) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (const { d } of present) {
      lo = Math.min(lo, d!.bars[0].x0);
      hi = Math.max(hi, d!.bars[d!.bars.length - 1].x1);
    }
    const series = ds.flatMap(({ m, d }, i) => (d && d.model ? [{ label: m.label, color: colors[i], curve: curveOn(d.model, lo, hi, 301) }] : []));
    const comps = ds.map(({ m, d }) => `${m.label}: ${d?.model ? d.model.weights.length : '–'}`).join(', ');
    defs.push({
      name,
      alt: `Overlaid MI densities of every model, ${what}`,
      caption: `Gaussian-mixture densities of the pairwise MI (pairs i ≠ j of live neurons: pairs with a constant, dead, neuron are left out) of ${esc(what)}, one curve per model (components by BIC: ${esc(comps)}). ${models.some((m) => m.mi) ? 'Fitted to the MI matrices where given, else to the histograms in results.json.' : 'Fitted to the 50-bin histograms in results.json (bin centres weighted by counts).'} Mass moving to higher MI indicates more redundant neurons (heuristic memorization); to lower MI, more independent neurons.`,
      spec: densityOverlaySpec({ title, subtitle: [`${present.length} of ${models.length} models; GMM components chosen by BIC`], units: u, series }),
    });
  };
  // Pairs of live neurons only: a dead neuron's MI is a constant, not a property of the network.
  const live = (m: ComparisonReportModel, from: number, n: number): Int32Array => {
    const dead = m.results.perNeuron.constant;
    return dead ? range(from, n).filter((i) => !dead[i]) : range(from, n);
  };
  overlay('comparison-mi-density-overall', 'Pairwise MI density: all layers', 'all layers', (m) => {
    const N = m.results.neurons;
    if (m.mi && m.mi.length === N * N) return densityFromValues(offDiagonal(m.mi, N, live(m, 0, N)));
    const s = m.results.overall.miLive ?? m.results.overall.mi;
    return s && s.pairs > 0 ? densityFromHistogram(s.histogram) : null;
  });
  layerNames.forEach((name, li) =>
    overlay(`comparison-mi-density-${slug(name, li)}`, `Pairwise MI density: layer ${name}`, `layer ${name}`, (m) => {
      const l = m.results.layers.find((x) => x.name === name);
      if (!l || l.neurons < 2) return null;
      const N = m.results.neurons;
      const idx = live(m, l.offset, l.neurons);
      if (m.mi && m.mi.length === N * N) return idx.length >= 2 ? densityFromValues(offDiagonal(m.mi, N, idx)) : null;
      const s = l.miLive ?? l.mi;
      return s && s.pairs > 0 ? densityFromHistogram(s.histogram) : null;
    }),
  );

  defs.push({
    name: 'comparison-memorization-map',
    alt: `Memorization map: each model's change in mean entropy and mean MI against ${comparison.map.reference.label}`,
    caption: `Memorization map: each model (filled, labelled) placed by its change in mean entropy (x) and mean MI (y) against the reference model ${esc(comparison.map.reference.label)} at the origin; rings: each layer's change (its mean entropy and the mean MI of its own pairs). Quadrants as the paper's table names them: entropy down and MI up is heuristic (shortcut) memorization, entropy up and MI down example-level memorization. ${esc(comparison.map.message)}`,
    spec: memorizationMapSpec({ map: comparison.map, units: u, colors }),
  });
  const figs = await renderFigures(dir, defs);
  const mapFig = figs.find((f) => f.name === 'comparison-memorization-map');
  const entropyFigs = figs.filter((f) => f.name.startsWith('comparison-entropy-'));
  const miFigs = figs.filter((f) => f.name.startsWith('comparison-mi-density-'));

  // ranking table (comparison order)
  const best = (v: number | null) => (v === 1 ? ' class="best"' : '');
  const swatch = (label: string) => {
    const i = labels.indexOf(label);
    return i >= 0 ? `<span style="display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;background:${colors[i]}"></span>` : '';
  };
  const rankRows = comparison.models.map((m) => [
    `${swatch(m.label)}${esc(m.label)}`,
    m.accuracy === null ? '–' : fmt(m.accuracy),
    fmt(m.meanEntropy),
    fmt(m.meanMI),
    fmt(m.scoreEntropy),
    fmt(m.scoreMI),
    `<span${best(m.rankByAccuracy)}>${m.rankByAccuracy ?? '–'}</span>`,
    `<span${best(m.rankByEntropy)}>${m.rankByEntropy}</span>`,
    `<span${best(m.rankByMI)}>${m.rankByMI ?? '–'}</span>`,
  ]);
  const ranking = table(['Model', 'Accuracy', `Mean entropy (${u})`, `Mean MI (${u})`, 'Score: entropy', 'Score: MI', 'Rank: accuracy', 'Rank: entropy', 'Rank: MI'], rankRows);
  const k = comparison.kendall;
  const tau = (v: number | null) => (v === null ? '–' : v.toFixed(2));
  const kendall = table(
    ['Score', 'Kendall τ-b with accuracy'],
    [
      ['Mean entropy (main binning: ' + esc(comparison.binning) + ')', tau(k.meanEntropy)],
      ['Mean MI', tau(k.meanMI)],
      ...Object.entries(k.byBinning).map(([b, v]) => [`Mean entropy, ${esc(b)} binning`, tau(v)]),
    ],
    'kv',
  );
  const warning = comparison.binningDisagreement.disagree
    ? `<div class="warning" role="alert"><strong>⚠ The binning scopes disagree.</strong><br>${esc(comparison.binningDisagreement.message ?? 'The entropy ranking depends on the binning scope.')} Treat the entropy-based ranking with caution.</div>`
    : '';
  const source = { given: 'given with --setting', default: 'the default; --setting auto would orient it by the memorization map', auto: 'chosen by --setting auto from the memorization map', 'auto-fallback': 'the fallback of --setting auto, which found no single pattern' }[comparison.settingSource];
  const orient = comparison.setting === 'heuristic' ? 'higher entropy and lower MI are predicted to be better (score = +mean entropy, −mean MI)' : 'lower entropy and higher MI are predicted to be better (score = −mean entropy, +mean MI)';
  const modelRows = models.map((m, i) => [
    `${swatch(m.label)}${esc(m.label)}`,
    m.results.samples.toLocaleString('en-US'),
    m.results.neurons.toLocaleString('en-US'),
    esc(m.results.layers.map((l) => l.name).join(', ')),
    esc(`${m.results.settings.preset}, ${m.results.settings.bins} ${m.results.settings.binning} bins, MI: ${describeMi(m.results.settings)}`),
    m.results.inputs.length ? m.results.inputs.map((f) => `<code>${esc(f.path)}</code> <span class="sub">${esc(f.sha256.slice(0, 12))}…</span>`).join('<br>') : '–',
    accuracy[i] === null ? '–' : fmt(accuracy[i]),
  ]);

  const body = `
${warning}
<div class="note">Setting: <b>${esc(comparison.setting)}</b> memorization (${esc(source)}) - ${orient}. Rank 1 = predicted best. Kendall's τ compares each score's ranking with the accuracy ranking (1 = identical order).</div>
<h2>Ranking</h2>
${ranking}
<h3>Agreement with accuracy</h3>
${kendall}
<h2>Memorization map</h2>
${mapFig ? figureHtml(mapFig) : ''}
${mapTable(comparison.map, u)}
<h2>Entropy per layer</h2>
${entropyFigs.map(figureHtml).join('\n')}
<h2>Mutual information</h2>
${miFigs.length ? `<div class="grid">${miFigs.map(figureHtml).join('\n')}</div>` : '<p>No model has MI values.</p>'}
<h2>What was compared</h2>
${table(['Model', 'Examples S', 'Neurons N', 'Layers', 'Settings', 'Inputs (SHA-256)', 'Accuracy'], modelRows, 'files')}
<p class="sub">Comparison schema ${esc(comparison.schema)} v${comparison.version}, created ${esc(comparison.createdAt)}; units ${esc(u)}; main binning ${esc(comparison.binning)}. infomem ${esc(models[0].results.tool.version)}.</p>
<footer>Generated by infomem ${esc(models[0].results.tool.version)}. Every figure is also in <code>figures/</code> as SVG and PNG.</footer>`;
  await writeFile(join(dir, 'report.html'), page('infomem model comparison', `${models.length} models · ${esc(comparison.setting)} setting · ${esc(comparison.createdAt)}`, body));
}

const emptyBox = { n: 0, min: NaN, q1: NaN, median: NaN, q3: NaN, max: NaN, mean: NaN, notchLow: NaN, notchHigh: NaN, whiskerLow: NaN, whiskerHigh: NaN, outliers: [] as number[] };

function safe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}
