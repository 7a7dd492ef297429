/**
 * Fixtures for the report tests (this file's own test only checks them): small but real analyses
 * made by the real pipeline, and a comparison of a sweep of them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { memorizationMap } from '../src/compare/memorization-map.js';
import { mapInputOf } from '../src/compare/build-comparison.js';
import { it } from 'node:test';
import type { Comparison, ComparedModel } from '../src/compare/comparison.js';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { Rng } from '../src/core/random/rng.js';
import { computeMeasures, type Measures } from '../src/analysis/compute.js';
import { buildResults, type Results } from '../src/analysis/results.js';
import type { ComparisonReportModel } from '../src/report/index.js';

/**
 * Activations of a toy "network" whose neurons mix one shared factor with weight `shortcut` and
 * several private ones (post-ReLU): the larger `shortcut`, the more redundant the neurons.
 */
export function sweepSet(S: number, layers: number[], shortcut: number, seed: number, names?: string[]) {
  const r = new Rng(seed);
  const F = 6;
  const z = Float64Array.from({ length: S * F }, () => r.normal());
  return activationSetFromLayers(
    layers.map((N, li) => {
      const w = Float64Array.from({ length: N * F }, () => r.normal());
      const data = new Float64Array(S * N);
      for (let s = 0; s < S; s++)
        for (let n = 0; n < N; n++) {
          let v = 0.4 * r.normal() + shortcut * 2 * z[s * F];
          for (let f = 1; f < F; f++) v += (1 - shortcut) * w[n * F + f] * z[s * F + f];
          data[s * N + n] = Math.max(0, v + 0.2 * li);
        }
      return { name: names?.[li] ?? `fc${li + 1}`, data, samples: S, neurons: N };
    }),
  );
}

export interface Analysed {
  measures: Measures;
  results: Results;
}

export async function analyse(S: number, layers: number[], shortcut: number, seed: number, names?: string[]): Promise<Analysed> {
  const measures = await computeMeasures(sweepSet(S, layers, shortcut, seed, names), { threads: 2, baselinePairs: 256, seed });
  const results = buildResults(measures, {
    version: '0.1.0',
    inputs: [{ path: `runs/shortcut-${shortcut}/acts.npz`, bytes: 8 * S * layers.reduce((a, b) => a + b, 0), sha256: createHash('sha256').update(`shortcut ${shortcut} seed ${seed} ${S}`).digest('hex') }],
    now: new Date('2024-05-01T12:00:00Z'),
  });
  return { measures, results };
}

function tauB(a: number[], b: number[]): number | null {
  let c = 0;
  let d = 0;
  let ta = 0;
  let tb = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = i + 1; j < a.length; j++) {
      const x = Math.sign(a[i] - a[j]);
      const y = Math.sign(b[i] - b[j]);
      if (x === 0 && y === 0) continue;
      if (x === 0) ta++;
      else if (y === 0) tb++;
      else if (x === y) c++;
      else d++;
    }
  const den = Math.sqrt((c + d + ta) * (c + d + tb));
  return den > 0 ? (c - d) / den : null;
}

function ranks(scores: number[]): number[] {
  return scores.map((s) => 1 + scores.filter((t) => t > s).length);
}

/** A heuristic-setting comparison of analysed models (what `infomem compare` computes). */
export function makeComparison(models: { label: string; results: Results; accuracy: number | null }[], disagree = false): Comparison {
  const acc = models.map((m) => m.accuracy ?? NaN);
  const sE = models.map((m) => m.results.overall.meanEntropy);
  const sM = models.map((m) => -(m.results.overall.meanMI ?? NaN));
  const rE = ranks(sE);
  const rM = ranks(sM);
  const rA = ranks(acc);
  const compared: ComparedModel[] = models.map((m, i) => ({
    label: m.label,
    results: `runs/${m.label}/results.json`,
    accuracy: m.accuracy,
    meanEntropy: m.results.overall.meanEntropy,
    meanMI: m.results.overall.meanMI,
    meanEntropyByBinning: m.results.overall.meanEntropyByBinning,
    intervals: { meanEntropy: null, meanMI: null, medianMI: null },
    scoreEntropy: sE[i],
    scoreMI: sM[i],
    rankByEntropy: rE[i],
    rankByMI: rM[i],
    rankByAccuracy: m.accuracy === null ? null : rA[i],
  }));
  const by = (k: 'global' | 'layer' | 'neuron') => tauB(acc, models.map((m) => m.results.overall.meanEntropyByBinning[k]));
  return {
    schema: 'infomem/comparison',
    version: 1,
    createdAt: '2024-05-01T12:00:00.000Z',
    setting: 'heuristic',
    settingSource: 'given',
    mismatches: [],
    paired: false,
    differences: [],
    stability: { meanEntropy: null, meanMI: null },
    map: memorizationMap(models.map((m) => mapInputOf(m.label, m.results))),
    units: 'nats',
    binning: 'global',
    models: compared,
    kendall: { meanEntropy: tauB(acc, sE), meanMI: tauB(acc, sM), byBinning: { global: by('global'), layer: by('layer'), neuron: by('neuron') } },
    binningDisagreement: disagree
      ? { disagree: true, message: 'Kendall tau with accuracy is 0.80 under global binning but -0.40 under neuron binning: the entropy ranking depends on the binning scope.' }
      : { disagree: false, message: null },
  };
}

/** A sweep of models from no shortcut to a strong one, with made-up accuracies that fall as the shortcut grows. */
export async function sweep(S = 400, layers = [16, 16, 12], names?: string[]): Promise<{ comparison: Comparison; models: ComparisonReportModel[]; analysed: Analysed[] }> {
  const shortcuts = [0, 0.25, 0.5, 0.75, 1];
  const accs = [0.635, 0.628, 0.6, 0.552, 0.503];
  const analysed: Analysed[] = [];
  for (const [i, a] of shortcuts.entries()) analysed.push(await analyse(S, layers, a, 10 + i, names));
  const models: ComparisonReportModel[] = analysed.map((x, i) => ({ label: `alpha=${shortcuts[i]}`, results: x.results, accuracy: accs[i], mi: i % 2 === 0 ? x.measures.mi : null }));
  return { comparison: makeComparison(models, true), models, analysed };
}

it('report fixtures are valid analyses and comparisons', async () => {
  const { results } = await analyse(200, [6, 5], 0.5, 1);
  assert.equal(results.neurons, 11);
  assert.ok(results.overall.meanMI !== null && results.baseline !== null);
  const c = makeComparison([{ label: 'a', results, accuracy: 0.5 }, { label: 'b', results, accuracy: 0.6 }]);
  assert.equal(c.models.length, 2);
});
