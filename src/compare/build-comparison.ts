import { kendallTauB } from '../core/stats/kendall.js';
import { comparedBinnings, type ComparedBinning } from '../analysis/compute.js';
import type { Results } from '../analysis/results.js';
import { COMPARISON_SCHEMA, COMPARISON_VERSION, type ComparedInterval, type ComparedModel, type Comparison, type MemorizationSetting, type PairDifference } from './comparison.js';
import { comparabilityIssues, refusal } from './comparability.js';
import { difference, rankingStability, type Difference } from './decide.js';
import type { IntervalStat } from '../analysis/intervals.js';
import { competitionRanks } from './rank.js';
import { memorizationMap, type MapInput } from './memorization-map.js';

/** What the memorization map reads of a results document. */
export function mapInputOf(label: string, r: Results): MapInput {
  const iv = r.intervals;
  return {
    label,
    meanEntropy: r.overall.meanEntropy,
    meanMI: r.overall.meanMI,
    meanEntropyInterval: iv?.overall.meanEntropy ?? null,
    meanMIInterval: iv?.overall.meanMI ?? null,
    layers: r.layers.map((l) => {
      const li = iv?.layers.find((x) => x.name === l.name);
      return { name: l.name, meanEntropy: l.entropy.mean, meanMI: l.mi && l.mi.pairs > 0 ? l.mi.mean : null, meanEntropyInterval: li?.meanEntropy ?? null, meanMIInterval: li?.meanMI ?? null };
    }),
  };
}

/**
 * Whether the analyses' replicate deviations pair: every one has intervals from the same draws
 * (replicates, seed, schemes and their sizes, and the same number of examples).
 */
export function sharesDraws(results: readonly Results[]): boolean {
  const key = (r: Results): string | null => (r.intervals ? JSON.stringify([r.samples, r.intervals.resamples, r.intervals.seed, r.intervals.entropy?.scheme, r.intervals.entropy?.size, r.intervals.mi?.scheme, r.intervals.mi?.size]) : null);
  const k0 = key(results[0]);
  return k0 !== null && results.every((r) => key(r) === k0);
}

export interface BuildComparisonOptions {
  /** Compare analyses that differ (comparability.ts) anyway, recording the differences (default: refuse). */
  allowMixed?: boolean;
  /** The map's reference model (index in `models`; default 0). */
  reference?: number;
  /** The map's relative dead zone where no interval decides an axis (default 0.01). */
  tolerance?: number;
  /** Seed of the ranking-stability draws of the parts that resampling does not see (default 0). */
  seed?: number;
  now?: Date;
}

export interface ComparisonInput {
  label: string;
  /** Path of the results.json (recorded, not read). */
  path: string;
  results: Results;
  accuracy: number | null;
}

/**
 * Ranks models of one sweep by the paper's model-selection scalars (section 4) and correlates the
 * rankings with validation accuracy, and places them on the memorization map (memorization-map.ts)
 * against the reference model. `asked` 'auto' orients the ranking by the map's dominant
 * pattern (heuristic when it finds none); undefined means heuristic. Orientation: in the heuristic setting a better model has
 * higher entropy and lower MI (score = +meanEntropy, -meanMI); in the example-level setting lower
 * entropy and higher MI (score = -meanEntropy, +meanMI). Kendall's tau-b is taken between the
 * accuracies and each oriented score, for the analysed binning and for every binning scope.
 */
