/**
 * Circles: does the paper's "entropy falls as division grows" depend on how it is measured?
 * Re-measures the division-sweep models of a finished `infomem reproduce circles` run under the
 * measurement choices the paper and its released scripts leave open:
 *   - measurement set: the shared division-0.5 set (the feature uninformative; `reproduce`'s
 *     choice) or an in-domain set with each model's own division (the released eval_main.py's
 *     "in-domain" set: ArtifactFeatures(..., division, shuffle 0, ...), seed 21);
 *   - bins: 20 global bins (PAPER.md), 10 (the released artefact_eval_all.sh passes
 *     --num_bins 10 for the division sweep), 100 (eval_main.py's default);
 * and prints, per seed and on the mean over seeds, Kendall's tau of division against mean
 * entropy (the paper: falls, tau < 0) and the mean entropies.
 *
 *   node build/scripts/circles-measurement-study.js <run dir> [--json out.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { kendallTauB } from '../src/core/stats/kendall.js';
import { analyzeSet } from '../src/analyze/analyze.js';
import { addSpuriousFeature, makeCircles } from '../src/reproduce/circles-data.js';
import { extractActivations } from '../src/reproduce/activations.js';
import { analysedLayers, formatValue, type RunConfig } from '../src/reproduce/experiments.js';
import { loadModel } from '../src/reproduce/model-io.js';
import { streamRng, Stream } from '../src/reproduce/seeds.js';
import { loadTrainingTf } from '../src/reproduce/tf-backend.js';

const [dir, ...rest] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: circles-measurement-study <run dir of infomem reproduce circles> [--json out.json]\n');
  process.exit(2);
}
const jsonOut = rest[0] === '--json' ? rest[1] : undefined;
const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { config: RunConfig };
const c = run.config.circles;
if (!c) throw new Error(`${dir} is not a circles run`);
const seeds = (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { seeds: number[] }).seeds;
const divisions = [0.5, 0.65, 0.75, 0.9, 1.0];
const tf = await loadTrainingTf();

type Key = `${'shared' | 'own'}-${number}`;
const table = new Map<Key, number[][]>(); // key -> [seed][division] mean entropy
for (const seed of seeds) {
  // the same fresh points as reproduce's measurement set, with the spurious feature drawn for each division
  const base = makeCircles(c.measurePoints, c.noise, c.factor, streamRng(seed, Stream.measureSet, 0));
  for (const [di, division] of divisions.entries()) {
    const model = await loadModel(tf, join(dir, 'division', `seed-${seed}`, `division-${formatValue(division)}`, 'model'));
    for (const set of ['shared', 'own'] as const) {
      const d = addSpuriousFeature(base, set === 'shared' ? 0.5 : division, streamRng(seed, Stream.measureSet, 1));
      const acts = activationSetFromLayers(extractActivations(tf, model, analysedLayers(run.config), d.x, d.n, d.features));
      for (const bins of [10, 20, 100]) {
        const r = (await analyzeSet(acts, { mi: 'none', bins, threads: 1 })).results;
        const key: Key = `${set}-${bins}`;
        if (!table.has(key)) table.set(key, seeds.map(() => new Array(divisions.length).fill(NaN)));
        table.get(key)![seeds.indexOf(seed)][di] = r.overall.meanEntropy;
      }
    }
    model.dispose();
  }
}
const out: Record<string, unknown> = {};
const lines = ['| measurement set | bins | mean entropy at division 0.5, 0.65, 0.75, 0.9, 1.0 (mean over seeds) | tau per seed | tau of the means |', '|---|---|---|---|---|'];
for (const [key, rows] of table) {
  const [set, bins] = key.split('-');
  const means = divisions.map((_, i) => rows.reduce((a, r) => a + r[i], 0) / rows.length);
  const taus = rows.map((r) => kendallTauB(divisions, r));
  const tauMean = kendallTauB(divisions, means);
  out[key] = { set, bins: Number(bins), means, bySeed: rows, taus, tauMean };
  lines.push(`| ${set === 'shared' ? 'shared, division 0.5' : "in-domain, the model's own division"} | ${bins} | ${means.map((v) => v.toFixed(3)).join(', ')} | ${taus.map((t) => t.toFixed(2)).join(', ')} | ${tauMean.toFixed(2)} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ run: dir, seeds, divisions, results: out }, null, 2) + '\n');
