/**
 * The figures of an analysis report, as Vega-Lite specs with their names and captions (no I/O:
 * the CLI writes them as files, the browser app draws them in the page): the per-layer entropy
 * box plots, the MI densities (overall and per layer, over the pairs of live neurons) and the
 * clustered MI heatmaps.
 */
import type { Results } from '../analysis/results.js';
import { densityFromHistogram, densityFromValues, offDiagonal, range, type DensityPlotData } from './density.js';
import { boxPlotSpec, densitySpec, heatmapSpec } from './figures.js';
import { buildHeatmap } from './heatmap.js';
import { esc, pct, slug, type FigureDef } from './html.js';
import { PRIMARY } from './theme.js';

/** What the analysis figures draw: the results document and the arrays behind it. */
export interface AnalysisFiguresInput {
  results: Results;
  /** Per-neuron entropies (entropy.npy), in `results.units`. */
  entropy: Float64Array;
  /** The N x N MI matrix (mi.npy), in `results.units`; null when MI was not computed. */
  mi: Float64Array | null;
  /** 1 for each constant (dead) neuron; their pairs are left out of the MI densities. */
  constant?: Uint8Array | null;
}

/** Largest N for which the whole matrix is drawn as one heatmap (beyond it: per layer only). */
export const WHOLE_HEATMAP_LIMIT = 1024;

