/**
 * Decisions from the intervals (analysis/intervals.ts): whether two models' values differ at
 * 95%, and how stable a ranking of models is. Pure: no I/O.
 *
 * Two values are compared by their difference's standard error. When both carry replicate
 * deviations from the same draws (the same seed, scheme, replicate count and example count),
 * the difference is taken replicate by replicate (paired resampling): for models measured on the
 * same examples the deviations are correlated and the difference is far more precise than either
 * value; for models measured on different examples the deviations are independent and pairing
 * costs nothing. The parts of the standard error that resampling does not see (the pair sample,
 * the bins' extremes) are added as independent.
 */
import { Rng } from '../core/random/rng.js';
import { kendallTauB } from '../core/stats/kendall.js';
import { Z95, type IntervalStat } from '../analysis/intervals.js';

/** A difference b - a and its verdict. */
export interface Difference {
  diff: number;
  se: number;
  low: number;
  high: number;
  /** up: b is larger at 95%; down: smaller; same: indistinguishable. */
  direction: 'up' | 'down' | 'same';
  paired: boolean;
}

/** The part of a stat's variance that its deviations do not carry. */
function unpairedVariance(x: IntervalStat): number {
  return Math.max(0, x.se * x.se - x.parts.resampling * x.parts.resampling);
}

/** b - a with its 95% interval; `paired` says whether the deviations pair replicate by replicate. */
export function difference(a: IntervalStat, b: IntervalStat, paired: boolean): Difference {
  const diff = b.value - a.value;
  let v: number;
  const pair = paired && a.deviations.length === b.deviations.length && a.deviations.length > 1;
  if (pair) {
    const R = a.deviations.length;
    let m = 0;
    for (let r = 0; r < R; r++) m += b.deviations[r] - a.deviations[r];
    m /= R;
    let ss = 0;
    for (let r = 0; r < R; r++) ss += (b.deviations[r] - a.deviations[r] - m) ** 2;
    v = ss / (R - 1) + unpairedVariance(a) + unpairedVariance(b);
  } else v = a.se * a.se + b.se * b.se;
  const se = Math.sqrt(v);
  const low = diff - Z95 * se;
  const high = diff + Z95 * se;
  return { diff, se, low, high, direction: low > 0 ? 'up' : high < 0 ? 'down' : 'same', paired: pair };
}

/** How stable a ranking is under the resampling, and its Kendall tau against accuracy. */
export interface RankingStability {
  /** Fraction of replicates in which the models rank exactly as reported. */
  sameRanking: number;
  /** Kendall's tau-b between accuracy and the oriented score over replicates (null without accuracy). */
  tau: { median: number; low: number; high: number } | null;
  /** The fraction of replicates whose tau against accuracy is positive (null without accuracy). */
  positiveTau: number | null;
  replicates: number;
}

/**
 * Replicate r's value of model i is value_i + deviation_i[r] (paired draws) plus, for the parts
 * resampling does not see, a normal draw of their variance (seeded). `sign` orients the score
 * (higher = better). Without deviations for every model, null.
 */
export function rankingStability(stats: readonly (IntervalStat | null)[], sign: 1 | -1, accuracy: readonly number[] | null, seed: number): RankingStability | null {
  if (stats.length < 2 || stats.some((s) => !s || s.deviations.length < 2)) return null;
  const xs = stats as IntervalStat[];
  const R = Math.min(...xs.map((s) => s.deviations.length));
  const rng = new Rng(seed);
  const reported = ranks(xs.map((s) => sign * s.value));
  const taus: number[] = [];
  let same = 0;
  for (let r = 0; r < R; r++) {
    const score = xs.map((s) => sign * (s.value + s.deviations[r] + Math.sqrt(unpairedVariance(s)) * rng.normal()));
    const rk = ranks(score);
    if (rk.every((v, i) => v === reported[i])) same++;
    if (accuracy) {
      const t = kendallTauB(accuracy as number[], score);
      if (Number.isFinite(t)) taus.push(t);
    }
  }
  taus.sort((a, b) => a - b);
  const q = (p: number): number => taus[Math.min(taus.length - 1, Math.max(0, Math.round(p * (taus.length - 1))))];
  return {
    sameRanking: same / R,
    tau: accuracy && taus.length ? { median: q(0.5), low: q(0.025), high: q(0.975) } : null,
    positiveTau: accuracy && taus.length ? taus.filter((t) => t > 0).length / taus.length : null,
    replicates: R,
  };
}

/** Ranks, 1 = highest; ties share the smaller rank. */
function ranks(v: readonly number[]): number[] {
  return v.map((x) => 1 + v.filter((y) => y > x).length);
}
