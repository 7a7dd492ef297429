import { boxStats, type BoxStats } from '../core/summary/box.js';
import { miBlockSummary, pairListSummary, valuesSummary, type MiSummary } from '../core/summary/mi-summary.js';
import { natsTo, type Units } from '../core/units.js';
import { sampleStdErr } from '../core/summary/sample-std-err.js';
import type { Settings } from './settings.js';
import type { ComparedBinning, Measures } from './compute.js';
import type { AnalysisWarning } from './warnings.js';
import type { IntervalStat, Intervals, StatSet } from './intervals.js';

export const RESULTS_SCHEMA = 'infomem/results';
export const RESULTS_VERSION = 1;

export type { InputRecord } from '../inputs/input-record.js';
import type { InputRecord } from '../inputs/input-record.js';

/** What was analysed of the inputs, enough to rerun it (with `settings`). */
export interface SelectionRecord {
  layers: string[] | null;
  /** Examples: the first `count`, or `count` at random (seeded by settings.seed). */
  samples: { count: number; random: boolean } | null;
  neuronsPerLayer: { count: number; random: boolean } | null;
  sampleNeurons: number | null;
  excludeConstant: boolean;
  /** Reduction of rank-3 token arrays, NaN policy, CSV header rule: as given (null: default). */
  token: string | null;
  nan: string | null;
  header: string | null;
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
  /** What was selected of the inputs (null: not recorded, files before it was). */
  selection: SelectionRecord | null;
  /**
   * The example ids the user gave (`--example-ids`): how many, and the SHA-256 of the file, which
   * is what `compare` checks to know that two analyses saw the same examples.
   */
  examples: { path: string; count: number; sha256: string } | null;
  /** The command line that made this file (null from the library, unless given). */
  command: string[] | null;
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
  /**
   * 95% intervals of the ranking means from resampling examples, with their replicate
   * deviations (analysis/intervals.ts); null when not computed (`--resamples 0`).
   */
  intervals: Intervals | null;
  /**
   * Per-pair significance (`--significance N`; null without): the surrogates, the FDR level,
   * how many pairs were tested and are significant (Benjamini-Hochberg q <= fdr), overall and
   * per layer (its own pairs), and for GCMI how far the analytic p-values are from the
   * permutation ones. The p-values themselves: pvalues.npy, or pairs.npy's columns 4 and 5.
   */
  significance: SignificanceResult | null;
  /** Per-neuron values in entropy.npy order; `constant` is 1 for a constant (dead) neuron. */
  perNeuron: { layer: string[]; index: number[]; entropy: (number | null)[]; constant: number[] };
  timings: Measures['timings'];
}

export interface SignificanceResult {
  method: 'permutation';
  surrogates: number;
  seed: number;
  fdr: number;
  tested: number;
  significant: number;
  fractionSignificant: number;
  layers: { name: string; tested: number; significant: number; fractionSignificant: number }[];
  /** GCMI: the copula correlation's t test against the permutations (mean and max |difference|). */
  analytic: { method: 't-test of the copula correlation'; meanAbsDifference: number; maxAbsDifference: number } | null;
}

/** The significance summary: counts overall and per layer. */
function significanceOf(m: Measures): SignificanceResult | null {
  const g = m.significance;
  if (!g) return null;
  const P = g.p.length;
  const layerOf = new Int32Array(m.entropy.length);
  m.layers.forEach((l, h) => layerOf.fill(h, l.offset, l.offset + l.size));
  const tested = new Float64Array(m.layers.length);
  const hits = new Float64Array(m.layers.length);
  let significant = 0;
  for (let k = 0; k < P; k++) {
    const sig = g.q[k] <= g.fdr;
    if (sig) significant++;
    const h = layerOf[g.pairs[2 * k]];
    if (h !== layerOf[g.pairs[2 * k + 1]]) continue;
    tested[h]++;
    if (sig) hits[h]++;
  }
  let analytic: SignificanceResult['analytic'] = null;
  if (g.analyticP) {
    let sum = 0;
    let max = 0;
    for (let k = 0; k < P; k++) {
      const d = Math.abs(g.analyticP[k] - g.p[k]);
      sum += d;
      max = Math.max(max, d);
    }
    analytic = { method: 't-test of the copula correlation', meanAbsDifference: P ? sum / P : 0, maxAbsDifference: max };
  }
  return {
    method: 'permutation',
    surrogates: g.surrogates,
    seed: g.seed,
    fdr: g.fdr,
    tested: P,
    significant,
    fractionSignificant: P ? significant / P : 0,
    layers: m.layers.map((l, h) => ({ name: l.name, tested: tested[h], significant: hits[h], fractionSignificant: tested[h] ? hits[h] / tested[h] : 0 })),
    analytic,
  };
}

