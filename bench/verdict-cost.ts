/**
 * What the verdicts cost (issue 23), next to the same analysis without them, on 2 threads:
 *  - the intervals (default 50 replicates) of a 768 x 10,000 analysis, GCMI and KSG (KSG's
 *    intervals measured beside a sample of its pairs: they do not depend on how many pairs the
 *    analysis measures), and what `compare` of five such analyses adds;
 *  - GCMI with 100 surrogates on all pairs of 768 x 10,000;
 *  - KSG with 100 surrogates on --pairs random:5000 at S = 2,500.
 *
 *   node build/bench/verdict-cost.js [--quick]
 */
import { computeMeasures } from '../src/analysis/compute.js';
import { buildResults } from '../src/analysis/results.js';
import { buildComparison } from '../src/compare/build-comparison.js';
import { benchActivations } from './synthetic-activations.js';

/** N neurons in one layer of S examples. */
const syntheticActivations = (N: number, S: number, seed: number) => benchActivations(S, 1, N, seed);

const quick = process.argv.includes('--quick');
const N = quick ? 192 : 768;
const S = quick ? 2000 : 10_000;
const threads = 2;
const set = syntheticActivations(N, S, 1);
const rows: string[] = ['| run | phase | seconds | without it |', '|---|---|---|---|'];

const gcmi0 = await computeMeasures(set, { mi: 'gcmi', resamples: 0, threads });
const gcmi = await computeMeasures(set, { mi: 'gcmi', threads });
rows.push(`| GCMI, ${N} x ${S.toLocaleString('en-US')}, all pairs | intervals (50 replicates) | ${gcmi.timings.intervals.toFixed(2)} | analysis ${gcmi0.timings.total.toFixed(2)} |`);
const ksg = await computeMeasures(set, { mi: 'ksg', pairs: 1000, baselinePairs: 0, threads });
rows.push(`| KSG, ${N} x ${S.toLocaleString('en-US')} | intervals (50 replicates, 500 pairs at S/4) | ${ksg.timings.intervals.toFixed(2)} | all-pairs analysis: about 130 s (README, Speed) |`);
const models = await Promise.all(
  [1, 2, 3, 4, 5].map(async (seed) => {
    const m = await computeMeasures(syntheticActivations(N, S, seed), { mi: 'gcmi', threads });
    return { label: `m${seed}`, path: `m${seed}`, results: buildResults(m, { version: 'bench' }), accuracy: 0.5 + seed / 20 };
  }),
);
let t = performance.now();
buildComparison(models, 'heuristic');
rows.push(`| compare of five ${N} x ${S.toLocaleString('en-US')} analyses | differences, ranking stability | ${((performance.now() - t) / 1000).toFixed(3)} | (the intervals are computed by analyze) |`);
const sig = await computeMeasures(set, { mi: 'gcmi', resamples: 0, significance: 100, threads });
rows.push(`| GCMI, ${N} x ${S.toLocaleString('en-US')}, all ${((N * (N - 1)) / 2).toLocaleString('en-US')} pairs | 100 surrogates per pair | ${sig.timings.significance.toFixed(2)} | MI ${sig.timings.mi.toFixed(2)}, baseline ${sig.timings.baseline.toFixed(2)}, analysis ${gcmi0.timings.total.toFixed(2)} |`);
const S2 = quick ? 1000 : 2500;
const set2 = syntheticActivations(N, S2, 2);
t = performance.now();
const ks = await computeMeasures(set2, { mi: 'ksg', pairs: quick ? 500 : 5000, resamples: 0, significance: 100, baselinePairs: 0, threads });
rows.push(`| KSG, ${N} x ${S2.toLocaleString('en-US')}, --pairs random:${quick ? 500 : 5000} | 100 surrogates per pair | ${ks.timings.significance.toFixed(2)} | MI ${(ks.timings.mi + ks.timings.prepare).toFixed(2)} |`);
void t;
console.log(rows.join('\n'));
