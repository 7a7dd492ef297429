/**
 * The figures of a comparison report, as Vega-Lite specs with names and captions (no I/O: the
 * CLI writes them as files, the browser app draws them): per layer, every model's entropy box
 * plots with accuracy on a second axis; the memorization map; the overlaid MI densities.
 */
import type { Comparison } from '../compare/comparison.js';
import type { Results } from '../analysis/results.js';
import { curveOn, densityFromHistogram, densityFromValues, offDiagonal, range, type DensityPlotData } from './density.js';
import { boxPlotSpec, densityOverlaySpec } from './figures.js';
import { memorizationMapSpec } from './map-figure.js';
import { esc, slug, type FigureDef } from './html.js';
import { viridisCss } from './vega-render.js';
import { modelColors } from './theme.js';

/** One model of a comparison report: its label, results, validation accuracy and (optionally) its MI matrix. */
export interface ComparisonReportModel {
  label: string;
  results: Results;
  accuracy: number | null;
  /** The N x N MI matrix (mi.npy); without it the densities are fitted to the results' histograms. */
  mi?: Float64Array | null;
}

/** The comparison report's figures, and the colour of each model. */
export function comparisonFigureDefs(comparison: Comparison, models: ComparisonReportModel[]): { defs: FigureDef[]; colors: string[] } {
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
  return { defs, colors };
}

const emptyBox = { n: 0, min: NaN, q1: NaN, median: NaN, q3: NaN, max: NaN, mean: NaN, notchLow: NaN, notchHigh: NaN, whiskerLow: NaN, whiskerHigh: NaN, outliers: [] as number[] };

function safe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}