/** Summarises measures into the results document; values converted to `units`. */
export function buildResults(
  m: Measures,
  opts: { units?: Units; inputs?: InputRecord[]; version: string; now?: Date; excludedConstant?: ExcludedNeurons | null; selection?: SelectionRecord | null; examples?: Results['examples']; command?: string[] | null; warnings?: AnalysisWarning[] },
): Results {
  const units = opts.units ?? 'nats';
  const f = natsTo(units);
  const N = m.entropy.length;
  const entropy = m.entropy.map((v) => v * f);
  const mi = m.mi; // in nats: scaled by f as it is read (a copy of an N x N matrix would be 20 GB at N = 50,000)
  const sample = m.sample ? { pairs: m.sample.pairs, values: m.sample.values.map((v) => v * f) } : null;
  const block = (from: number, to: number, exclude?: Uint8Array): MiSummary | null =>
    mi ? miBlockSummary(mi, N, from, to, 50, exclude, f) : sample ? pairListSummary(sample.pairs, sample.values, from, to, 50, exclude) : null;
  const layers: LayerResult[] = m.layers.map((l) => ({
    name: l.name,
    neurons: l.size,
    offset: l.offset,
    constantNeurons: countConstant(m, l.offset, l.offset + l.size),
    entropy: boxStats(entropy.subarray(l.offset, l.offset + l.size)),
    mi: block(l.offset, l.offset + l.size),
    // without constant neurons the live summary is the same one (no second pass over the block)
    miLive: countConstant(m, l.offset, l.offset + l.size) === 0 ? null : block(l.offset, l.offset + l.size, m.constantMask),
  }));
  for (const l of layers) if (l.miLive === null) l.miLive = l.mi;
  const overallMi = block(0, N);
  const overallLive = m.constantNeurons === 0 ? overallMi : block(0, N, m.constantMask);
  const stdErr = sample && overallMi ? sampleStdErr(sample.values, overallMi.mean, m.sample!.of) : null;
  const entropyBox = boxStats(entropy);
  let baseline: BaselineResult | null = null;
  if (m.baseline && m.baseline.values.length > 0 && (mi || sample)) {
    const b = valuesSummary(m.baseline.values.map((v) => v * f), 10);
    let above = 0;
    let of = 0;
    if (mi) {
      for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) if (mi[i * N + j] * f > b.p95) above++;
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
    selection: opts.selection ?? null,
    examples: opts.examples ?? null,
    command: opts.command ?? null,
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
    warnings: [...m.warnings, ...(opts.warnings ?? [])],
    baseline,
    intervals: m.intervals ? intervalsIn(m.intervals, f) : null,
    significance: significanceOf(m),
    perNeuron: {
      layer: m.layers.flatMap((l) => Array<string>(l.size).fill(l.name)),
      index: Array.from(m.sourceIndex),
      entropy: Array.from(entropy, (v) => (Number.isFinite(v) ? v : null)),
      constant: Array.from(m.constantMask),
    },
    timings: m.timings,
  };
}


/** Intervals converted from nats by the factor f. */
function intervalsIn(iv: Intervals, f: number): Intervals {
  if (f === 1) return iv;
  const stat = (x: IntervalStat | null): IntervalStat | null =>
    x ? { value: x.value * f, se: x.se * f, low: x.low * f, high: x.high * f, parts: Object.fromEntries(Object.entries(x.parts).map(([k, v]) => [k, v * f])) as IntervalStat['parts'], deviations: x.deviations.map((d) => d * f) } : null;
  const set = (x: StatSet): StatSet => ({ meanEntropy: stat(x.meanEntropy), meanMI: stat(x.meanMI), medianMI: stat(x.medianMI) });
  return { ...iv, overall: set(iv.overall), layers: iv.layers.map((l) => ({ name: l.name, ...set(l) })) };
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
