import { boxStats, type BoxStats } from '../core/summary/box.js';
import { miBlockSummary, valuesSummary, type MiSummary } from '../core/summary/mi-summary.js';
import { natsTo, type Units } from '../core/units.js';
import type { Settings } from './settings.js';
import type { ComparedBinning, Measures } from './compute.js';
import type { AnalysisWarning } from './warnings.js';

export const RESULTS_SCHEMA = 'infomem/results';
export const RESULTS_VERSION = 1;

/** One analysed input file. */
export interface InputRecord {
  path: string;
  bytes: number;
  sha256: string;
}

export interface LayerResult {
  name: string;
  neurons: number;
  /** Index of the layer's first neuron in entropy.npy / mi.npy. */
  offset: number;
  constantNeurons: number;
  entropy: BoxStats;
  /** Summary of the layer's own block of the MI matrix (null without MI). */
  mi: MiSummary | null;
  /** The same over the pairs of live (non-constant) neurons only (null without MI). */
  miLive: MiSummary | null;
}

/** Constant neurons set aside before the measures (`--exclude-constant`). */
export interface ExcludedNeurons {
  count: number;
  /** Each excluded neuron: its layer and its column in that layer. */
  neurons: { layer: string; index: number }[];
}

/** The chance baseline summarised: MI of pairs whose second neuron's examples were permuted. */
export interface BaselineResult {
  pairs: number;
  mean: number;
  p95: number;
  /** Fraction of all distinct pairs whose MI exceeds the baseline's 95th percentile. */
  fractionAboveP95: number;
}

/** `results.json`, schema version 1 (documented field by field in the README). */
export interface Results {
  schema: typeof RESULTS_SCHEMA;
  version: typeof RESULTS_VERSION;
  tool: { name: 'infomem'; version: string };
  createdAt: string;
  units: Units;
  settings: Settings;
  inputs: InputRecord[];
  samples: number;
  neurons: number;
  constantNeurons: number;
  layers: LayerResult[];
  overall: {
    /** Mean over all neurons of the per-neuron entropy (the paper's model-selection scalar). */
    meanEntropy: number;
    medianEntropy: number;
    /** Mean MI over all distinct pairs i != j (the diagonal, self-information, left out). */
    meanMI: number | null;
    /** Mean over every cell of the N x N matrix, diagonal included (the reference's np.mean). */
    meanMIWithDiagonal: number | null;
    meanEntropyByBinning: Record<ComparedBinning, number>;
    entropy: BoxStats;
    mi: MiSummary | null;
    /**
     * Mean MI over the distinct pairs of live (non-constant) neurons: a dead neuron's MI is 0
     * with everything (default preset), so many dead neurons drag `meanMI` down.
     */
    meanMILive: number | null;
    miLive: MiSummary | null;
  };
  /** Constant neurons left out before the measures (null when none were set aside). */
  excludedConstant: ExcludedNeurons | null;
  /** Numbers that would mislead (e.g. shared bins collapsed by extreme values). */
  warnings: AnalysisWarning[];
  baseline: BaselineResult | null;
  /** Per-neuron values in entropy.npy order; `constant` is 1 for a constant (dead) neuron. */
  perNeuron: { layer: string[]; index: number[]; entropy: (number | null)[]; constant: number[] };
  timings: Measures['timings'];
}

/** Summarises measures into the results document; values converted to `units`. */
export function buildResults(m: Measures, opts: { units?: Units; inputs?: InputRecord[]; version: string; now?: Date; excludedConstant?: ExcludedNeurons | null }): Results {
  const units = opts.units ?? 'nats';
  const f = natsTo(units);
  const N = m.entropy.length;
  const entropy = m.entropy.map((v) => v * f);
  const mi = m.mi ? m.mi.map((v) => v * f) : null;
  const layers: LayerResult[] = m.layers.map((l) => ({
    name: l.name,
    neurons: l.size,
    offset: l.offset,
    constantNeurons: countConstant(m, l.offset, l.offset + l.size),
    entropy: boxStats(entropy.subarray(l.offset, l.offset + l.size)),
    mi: mi ? miBlockSummary(mi, N, l.offset, l.offset + l.size) : null,
    miLive: mi ? miBlockSummary(mi, N, l.offset, l.offset + l.size, 50, m.constantMask) : null,
  }));
  const overallMi = mi ? miBlockSummary(mi, N, 0, N) : null;
  const overallLive = mi ? miBlockSummary(mi, N, 0, N, 50, m.constantMask) : null;
  const entropyBox = boxStats(entropy);
  let baseline: BaselineResult | null = null;
  if (m.baseline && m.baseline.values.length > 0 && mi) {
    const b = valuesSummary(m.baseline.values.map((v) => v * f), 10);
    let above = 0;
    for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) if (mi[i * N + j] > b.p95) above++;
    baseline = { pairs: b.pairs, mean: b.mean, p95: b.p95, fractionAboveP95: N > 1 ? above / ((N * (N - 1)) / 2) : 0 };
  }
  const byBinning = Object.fromEntries(Object.entries(m.meanEntropyByBinning).map(([k, v]) => [k, v * f])) as Record<ComparedBinning, number>;
  return {
    schema: RESULTS_SCHEMA,
    version: RESULTS_VERSION,
    tool: { name: 'infomem', version: opts.version },
    createdAt: (opts.now ?? new Date()).toISOString(),
    units,
    settings: m.settings,
    inputs: opts.inputs ?? [],
    samples: m.samples,
    neurons: N,
    constantNeurons: m.constantNeurons,
    layers,
    overall: {
      meanEntropy: entropyBox.mean,
      medianEntropy: entropyBox.median,
      meanMI: overallMi ? overallMi.mean : null,
      meanMIWithDiagonal: overallMi ? overallMi.meanWithDiagonal : null,
      meanEntropyByBinning: byBinning,
      entropy: entropyBox,
      mi: overallMi,
      meanMILive: overallLive ? overallLive.mean : null,
      miLive: overallLive,
    },
    excludedConstant: opts.excludedConstant ?? null,
    warnings: m.warnings,
    baseline,
    perNeuron: {
      layer: m.layers.flatMap((l) => Array<string>(l.size).fill(l.name)),
      index: Array.from(m.sourceIndex),
      entropy: Array.from(entropy, (v) => (Number.isFinite(v) ? v : null)),
      constant: Array.from(m.constantMask),
    },
    timings: m.timings,
  };
}

function countConstant(m: Measures, from: number, to: number): number {
  // a constant neuron has exactly zero binned entropy and zero MI with everything
  let c = 0;
  for (let n = from; n < to; n++) if (m.constantMask[n]) c++;
  return c;
}

/** JSON text of results: non-finite numbers become null. */
export function resultsToJson(r: Results): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
