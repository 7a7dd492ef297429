import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Results } from '../analysis/results.js';
import { describeMi } from '../analysis/estimator-text.js';
import { analysisFigureDefs, binningWords } from './analysis-figures.js';
import { bytes, esc, figureHtml, fmt, page, pct, table } from './html.js';
import { renderFigures } from './write-figures.js';
import { significanceFigure } from './significance-figure.js';
import type { ProgressCallback } from '../engine/progress.js';

/** What `writeAnalysisReport` draws: the results document and the arrays behind it. */
export interface AnalysisReportInput {
  results: Results;
  /** Per-neuron entropies (entropy.npy), in `results.units`. */
  entropy: Float64Array;
  /** The N x N MI matrix (mi.npy), in `results.units`; null when MI was not computed. */
  mi: Float64Array | null;
  /** Chance-baseline MI values, same units as results. */
  baseline: Float64Array | null;
  /** 1 for each constant (dead) neuron; their pairs are left out of the MI densities. */
  constant?: Uint8Array | null;
  /** Stops the rendering (AbortError) between figures. */
  signal?: AbortSignal;
  /** Phase `report`: figures rendered. */
  onProgress?: ProgressCallback;
  /** The tested pairs' MI (in `results.units`) and Benjamini-Hochberg q-values (`--significance`). */
  significance?: { mi: Float64Array; q: Float64Array; fdr: number } | null;
}

export { WHOLE_HEATMAP_LIMIT } from './analysis-figures.js';

/**
 * Writes `dir/report.html` (self-contained: inline SVG figures and CSS, no scripts, nothing from
 * the network) and every figure as `dir/figures/<name>.svg` and `.png`. `dir` must be writable;
 * the caller renames it into place.
 */