export function buildComparison(models: readonly ComparisonInput[], asked: MemorizationSetting | 'auto' | undefined, opts: BuildComparisonOptions = {}): Comparison {
  if (models.length < 2) throw new RangeError('compare needs at least two results');
  const mismatches = comparabilityIssues(models);
  if (mismatches.length > 0 && !opts.allowMixed) throw new RangeError(refusal(mismatches));
  const paired = sharesDraws(models.map((m) => m.results));
  const map = memorizationMap(
    models.map((m) => mapInputOf(m.label, m.results)),
    opts.reference ?? 0,
    opts.tolerance,
    paired,
  );
  const setting: MemorizationSetting = asked === undefined || asked === 'auto' ? (asked === 'auto' ? (map.pattern ?? 'heuristic') : 'heuristic') : asked;
  const settingSource = asked === undefined ? 'default' : asked !== 'auto' ? 'given' : map.pattern ? 'auto' : 'auto-fallback';
  const units = models[0].results.units;
  const binning = models[0].results.settings.binning;
  const sign = setting === 'heuristic' ? 1 : -1;
  const hasMI = models.every((m) => m.results.overall.meanMI !== null);
  const scoreEntropy = models.map((m) => sign * m.results.overall.meanEntropy);
  const scoreMI = hasMI ? models.map((m) => -sign * (m.results.overall.meanMI as number)) : null;
  const hasAccuracy = models.every((m) => m.accuracy !== null);
  const acc = models.map((m) => m.accuracy ?? NaN);
  const rE = competitionRanks(scoreEntropy);
  const rM = scoreMI ? competitionRanks(scoreMI) : null;
  const rA = hasAccuracy ? competitionRanks(acc) : null;
  const iv = (x: IntervalStat | null | undefined): ComparedInterval | null => (x ? { low: x.low, high: x.high, se: x.se } : null);
  const out: ComparedModel[] = models.map((m, i) => ({
    label: m.label,
    results: m.path,
    accuracy: m.accuracy,
    meanEntropy: m.results.overall.meanEntropy,
    meanMI: m.results.overall.meanMI,
    intervals: {
      meanEntropy: iv(m.results.intervals?.overall.meanEntropy),
      meanMI: iv(m.results.intervals?.overall.meanMI),
      medianMI: iv(m.results.intervals?.overall.medianMI),
    },
    meanEntropyByBinning: m.results.overall.meanEntropyByBinning,
    scoreEntropy: scoreEntropy[i],
    scoreMI: scoreMI ? scoreMI[i] : null,
    rankByEntropy: rE[i],
    rankByMI: rM ? rM[i] : null,
    rankByAccuracy: rA ? rA[i] : null,
  }));
  const tau = (scores: number[] | null): number | null => {
    if (!hasAccuracy || !scores) return null;
    const t = kendallTauB(acc, scores);
    return Number.isFinite(t) ? t : null;
  };
  const byScope = {} as Record<ComparedBinning, number[]>;
  for (const scope of comparedBinnings) byScope[scope] = models.map((m) => sign * m.results.overall.meanEntropyByBinning[scope]);
  const byBinning = Object.fromEntries(comparedBinnings.map((s) => [s, tau(byScope[s])])) as Record<ComparedBinning, number | null>;
  const stat = (i: number, k: 'meanEntropy' | 'meanMI'): IntervalStat | null => models[i].results.intervals?.overall[k] ?? null;
  const differences: PairDifference[] = [];
  for (let a = 0; a < models.length; a++)
    for (let b = a + 1; b < models.length; b++) {
      const d = (k: 'meanEntropy' | 'meanMI'): Difference | null => {
        const x = stat(a, k);
        const y = stat(b, k);
        return x && y ? difference(x, y, paired) : null;
      };
      differences.push({ a: models[a].label, b: models[b].label, meanEntropy: d('meanEntropy'), meanMI: d('meanMI') });
    }
  const seed = opts.seed ?? 0;
  const stability = {
    meanEntropy: rankingStability(models.map((_, i) => stat(i, 'meanEntropy')), sign, hasAccuracy ? acc : null, seed),
    meanMI: hasMI ? rankingStability(models.map((_, i) => stat(i, 'meanMI')), (-sign) as 1 | -1, hasAccuracy ? acc : null, seed + 1) : null,
  };
  return {
    schema: COMPARISON_SCHEMA,
    version: COMPARISON_VERSION,
    createdAt: (opts.now ?? new Date()).toISOString(),
    setting,
    settingSource,
    mismatches,
    paired,
    differences,
    stability,
    map,
    units,
    binning,
    models: out,
    kendall: { meanEntropy: tau(scoreEntropy), meanMI: tau(scoreMI), byBinning },
    binningDisagreement: binningDisagreement(byBinning, byScope),
  };
}

/**
 * Whether the binning scopes tell different stories. With accuracies: the taus against accuracy
 * have opposite signs, or spread over more than 0.5. Without: two scopes rank the models with a
 * Kendall tau below 0.5 between them.
 */
export function binningDisagreement(
  taus: Record<ComparedBinning, number | null>,
  scores: Record<ComparedBinning, number[]>,
): { disagree: boolean; message: string | null } {
  const known = comparedBinnings.filter((s) => taus[s] !== null);
  if (known.length >= 2) {
    const values = known.map((s) => taus[s] as number);
    const spread = Math.max(...values) - Math.min(...values);
    const opposite = values.some((v) => v > 0) && values.some((v) => v < 0);
    if (!opposite && spread <= 0.5) return { disagree: false, message: null };
    const list = known.map((s) => `${(taus[s] as number).toFixed(2)} (${s})`).join(', ');
    return {
      disagree: true,
      message: `The binning scopes disagree: Kendall tau between accuracy and mean entropy is ${list}${opposite ? ', of opposite signs' : `, a spread of ${spread.toFixed(2)}`}. The ranking depends on how bins are drawn; do not trust a single number.`,
    };
  }
  let worst = 1;
  let pair = '';
  for (let a = 0; a < comparedBinnings.length; a++)
    for (let b = a + 1; b < comparedBinnings.length; b++) {
      const t = kendallTauB(scores[comparedBinnings[a]], scores[comparedBinnings[b]]);
      if (Number.isFinite(t) && t < worst) {
        worst = t;
        pair = `${comparedBinnings[a]} and ${comparedBinnings[b]}`;
      }
    }
  if (worst >= 0.5) return { disagree: false, message: null };
  return {
    disagree: true,
    message: `The binning scopes rank the models differently: mean entropy under ${pair} binning agree only with Kendall tau ${worst.toFixed(2)}. The ranking depends on how bins are drawn; do not trust a single number.`,
  };
}
