/**
 * Warnings about numbers that would mislead: they go to stderr, into results.json
 * (`warnings`) and into the report.
 */
import type { ActivationSet } from '../core/activations/activation-set.js';
import type { BinCodeArray } from '../core/binning/bin-codes.js';
import { detectBinCollapse } from '../core/binning/collapse.js';
import type { BinEdges } from '../core/binning/strategy/index.js';
import type { Settings } from './settings.js';

/** One warning: a code to test for, a one-line message, and where it points. */
export interface AnalysisWarning {
  /** `'bins-collapsed'`: shared bins stretched by extreme values put most neurons in 1-2 bins. */
  code: 'bins-collapsed';
  message: string;
  /** The layer the warning is about (null: all layers). */
  layer: string | null;
  /** The neuron (its layer and original column) and example of the extreme value. */
  at: { layer: string; neuron: number; example: number; value: number };
}

/**
 * Shared bins (`global`, `layer`) that collapsed because of extreme values (see
 * core/binning/collapse.ts): one warning for the whole set (global) or per layer.
 */
export function binCollapseWarnings(set: ActivationSet, edges: BinEdges, codes: BinCodeArray, constantMask: Uint8Array, s: Settings): AnalysisWarning[] {
  if (s.binning !== 'global' && s.binning !== 'layer') return [];
  const S = set.samples;
  const W = s.bins + 1;
  const groups = s.binning === 'global' ? [{ name: null as string | null, from: 0, to: set.layers.reduce((n, l) => n + l.size, 0) }] : set.layers.map((l) => ({ name: l.name, from: l.offset, to: l.offset + l.size }));
  const out: AnalysisWarning[] = [];
  for (const g of groups) {
    if (g.to <= g.from) continue;
    const lo = edges.edges[g.from * W];
    const hi = edges.edges[g.from * W + s.bins];
    const c = detectBinCollapse(set.values, codes, S, s.bins, constantMask, g.from, g.to, lo, hi);
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
