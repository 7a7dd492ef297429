/**
 * Several runs that are seeds of one model (`compare --group`), as one model: each ranking mean
 * is the mean over its seeds, its replicate deviations the seeds' deviations averaged replicate
 * by replicate (paired draws stay paired), and the seeds' own spread enters the standard error
 * as the standard error of their mean, sd_seeds / sqrt(n), added in quadrature. Pure: no I/O.
 */
import type { IntervalStat, Intervals, StatSet } from '../analysis/intervals.js';
import { Z95 } from '../analysis/intervals.js';
import type { Results } from '../analysis/results.js';

/** The mean of values. */
function mean(v: readonly number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

/** The seeds' intervals of one statistic combined (null when any lacks one). */
export function combineStats(stats: readonly (IntervalStat | null | undefined)[]): IntervalStat | null {
  if (stats.length === 0 || stats.some((s) => !s)) return null;
  const xs = stats as IntervalStat[];
  const n = xs.length;
  const value = mean(xs.map((x) => x.value));
  const R = Math.min(...xs.map((x) => x.deviations.length));
  const deviations = Array.from({ length: R }, (_, r) => mean(xs.map((x) => x.deviations[r])));
  const resampling = Math.sqrt(xs.reduce((a, x) => a + x.parts.resampling ** 2, 0)) / n;
  const other = Math.sqrt(xs.reduce((a, x) => a + Math.max(0, x.se ** 2 - x.parts.resampling ** 2), 0)) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x.value - value) ** 2, 0) / (n - 1)) : 0;
  const seeds = sd / Math.sqrt(n);
  const se = Math.sqrt(resampling ** 2 + other ** 2 + seeds ** 2);
  return { value, se, low: value - Z95 * se, high: value + Z95 * se, parts: { resampling, ...(other > 0 ? { edges: other } : {}), seeds }, deviations };
}

/**
 * One results document for the seeds of a model: the first seed's, with the overall and
 * per-layer means averaged over the seeds and the intervals combined (combineStats).
 * @throws RangeError when the seeds have other layers
 */
export function combineSeeds(runs: readonly Results[]): Results {
  if (runs.length === 0) throw new RangeError('a group needs at least one run');
  if (runs.length === 1) return runs[0];
  const first = runs[0];
  // layers by position (a lone layer is named after its file, which differs from seed to seed)
  const sizes = first.layers.map((l) => l.neurons).join(',');
  for (const r of runs) if (r.layers.map((l) => l.neurons).join(',') !== sizes) throw new RangeError('the runs of a group must have the same layers');
  const avg = (pick: (r: Results) => number | null | undefined): number | null => {
    const v = runs.map(pick);
    return v.some((x) => x === null || x === undefined) ? null : mean(v as number[]);
  };
  const combinedIntervals = (): Intervals | null => {
    if (runs.some((r) => !r.intervals)) return null;
    const iv = runs.map((r) => r.intervals!);
    const set = (pick: (i: Intervals) => StatSet | undefined): StatSet => ({
      meanEntropy: combineStats(iv.map((i) => pick(i)?.meanEntropy)),
      meanMI: combineStats(iv.map((i) => pick(i)?.meanMI)),
      medianMI: combineStats(iv.map((i) => pick(i)?.medianMI)),
    });
    return { ...iv[0], overall: set((i) => i.overall), layers: first.layers.map((l, k) => ({ name: l.name, ...set((i) => i.layers[k]) })) };
  };
  return {
    ...first,
    overall: {
      ...first.overall,
      meanEntropy: avg((r) => r.overall.meanEntropy)!,
      medianEntropy: avg((r) => r.overall.medianEntropy)!,
      meanMI: avg((r) => r.overall.meanMI),
      meanEntropyByBinning: Object.fromEntries(Object.keys(first.overall.meanEntropyByBinning).map((k) => [k, avg((r) => r.overall.meanEntropyByBinning[k as keyof typeof first.overall.meanEntropyByBinning])])) as Results['overall']['meanEntropyByBinning'],
    },
    layers: first.layers.map((l, i) => ({
      ...l,
      entropy: { ...l.entropy, mean: avg((r) => r.layers[i].entropy.mean)!, median: avg((r) => r.layers[i].entropy.median)! },
      mi: l.mi ? { ...l.mi, mean: avg((r) => r.layers[i].mi?.mean)!, median: avg((r) => r.layers[i].mi?.median)! } : null,
    })),
    intervals: combinedIntervals(),
  };
}
