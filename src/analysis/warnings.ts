/**
 * Warnings about numbers that would mislead: they go to stderr, into results.json
 * (`warnings`) and into the report.
 */
import type { ActivationSet } from '../core/activations/activation-set.js';
import { detectBinCollapse } from '../core/binning/collapse.js';
import type { BinEdges } from '../core/binning/strategy/index.js';
import type { Settings } from './settings.js';

/** One warning: a code to test for, a one-line message, and where it points. */
export interface AnalysisWarning {
  /**
   * `'bins-collapsed'`: shared bins stretched by extreme values put most neurons in 1-2 bins;
   * `'few-examples'`: too few examples for the MI estimator to mean anything;
   * `'bins-vs-examples'`: B bins for at most B examples (every entropy near ln S);
   * `'infinite-entropy'`: Kozachenko-Leonenko entropy -Infinity on neurons with repeated values;
   * `'tied-values'`: Kozachenko-Leonenko entropy on neurons with many repeated values (set by the jitter);
   * `'selection-dependent'`: global bins over the chosen layers (the entropies depend on the choice).
   */
  code: 'bins-collapsed' | 'few-examples' | 'bins-vs-examples' | 'infinite-entropy' | 'tied-values' | 'selection-dependent';
  message: string;
  /** The layer the warning is about (null: all layers). */
  layer: string | null;
  /** Bins collapsed: the neuron (its layer and original column) and example of the extreme value. */
  at?: { layer: string; neuron: number; example: number; value: number };
}

/** MI estimators below this many examples give numbers dominated by their bias. */
export const MI_MEANINGFUL_SAMPLES = 20;

/**
 * Warnings that the settings and sizes alone give: an MI estimator on fewer than 20 examples,
 * B >= S bins, global bins drawn over a choice of layers; and, from the entropies, Kozachenko-
 * Leonenko entropies of -Infinity (neurons with repeated values, left out of the means).
 */
export function settingWarnings(s: Settings, samples: number, entropy: Float64Array, layerNames: (n: number) => string, chosenLayers: readonly string[] | null, allLayers: number, tiedNeurons?: readonly number[]): AnalysisWarning[] {
  const out: AnalysisWarning[] = [];
  if (s.mi !== 'none' && samples < MI_MEANINGFUL_SAMPLES) out.push({ code: 'few-examples', layer: null, message: `only ${samples} examples: ${s.mi === 'binned' ? 'binned' : s.mi === 'gcmi' ? 'Gaussian-copula' : s.mi.toUpperCase()} MI on fewer than ${MI_MEANINGFUL_SAMPLES} examples is dominated by its bias (GCMI on S = 2 gives its largest value for every pair); do not compare it` });
  if ((s.entropy === 'binned' || s.mi === 'binned') && s.bins >= samples) out.push({ code: 'bins-vs-examples', layer: null, message: `${s.bins} bins for ${samples} examples: with at least as many bins as examples, every neuron's binned entropy is near ln ${samples} = ${Math.log(samples).toFixed(3)} nats and tells nothing; use far fewer bins (--bins)` });
  if (s.entropy === 'kl') {
    const bad: number[] = [];
    for (let n = 0; n < entropy.length; n++) if (!Number.isFinite(entropy[n])) bad.push(n);
    if (bad.length > 0)
      out.push({
        code: 'infinite-entropy',
        layer: null,
        message: `${bad.length} neuron${bad.length === 1 ? ' has' : 's have'} Kozachenko-Leonenko entropy -Infinity (repeated values, e.g. dead or ReLU units: ${bad.slice(0, 3).map(layerNames).join(', ')}${bad.length > 3 ? ', ...' : ''}); they are left out of the mean and median entropy; --jitter X breaks the ties`,
      });
    const tied = (tiedNeurons ?? []).filter((n) => Number.isFinite(entropy[n]));
    if (tied.length > 0)
      out.push({
        code: 'tied-values',
        layer: null,
        message: `${tied.length} neuron${tied.length === 1 ? ' has' : 's have'} repeated values on over 5% of the examples (e.g. ReLU zeros: ${tied.slice(0, 3).map(layerNames).join(', ')}${tied.length > 3 ? ', ...' : ''}): their Kozachenko-Leonenko entropy is set by the jitter's scale (${s.jitter}), not by the data, and means nothing; use the binned entropy for such units`,
      });
  }
  if (s.binning === 'global' && chosenLayers && chosenLayers.length > 0 && chosenLayers.length < allLayers)
    out.push({ code: 'selection-dependent', layer: null, message: `global bins span the ${chosenLayers.length} chosen layer${chosenLayers.length === 1 ? '' : 's'} (--layers): the entropies depend on which layers were chosen; --binning layer makes each layer's its own` });
  return out;
}

/**
 * Shared bins (`global`, `layer`) that collapsed because of extreme values (see
 * core/binning/collapse.ts): one warning for the whole set (global) or per layer.
 */
export function binCollapseWarnings(set: ActivationSet, edges: BinEdges, occupied: ArrayLike<number>, constantMask: Uint8Array, s: Settings): AnalysisWarning[] {
  if (s.binning !== 'global' && s.binning !== 'layer') return [];
  const S = set.samples;
  const W = s.bins + 1;
  const groups = s.binning === 'global' ? [{ name: null as string | null, from: 0, to: set.layers.reduce((n, l) => n + l.size, 0) }] : set.layers.map((l) => ({ name: l.name, from: l.offset, to: l.offset + l.size }));
  const out: AnalysisWarning[] = [];
  for (const g of groups) {
    if (g.to <= g.from) continue;
    const lo = edges.edges[g.from * W];
    const hi = edges.edges[g.from * W + s.bins];
    const c = detectBinCollapse(set.values, occupied, S, s.bins, constantMask, g.from, g.to, lo, hi);
    if (!c) continue;
    const layer = set.layers.find((l) => c.neuron >= l.offset && c.neuron < l.offset + l.size)!;
    const neuron = set.sourceIndex[c.neuron];
    const scope = g.name === null ? 'global bins' : `layer bins of '${g.name}'`;
    out.push({
      code: 'bins-collapsed',
      layer: g.name,
      at: { layer: layer.name, neuron, example: c.example, value: c.value },
      message: `${scope}: ${c.collapsed} of ${c.live} live neurons fall into at most 2 of the ${s.bins} bins, which span ${fmt(c.lo)} .. ${fmt(c.hi)} because of extreme values (the most extreme: ${fmt(c.value)}, layer '${layer.name}', neuron ${neuron}, example ${c.example}); their entropies are near 0 and say little: use --binning neuron (or quantile)`,
    });
  }
  return out;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e6 || (v !== 0 && Math.abs(v) < 1e-4) ? v.toExponential(3) : String(Number(v.toPrecision(6)));
}

/** Neurons (set order) whose values repeat on over 5% of the examples (ties a k-NN entropy cannot see past). */
export function neuronsWithTies(values: ArrayLike<number>, neurons: number, samples: number): number[] {
  const out: number[] = [];
  const v = new Float64Array(samples);
  for (let n = 0; n < neurons; n++) {
    for (let i = 0; i < samples; i++) v[i] = values[n * samples + i];
    v.sort();
    let ties = 0;
    for (let i = 1; i < samples; i++) if (v[i] === v[i - 1]) ties++;
    if (ties > 0.05 * samples) out.push(n);
  }
  return out;
}
