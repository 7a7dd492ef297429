import { describeMi } from '../analysis/estimator-text.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Comparison } from '../compare/comparison.js';
import { comparisonFigureDefs, type ComparisonReportModel } from './comparison-figures.js';
import { mapTable } from './map-table.js';
import { esc, figureHtml, fmt, page, table } from './html.js';
import { renderFigures } from './write-figures.js';

export type { ComparisonReportModel } from './comparison-figures.js';


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
  const { defs, colors } = comparisonFigureDefs(comparison, models);
  const labels = models.map((m) => m.label);
  const accuracy = models.map((m) => m.accuracy);
  // numbered in the order the page shows them: the map, the entropy box plots, the MI densities
  const rank = (name: string): number => (name === 'comparison-memorization-map' ? 0 : name.startsWith('comparison-entropy-') ? 1 : name.startsWith('comparison-mi-density-') ? 2 : 3);
  const figs = await renderFigures(dir, [...defs].sort((a, b) => rank(a.name) - rank(b.name)));
  const mapFig = figs.find((f) => f.name === 'comparison-memorization-map');
  const entropyFigs = figs.filter((f) => f.name.startsWith('comparison-entropy-'));
  const miFigs = figs.filter((f) => f.name.startsWith('comparison-mi-density-'));

  // ranking table (comparison order)
  const best = (v: number | null) => (v === 1 ? ' class="best"' : '');
  const swatch = (label: string) => {
    const i = labels.indexOf(label);
    return i >= 0 ? `<span style="display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;background:${colors[i]}"></span>` : '';
  };
  const ci = (x: { low: number; high: number } | null): string => (x ? `<span class="sub">[${fmt(x.low)}, ${fmt(x.high)}]</span>` : '');
  const rankRows = comparison.models.map((m) => [
    `${swatch(m.label)}${esc(m.label)}`,
    m.accuracy === null ? '–' : fmt(m.accuracy),
    `${fmt(m.meanEntropy)} ${ci(m.intervals?.meanEntropy ?? null)}`,
    `${fmt(m.meanMI)} ${ci(m.intervals?.meanMI ?? null)}`,
    fmt(m.scoreEntropy),
    fmt(m.scoreMI),
    `<span${best(m.rankByAccuracy)}>${m.rankByAccuracy ?? '–'}</span>`,
    `<span${best(m.rankByEntropy)}>${m.rankByEntropy}</span>`,
    `<span${best(m.rankByMI)}>${m.rankByMI ?? '–'}</span>`,
  ]);
  const ranking = table(['Model', 'Accuracy', `Mean entropy (${u}) [95%]`, `Mean MI (${u}) [95%]`, 'Score: entropy', 'Score: MI', 'Rank: accuracy', 'Rank: entropy', 'Rank: MI'], rankRows);
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

  const mixed = (comparison.mismatches ?? []).length
    ? `<div class="warning" role="alert"><strong>⚠ Compared anyway (--allow-mixed): these analyses differ where a comparison needs them equal.</strong><ul>${comparison.mismatches.map((m) => `<li>${esc(m.message)}</li>`).join('')}</ul>Rankings and differences below mix what cannot be compared.</div>`
    : '';
  const word = (d: { direction: string; diff: number; low: number; high: number } | null): string => (d === null ? '–' : `${d.direction === 'same' ? 'indistinguishable' : `<b>${d.direction}</b>`} ${fmt(d.diff)} <span class="sub">[${fmt(d.low)}, ${fmt(d.high)}]</span>`);
  const diffs = (comparison.differences ?? []).some((d) => d.meanEntropy || d.meanMI)
    ? `<h3>Which differences are real</h3><p class="sub">Each pair's difference (second minus first) with its 95% interval, ${comparison.paired ? 'on paired replicates (the analyses resampled the same examples)' : 'unpaired (the analyses do not share their resampling draws)'}: indistinguishable when the interval holds 0.</p>${table(
        ['First', 'Second', 'Mean entropy', 'Mean MI'],
        comparison.differences.map((d) => [esc(d.a), esc(d.b), word(d.meanEntropy), word(d.meanMI)]),
      )}`
    : '';
  const stab = (name: string, st: { sameRanking: number; replicates: number; tau: { median: number; low: number; high: number } | null } | null): string[] | null =>
    st ? [name, `${(100 * st.sameRanking).toFixed(0)}% of ${st.replicates}`, st.tau ? `${st.tau.median.toFixed(2)} [${st.tau.low.toFixed(2)}, ${st.tau.high.toFixed(2)}]` : '–'] : null;
  const stabRows = [stab('Mean entropy', comparison.stability?.meanEntropy ?? null), stab('Mean MI', comparison.stability?.meanMI ?? null)].filter((r): r is string[] => r !== null);
  const stability = stabRows.length ? `<h3>How stable the ranking is</h3>${table(['Score', 'Ranking as reported, in replicates', 'Kendall τ with accuracy: median [95%]'], stabRows)}` : '';
  const body = `
${mixed}
${warning}
<div class="note">Setting: <b>${esc(comparison.setting)}</b> memorization (${esc(source)}) - ${orient}. Rank 1 = predicted best. Kendall's τ compares each score's ranking with the accuracy ranking (1 = identical order).</div>
<h2>Ranking</h2>
${ranking}
<h3>Agreement with accuracy</h3>
${kendall}
${diffs}
${stability}
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