/** The analysis report's figures, in report order. */
export function analysisFigureDefs(input: AnalysisFiguresInput): FigureDef[] {
  const r = input.results;
  const N = r.neurons;
  const u = r.units;
  if (input.entropy.length !== N) throw new RangeError(`report: ${input.entropy.length} entropies for ${N} neurons`);
  const mi = input.mi && input.mi.length === N * N ? input.mi : null;
  if (input.mi && !mi) throw new RangeError(`report: MI matrix of ${input.mi.length} values for ${N} neurons`);
  const hasMi = mi !== null || r.overall.mi !== null;
  const baseline = r.baseline ? { mean: r.baseline.mean, p95: r.baseline.p95 } : null;
  const layerNote = `${r.layers.length} layer${r.layers.length === 1 ? '' : 's'}, N = ${N} neurons, S = ${r.samples} examples`;

  const defs: FigureDef[] = [];
  // 1. entropy box plots
  defs.push({
    name: 'entropy-boxplot',
    alt: 'Notched box plots of per-neuron entropy, one per layer',
    caption: `Entropy of each neuron's activations over the S = ${r.samples} examples, per layer (${binningWords(r)}). Box: quartiles; notch: median ± 1.57 IQR/√n (≈95% interval of the median; non-overlapping notches suggest different medians); whiskers: most extreme values within 1.5 IQR; circles: outliers. Low entropy points to heuristic (shortcut) memorization, high entropy to example-level memorization (compare networks of the same task).`,
    spec: boxPlotSpec({
      title: 'Per-neuron entropy by layer',
      subtitle: [layerNote],
      units: u,
      xTitle: 'Layer',
      items: r.layers.map((l) => ({ label: l.name, stats: l.entropy, color: PRIMARY })),
    }),
  });

  // 2. MI densities, over the pairs of live neurons: a dead neuron's pairs are exact zeros (or
  // the estimator's degenerate value) that would stack up as a spike and squash the rest.
  const dead = input.constant && input.constant.length === N ? input.constant : null;
  const live = (from: number, n: number): Int32Array => (dead ? range(from, n).filter((i) => !dead[i]) : range(from, n));
  const densities: { name: string; label: string; data: DensityPlotData; pairs: number; left: number }[] = [];
  const pairsOf = (n: number): number => (n * (n - 1)) / 2;
  if (hasMi) {
    const all = live(0, N);
    const overallSummary = r.overall.miLive ?? r.overall.mi!;
    const overall = mi ? densityFromValues(offDiagonal(mi, N, all)) : densityFromHistogram(overallSummary.histogram);
    if (overall.n > 0) densities.push({ name: 'mi-density-overall', label: 'all layers', data: overall, pairs: mi ? pairsOf(all.length) : overallSummary.pairs, left: pairsOf(N) - (mi ? pairsOf(all.length) : overallSummary.pairs) });
    r.layers.forEach((l, i) => {
      if (l.neurons < 2) return;
      const idx = live(l.offset, l.neurons);
      const summary = l.miLive ?? l.mi;
      const d = mi ? (idx.length >= 2 ? densityFromValues(offDiagonal(mi, N, idx)) : null) : summary && summary.pairs > 0 ? densityFromHistogram(summary.histogram) : null;
      if (d) densities.push({ name: `mi-density-${slug(l.name, i)}`, label: `layer ${l.name}`, data: d, pairs: mi ? pairsOf(idx.length) : summary!.pairs, left: pairsOf(l.neurons) - (mi ? pairsOf(idx.length) : summary!.pairs) });
    });
  }
  for (const d of densities) {
    const m = d.data.model;
    const leftOut = d.left > 0 ? ` ${d.left.toLocaleString('en-US')} pairs with a constant (dead) neuron are left out: their MI is ${r.settings.constantMI === 'zero' ? 'exactly 0' : "the estimator's degenerate value"} whatever the network does, and would stack up as a spike.` : '';
    defs.push({
      name: d.name,
      alt: `Distribution of pairwise MI, ${d.label}`,
      caption: `MI of the ${d.pairs.toLocaleString('en-US')} distinct pairs (i ≠ j) of live neurons of ${esc(d.label)}:${leftOut} histogram on the density scale (bars) and a Gaussian mixture density (orange curve; ${m ? `${m.weights.length} component${m.weights.length === 1 ? '' : 's'} chosen by BIC among 1–6` : 'not fitted'}; ${esc(d.data.fitNote)}).${baseline ? ' Dashed lines: mean and 95th percentile of the chance baseline (MI of pairs with one neuron\'s examples shuffled).' : ''} Mass at high MI means redundant neurons (heuristic memorization); mass near the chance level means independent neurons.`,
      spec: densitySpec({
        title: `Pairwise MI: ${d.label}`,
        subtitle: [`${d.pairs.toLocaleString('en-US')} pairs${d.left > 0 ? ` of live neurons (${d.left.toLocaleString('en-US')} with a dead neuron left out)` : ''}; GMM with ${m ? m.weights.length : 0} component${m && m.weights.length === 1 ? '' : 's'} (BIC)${r.baseline && d.name === 'mi-density-overall' ? `; ${pct(r.baseline.fractionAboveP95)} above chance p95` : ''}`],
        units: u,
        data: d.data,
        baseline,
      }),
    });
  }

  // 3. heatmaps
  if (mi) {
    const segs = r.layers.map((l) => ({ label: l.name, neurons: range(l.offset, l.neurons) }));
    const heatCaption = (what: string, h: ReturnType<typeof buildHeatmap>) =>
      `MI between neuron pairs of ${what}. Within each layer, neurons are in the leaf order of average-linkage hierarchical clustering on the distance d(i, j) = max MI − MI(i, j) (computed over that layer's block; the diagonal, each neuron's self-information, is ignored), so groups of mutually dependent neurons form bright blocks. ${h.cells < h.neurons ? `${h.neurons} neurons are shown as ${h.cells} × ${h.cells} cells, each the mean MI over its pairs. ` : 'Grey cells: the diagonal. '}Colour: viridis from the minimum to the 99th percentile of the cells (higher values clipped).`;
    if (N <= WHOLE_HEATMAP_LIMIT && r.layers.length > 1) {
      const h = buildHeatmap(mi, N, segs);
      defs.push({
        name: 'mi-heatmap-all',
        alt: 'Heatmap of the whole MI matrix, clustered within layers',
        caption: heatCaption('all layers (white lines separate the layers, in their order)', h),
        spec: heatmapSpec({ title: 'MI matrix: all layers', subtitle: [`${N} neurons${h.cells < N ? `, ${h.cells} × ${h.cells} cells` : ''}; clustered within each layer`], units: u, heat: h, axisTitle: 'Neuron (layer blocks, clustered order)' }),
      });
    }
    r.layers.forEach((l, i) => {
      if (l.neurons < 2) return;
      const h = buildHeatmap(mi, N, [segs[i]]);
      defs.push({
        name: `mi-heatmap-${slug(l.name, i)}`,
        alt: `Heatmap of the MI matrix of layer ${l.name}`,
        caption: heatCaption(`layer ${esc(l.name)}`, h),
        spec: heatmapSpec({ title: `MI matrix: layer ${l.name}`, subtitle: [`${l.neurons} neurons${h.cells < l.neurons ? `, ${h.cells} × ${h.cells} cells (block means)` : ''}; average-linkage order`], units: u, heat: h, axisTitle: `Neuron of ${l.name} (clustered order)` }),
      });
    });
  }

  return defs;
}

/** How the entropy was binned, in words. */
export function binningWords(r: Results): string {
  const s = r.settings;
  if (s.entropy === 'kl') return `Kozachenko-Leonenko estimator, k = ${s.k}`;
  return `plug-in estimate on ${s.bins} ${s.binning} bins${s.millerMadow ? ', Miller-Madow corrected' : ''}`;
}
