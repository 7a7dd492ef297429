import { boxStats, type BoxStats } from '../core/summary/box.js';
import { miBlockSummary, pairListSummary, valuesSummary, type MiSummary } from '../core/summary/mi-summary.js';
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
    /**
     * With sampled pairs (`settings.pairs` a count): the standard error of `meanMI` as an
     * estimate of the all-pairs mean (finite-population corrected), and its 95% interval
     * meanMI +- 1.96 stdErr. Null when every pair was measured (the mean is exact).
     */
    meanMIStdErr: number | null;
    meanMIInterval95: [number, number] | null;
  };
  /** Pairs measured: all (`sampled` = `total`) or a seeded sample; null without MI. */
  pairs: { sampled: number; total: number } | null;
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
  const sample = m.sample ? { pairs: m.sample.pairs, values: m.sample.values.map((v) => v * f) } : null;
  const block = (from: number, to: number, exclude?: Uint8Array): MiSummary | null =>
    mi ? miBlockSummary(mi, N, from, to, 50, exclude) : sample ? pairListSummary(sample.pairs, sample.values, from, to, 50, exclude) : null;
  const layers: LayerResult[] = m.layers.map((l) => ({
    name: l.name,
    neurons: l.size,
    offset: l.offset,
    constantNeurons: countConstant(m, l.offset, l.offset + l.size),
    entropy: boxStats(entropy.subarray(l.offset, l.offset + l.size)),
    mi: block(l.offset, l.offset + l.size),
    miLive: block(l.offset, l.offset + l.size, m.constantMask),
  }));
  const overallMi = block(0, N);
  const overallLive = block(0, N, m.constantMask);
  const stdErr = sample && overallMi ? sampleStdErr(sample.values, overallMi.mean, m.sample!.of) : null;
  const entropyBox = boxStats(entropy);
  let baseline: BaselineResult | null = null;
  if (m.baseline && m.baseline.values.length > 0 && (mi || sample)) {
    const b = valuesSummary(m.baseline.values.map((v) => v * f), 10);
    let above = 0;
    let of = 0;
    if (mi) {
      for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) if (mi[i * N + j] > b.p95) above++;
      of = (N * (N - 1)) / 2;
    } else {
      for (const v of sample!.values) if (v > b.p95) above++;
      of = sample!.values.length;
    }
    baseline = { pairs: b.pairs, mean: b.mean, p95: b.p95, fractionAboveP95: of > 0 ? above / of : 0 };
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
      meanMIStdErr: stdErr,
      meanMIInterval95: stdErr !== null && overallMi ? [overallMi.mean - 1.96 * stdErr, overallMi.mean + 1.96 * stdErr] : null,
    },
    pairs: m.sample ? { sampled: m.sample.values.length, total: m.sample.of } : mi ? { sampled: (N * (N - 1)) / 2, total: (N * (N - 1)) / 2 } : null,
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

/**
 * Standard error of a sample mean of n of the `total` values (drawn without replacement):
 * sd / sqrt(n) * sqrt((total - n) / (total - 1)), sd with n - 1 in the denominator.
 */
function sampleStdErr(values: Float64Array, mean: number, total: number): number {
  const n = values.length;
  if (n < 2) return NaN;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const fpc = total > 1 ? Math.sqrt(Math.max(0, total - n) / (total - 1)) : 0;
  return (Math.sqrt(ss / (n - 1)) / Math.sqrt(n)) * fpc;
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
