import { kendallTauB } from '../core/stats/kendall.js';
import { comparedBinnings, type ComparedBinning } from '../analysis/compute.js';
import type { Results } from '../analysis/results.js';
import { COMPARISON_SCHEMA, COMPARISON_VERSION, type ComparedModel, type Comparison, type MemorizationSetting } from './comparison.js';
import { competitionRanks } from './rank.js';
import { memorizationMap, type MapInput } from './memorization-map.js';

/** What the memorization map reads of a results document. */
export function mapInputOf(label: string, r: Results): MapInput {
  return {
    label,
    meanEntropy: r.overall.meanEntropy,
    meanMI: r.overall.meanMI,
    layers: r.layers.map((l) => ({ name: l.name, meanEntropy: l.entropy.mean, meanMI: l.mi && l.mi.pairs > 0 ? l.mi.mean : null })),
  };
}

export interface BuildComparisonOptions {
  /** The map's reference model (index in `models`; default 0). */
  reference?: number;
  /** The map's relative dead zone (default 0.01). */
  tolerance?: number;
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
  const map = memorizationMap(
    models.map((m) => mapInputOf(m.label, m.results)),
    opts.reference ?? 0,
    opts.tolerance,
  );
  const setting: MemorizationSetting = asked === undefined || asked === 'auto' ? (asked === 'auto' ? (map.pattern ?? 'heuristic') : 'heuristic') : asked;
  const settingSource = asked === undefined ? 'default' : asked !== 'auto' ? 'given' : map.pattern ? 'auto' : 'auto-fallback';
  const units = models[0].results.units;
  const binning = models[0].results.settings.binning;
  for (const m of models) {
    if (m.results.units !== units) throw new RangeError(`${m.path}: units are ${m.results.units}, but ${models[0].path} has ${units}`);
  }
  const sign = setting === 'heuristic' ? 1 : -1;
  const hasMI = models.every((m) => m.results.overall.meanMI !== null);
  const scoreEntropy = models.map((m) => sign * m.results.overall.meanEntropy);
  const scoreMI = hasMI ? models.map((m) => -sign * (m.results.overall.meanMI as number)) : null;
  const hasAccuracy = models.every((m) => m.accuracy !== null);
  const acc = models.map((m) => m.accuracy ?? NaN);
  const rE = competitionRanks(scoreEntropy);
  const rM = scoreMI ? competitionRanks(scoreMI) : null;
  const rA = hasAccuracy ? competitionRanks(acc) : null;
  const out: ComparedModel[] = models.map((m, i) => ({
    label: m.label,
    results: m.path,
    accuracy: m.accuracy,
    meanEntropy: m.results.overall.meanEntropy,
    meanMI: m.results.overall.meanMI,
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
  return {
    schema: COMPARISON_SCHEMA,
    version: COMPARISON_VERSION,
    createdAt: (opts.now ?? new Date()).toISOString(),
    setting,
    settingSource,
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