export async function writeAnalysisReport(dir: string, input: AnalysisReportInput): Promise<void> {
  const r = input.results;
  const N = r.neurons;
  const u = r.units;
  const defs = analysisFigureDefs(input); // checks the arrays' sizes
  const sigFig = input.significance ? significanceFigure(input.significance.mi, input.significance.q, input.significance.fdr, u) : null;
  if (sigFig) defs.push(sigFig);
  const hasMi = input.mi !== null || r.overall.mi !== null;
  const layerNote = `${r.layers.length} layer${r.layers.length === 1 ? '' : 's'}, N = ${N} neurons, S = ${r.samples} examples`;
  const figs = await renderFigures(dir, defs, { signal: input.signal, onProgress: input.onProgress });
  const byName = new Map(figs.map((f) => [f.name, f]));
  const entropyFig = byName.get('entropy-boxplot')!;
  const densityFigs = figs.filter((f) => f.name.startsWith('mi-density-'));
  const heatFigs = figs.filter((f) => f.name.startsWith('mi-heatmap-'));
  const sigRendered = figs.find((f) => f.name === 'mi-significance');
  const sg = r.significance;
  const significance = sg
    ? `<h2>Which pairs are significant</h2>
<p>${sg.significant.toLocaleString('en-US')} of ${sg.tested.toLocaleString('en-US')} tested pairs (${pct(sg.fractionSignificant)}) are significant at FDR ${sg.fdr}: each pair's MI against ${sg.surrogates} surrogates with one neuron's examples permuted, p = (1 + #{surrogate ≥ observed}) / (N + 1), the Benjamini-Hochberg procedure over the pairs.${sg.analytic ? ` The copula correlation's t test gives p-values within ${fmt(sg.analytic.meanAbsDifference)} of the permutations' on average (largest difference ${fmt(sg.analytic.maxAbsDifference)}).` : ''}</p>
${table(['Layer', 'Pairs tested', 'Significant', 'Fraction'], sg.layers.map((l) => [esc(l.name), l.tested.toLocaleString('en-US'), l.significant.toLocaleString('en-US'), pct(l.fractionSignificant)]))}
${sigRendered ? figureHtml(sigRendered) : ''}`
    : '';

  const o = r.overall;
  const iv = r.intervals;
  const cards = [
    card('Examples (S)', r.samples.toLocaleString('en-US'), ''),
    card('Neurons (N)', N.toLocaleString('en-US'), `${r.layers.length} layer${r.layers.length === 1 ? '' : 's'}; ${r.constantNeurons} constant`),
    card('Mean entropy', fmt(o.meanEntropy), `${u}; ${iv?.overall.meanEntropy ? `95% interval ${fmt(iv.overall.meanEntropy.low)} – ${fmt(iv.overall.meanEntropy.high)}; ` : ''}median ${fmt(o.medianEntropy)}`),
    card('Mean MI', fmt(o.meanMI), o.meanMI === null ? 'not computed' : iv?.overall.meanMI ? `${u}; 95% interval ${fmt(iv.overall.meanMI.low)} – ${fmt(iv.overall.meanMI.high)}${r.pairs && r.pairs.sampled < r.pairs.total ? ` (${(r.pairs.sampled ?? 0).toLocaleString('en-US')} random pairs)` : ''}` : o.meanMIInterval95 ? `${u}; 95% interval ${fmt(o.meanMIInterval95[0])} – ${fmt(o.meanMIInterval95[1])} from ${(r.pairs?.sampled ?? 0).toLocaleString('en-US')} random pairs` : `${u}, over pairs i ≠ j`),
    card('Chance baseline', r.baseline ? fmt(r.baseline.p95) : '–', r.baseline ? `p95 (${u}); ${pct(r.baseline.fractionAboveP95)} of pairs above` : 'not computed'),
  ].join('');

  const ci = (x: { low: number; high: number } | null | undefined): string => (x ? ` <span class="sub">[${fmt(x.low)}, ${fmt(x.high)}]</span>` : '');
  const summaryRows = r.layers.map((l, i) => [
    esc(l.name),
    String(l.neurons),
    String(l.constantNeurons),
    fmt(l.entropy.median),
    fmt(l.entropy.mean) + ci(iv?.layers[i]?.meanEntropy),
    `${fmt(l.entropy.notchLow)} – ${fmt(l.entropy.notchHigh)}`,
    fmt(l.mi?.mean) + ci(iv?.layers[i]?.meanMI),
    fmt(l.mi?.median),
    fmt(l.mi?.p95),
    l.mi ? l.mi.pairs.toLocaleString('en-US') : '–',
  ]);
  summaryRows.push([
    'all layers',
    String(N),
    String(r.constantNeurons),
    fmt(o.entropy.median),
    fmt(o.entropy.mean) + ci(iv?.overall.meanEntropy),
    `${fmt(o.entropy.notchLow)} – ${fmt(o.entropy.notchHigh)}`,
    fmt(o.mi?.mean) + ci(iv?.overall.meanMI),
    fmt(o.mi?.median),
    fmt(o.mi?.p95),
    o.mi ? o.mi.pairs.toLocaleString('en-US') : '–',
  ]);
  const summary = table(['Layer', 'Neurons', 'Constant', `Entropy median (${u})`, 'Entropy mean', 'Median notch (≈95% CI)', `MI mean (${u})`, 'MI median', 'MI p95', 'Pairs'], summaryRows).replace(/<tr><td>all layers/, '<tr class="overall"><td>all layers');

  const body = `
<div class="cards">${cards}</div>
<div class="note">How to read this: entropy measures how diverse each neuron's activations are across examples; MI measures how redundant two neurons are. <b>Heuristic memorization</b> (a shortcut feature) shows as low entropy and high MI; <b>example-level memorization</b> (fitting mislabelled examples) as high entropy and low MI (Bansal, Pruthi &amp; Belinkov, NeurIPS 2022). The measures are comparative: rank networks trained on the same task (<code>infomem compare</code>) rather than judging one network alone.</div>

${warningsHtml(r)}
<h2>Summary</h2>
${summary}
<p class="sub">Entropy: over the neurons of each layer. MI: over the distinct pairs i ≠ j within each layer's block (the "all layers" row: all pairs of the network). Notch: median ± 1.57 IQR/√n.${iv ? ` [95% intervals] of the means from ${iv.resamples} replicates of the examples: ${[iv.entropy ? `entropy by the ${iv.entropy.scheme}` : '', iv.mi ? `MI by ${iv.mi.scheme} (${iv.mi.size.toLocaleString('en-US')} examples each) on ${iv.mi.units.toLocaleString('en-US')} pairs` : ''].filter(Boolean).join(', ')}${r.settings.binning !== 'quantile' && (r.settings.entropy === 'binned' || r.settings.mi === 'binned') ? ", plus the bins' noise from the data's most extreme values (equal-width bins move with them)" : ''}; they cover the estimator's expectation at this S, what models measured at the same S are ranked by.` : ''}</p>

<h2>Entropy</h2>
${figureHtml(entropyFig)}

<h2>Mutual information</h2>
${hasMi ? `<div class="grid">${densityFigs.map(figureHtml).join('\n')}</div>` : '<p>MI was not computed (<code>--mi none</code>).</p>'}
${heatFigs.length ? `<h3>MI matrices</h3><div class="grid">${heatFigs.map(figureHtml).join('\n')}</div>` : hasMi ? (r.pairs && r.pairs.sampled < r.pairs.total ? `<p>MI was measured on ${r.pairs.sampled.toLocaleString('en-US')} pairs drawn at random of ${r.pairs.total.toLocaleString('en-US')} (<code>--pairs random:N</code>): the densities above are of that sample, and there is no matrix to draw as a heatmap.</p>` : '<p>Heatmaps need the MI matrix (mi.npy), which was not given.</p>') : ''}

${significance}

<h2>What was analysed and how</h2>
${methods(r, input)}
<footer>Generated by infomem ${esc(r.tool.version)} on ${esc(r.createdAt)}. Every figure is also in <code>figures/</code> as SVG and PNG.</footer>`;
  const inputsLine = r.inputs.length ? r.inputs.map((i) => esc(basename(i.path))).join(', ') : 'in-memory activations';
  await writeFile(join(dir, 'report.html'), page('infomem analysis report', `${inputsLine} · ${layerNote} · ${esc(r.createdAt)}`, body));
}

/** Warnings and dead neurons, above the summary. */
function warningsHtml(r: Results): string {
  const items = (r.warnings ?? []).map((w) => `<div class="warning" role="alert"><strong>⚠ Warning.</strong> ${esc(w.message)}</div>`);
  const ex = r.excludedConstant;
  if (ex && ex.count > 0) {
    const shown = ex.neurons.slice(0, 20).map((n) => `${esc(n.layer)}[${n.index}]`).join(', ');
    items.push(`<div class="note">${ex.count} constant (dead) neuron${ex.count === 1 ? ' was' : 's were'} set aside before the measures (<code>--exclude-constant</code>): ${shown}${ex.count > 20 ? ', …' : ''}.</div>`);
  } else if (r.constantNeurons > 0) {
    const live = r.overall.meanMILive;
    items.push(`<div class="note">${r.constantNeurons} of ${r.neurons} neurons are constant (dead). Their entropy is 0 and their MI with every neuron ${r.settings.constantMI === 'zero' ? 'is 0' : "is the estimator's degenerate value"}, which pulls the mean MI down${live !== null && live !== undefined ? `: mean MI over live pairs ${fmt(live)} ${esc(r.units)}, against ${fmt(r.overall.meanMI)} over all pairs` : ''}. The MI densities below show live pairs only; <code>--exclude-constant</code> sets dead neurons aside altogether.</div>`);
  }
  return items.join('\n');
}

function card(k: string, v: string, n: string): string {
  return `<div class="card"><div class="k">${esc(k)}</div><div class="v">${v}</div><div class="n">${n}</div></div>`;
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}


/** The "what was analysed and how" section: inputs, sizes, settings, timings, version. */
export function methods(r: Results, input?: AnalysisReportInput): string {
  const s = r.settings;
  const files = r.inputs.length
    ? table(
        ['File', 'Size', 'SHA-256'],
        r.inputs.map((i) => [`<code>${esc(i.path)}</code>`, `${bytes(i.bytes)} <span class="sub">(${i.bytes.toLocaleString('en-US')} bytes)</span>`, `<code>${esc(i.sha256)}</code>`]),
        'files',
      )
    : '<p>No input files recorded (activations were given in memory).</p>';
  const settingsRows: [string, string][] = [
    ['Preset', s.preset],
    ['Entropy estimator', s.entropy === 'kl' ? `Kozachenko-Leonenko (k = ${s.k})` : `binned plug-in, ${s.bins} bins, ${s.binning} scope`],
    ['Miller-Madow correction', s.millerMadow ? 'yes' : 'no'],
    ['MI estimator', esc(describeMi(s))],
    ['Scaling before KSG', s.scale === 'zscore' ? 'z-score per neuron' : 'raw values'],
    ['Jitter before KSG', s.jitter > 0 ? `${s.jitter} × each neuron's standard deviation` : 'none'],
    ['Chance-baseline pairs', String(s.baselinePairs) + (r.baseline ? ` (${r.baseline.pairs} measured)` : '')],
    ['Seed', String(s.seed)],
    ['Threads', String(s.threads)],
    ['Units', r.units],
    ['Examples S', r.samples.toLocaleString('en-US')],
    ['Neurons N', `${r.neurons.toLocaleString('en-US')} (${r.layers.map((l) => `${esc(l.name)}: ${l.neurons}`).join(', ')})`],
    ['Mean entropy by binning scope', Object.entries(r.overall.meanEntropyByBinning).map(([k, v]) => `${esc(k)} ${fmt(v)}`).join(' · ')],
    ['Mean MI with diagonal (reference np.mean)', fmt(r.overall.meanMIWithDiagonal)],
  ];
  if (input) settingsRows.push(['Arrays given to the report', `entropy (${input.entropy.length}), MI ${input.mi ? `${r.neurons} × ${r.neurons}` : 'none'}, baseline ${input.baseline ? `(${input.baseline.length} values)` : 'none'}`]);
  const t = r.timings;
  const timings = table(
    ['Phase', 'Seconds'],
    [
      ['Entropy', fmt(t.entropy)],
      ['Entropy under the other binning scopes', fmt(t.entropyByBinning)],
      ['KSG preparation', fmt(t.prepare)],
      ['All-pairs MI', fmt(t.mi)],
      ['Chance baseline', fmt(t.baseline)],
    ]
      .map(([a, b]) => [esc(a), b])
      .concat([['<b>Total</b>', `<b>${fmt(t.total)}</b>`]]),
  );
  return `<h3>Inputs</h3>${files}
<h3>Settings</h3>${table(['Setting', 'Value'], settingsRows.map(([a, b]) => [esc(a), b]), 'kv')}
<h3>Timings</h3>${timings}
<h3>Methods</h3>
<p>Entropy: H = −Σ p<sub>b</sub> ln p<sub>b</sub> over occupied bins with NumPy-histogram semantics (Algorithm 2 of the paper), in ${esc(r.units)}. MI: the KSG estimator (Kraskov, Stögbauer &amp; Grassberger 2004, algorithm 1) or binned plug-in MI, computed exactly for all N(N−1)/2 pairs. Chance baseline: the same estimator on pairs whose second neuron's examples are permuted by one seeded permutation.</p>
<p>Figures: densities are fitted Gaussian mixtures (EM, deterministic quantile and seeded k-means++ starts, 1–6 components chosen by BIC = −2 ln L + (3m − 1) ln n). Heatmaps order neurons by average-linkage hierarchical clustering (nearest-neighbour chain) on d(i, j) = max MI − MI(i, j). Results schema ${esc(r.schema)} v${r.version}; infomem ${esc(r.tool.version)}; created ${esc(r.createdAt)}.</p>`;
}
