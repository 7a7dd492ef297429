import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildComparison, binningDisagreement } from '../src/compare/build-comparison.js';
import { competitionRanks } from '../src/compare/rank.js';
import { kendallTauB } from '../src/core/stats/kendall.js';
import { encodeNpy } from '../src/io/npy.js';
import type { Results } from '../src/analysis/results.js';
import { assertClose } from './helpers/assert-close.js';
import { repoRoot } from './helpers/fixtures.js';
import { gaussianMatrix } from './helpers/synthetic.js';

describe("Kendall's tau-b", () => {
  it('matches scipy.stats.kendalltau on its documented example (with ties)', () => {
    // scipy docs: kendalltau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) -> -0.47140452079103173
    assertClose(kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]), -0.47140452079103173, 1e-15, 'tau');
  });
  it('is 1 for the same order, -1 for the reverse, NaN for a constant', () => {
    assert.equal(kendallTauB([1, 2, 3, 4], [10, 20, 30, 40]), 1);
    assert.equal(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    assert.ok(Number.isNaN(kendallTauB([1, 1, 1], [1, 2, 3])));
    assertClose(kendallTauB([1, 2, 3], [1, 3, 2]), 1 / 3, 1e-15, 'one swap');
  });
});

describe('ranking', () => {
  it('competition ranks, best (highest) first, ties share the smaller rank', () => {
    assert.deepEqual(competitionRanks([0.2, 0.9, 0.9, 0.1]), [3, 1, 1, 4]);
  });
});

function fakeResults(meanEntropy: number, meanMI: number, byBinning = { global: meanEntropy, layer: meanEntropy, neuron: meanEntropy }): Results {
  return {
    units: 'nats',
    settings: { binning: 'global' },
    overall: { meanEntropy, meanMI, meanEntropyByBinning: byBinning },
    layers: [],
  } as unknown as Results;
}

describe('buildComparison (paper section 4 orientation)', () => {
  // alpha sweep of a heuristic setting: accuracy falls, entropy falls, MI rises
  const models = [
    { label: 'a0', path: 'a0', results: fakeResults(3.0, 0.01), accuracy: 0.63 },
    { label: 'a50', path: 'a50', results: fakeResults(2.7, 0.05), accuracy: 0.6 },
    { label: 'a100', path: 'a100', results: fakeResults(1.2, 0.3), accuracy: 0.5 },
  ];
  it('heuristic: +entropy and -MI both agree with accuracy (tau = 1)', () => {
    const c = buildComparison(models, 'heuristic');
    assert.equal(c.kendall.meanEntropy, 1);
    assert.equal(c.kendall.meanMI, 1);
    assert.deepEqual(c.models.map((m) => m.rankByEntropy), [1, 2, 3]);
    assert.deepEqual(c.models.map((m) => m.rankByMI), [1, 2, 3]);
    assert.equal(c.binningDisagreement.disagree, false);
  });
  it('example-level orientation flips both signs', () => {
    const c = buildComparison(models, 'example-level');
    assert.equal(c.kendall.meanEntropy, -1);
    assert.equal(c.kendall.meanMI, -1);
    assert.deepEqual(c.models.map((m) => m.scoreEntropy), [-3, -2.7, -1.2]);
  });
  it('no accuracies: ranks but no taus', () => {
    const c = buildComparison(models.map((m) => ({ ...m, accuracy: null })), 'heuristic');
    assert.equal(c.kendall.meanEntropy, null);
    assert.equal(c.models[0].rankByAccuracy, null);
  });
  it('flags binning scopes that disagree', () => {
    const d = binningDisagreement({ global: 0.8, layer: -0.4, neuron: 0.2 }, { global: [], layer: [], neuron: [] });
    assert.equal(d.disagree, true);
    assert.match(d.message!, /opposite signs/);
    assert.equal(binningDisagreement({ global: 0.8, layer: 0.6, neuron: 1 }, { global: [], layer: [], neuron: [] }).disagree, false);
    const swapped = [
      { ...models[0], results: fakeResults(3, 0.01, { global: 3, layer: 1, neuron: 2 }) },
      { ...models[1], results: fakeResults(2.7, 0.05, { global: 2.7, layer: 2, neuron: 2.5 }) },
      { ...models[2], results: fakeResults(1.2, 0.3, { global: 1.2, layer: 3, neuron: 2.2 }) },
    ];
    const c = buildComparison(swapped, 'heuristic');
    assert.equal(c.kendall.byBinning.layer, -1);
    assert.equal(c.binningDisagreement.disagree, true);
  });
  it('refuses fewer than two models and mixed units', () => {
    assert.throws(() => buildComparison(models.slice(0, 1), 'heuristic'), /at least two/);
    const bits = { ...models[1], results: { ...models[1].results, units: 'bits' } as Results };
    assert.throws(() => buildComparison([models[0], bits], 'heuristic'), /cannot compare: .* is in bits, .* in nats; --allow-mixed/);
    const mixed = buildComparison([models[0], bits], 'heuristic', { allowMixed: true });
    assert.deepEqual(mixed.mismatches.map((m) => m.what), ['units']);
  });
});

describe('infomem compare (CLI)', () => {
  it('compares analyze outputs, writes comparison.json with ranks and taus', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infomem-compare-'));
    const cli = join(repoRoot, 'build/src/cli/main.js');
    const paths: string[] = [];
    for (const [i, scale] of [1, 3, 9].entries()) {
      const f = join(dir, `m${i}.npy`);
      writeFileSync(f, encodeNpy(gaussianMatrix(300, 5, i).map((v) => v * scale), [300, 5]));
      const out = join(dir, `run${i}`);
      const r = spawnSync(process.execPath, [cli, 'analyze', f, '--mi', 'binned', '--bins', '20', '--out', out, '--quiet']);
      assert.equal(r.status, 0, String(r.stderr));
      paths.push(join(out, 'results.json'));
    }
    const out = join(dir, 'cmp');
    const r = spawnSync(process.execPath, [cli, 'compare', ...paths, '--labels', 'x,y,z', '--accuracy', '0.9,0.8,0.7', '--setting', 'heuristic', '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Kendall tau-b vs accuracy/);
    const c = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8'));
    assert.equal(c.schema, 'infomem/comparison');
    assert.deepEqual(c.models.map((m: { label: string }) => m.label), ['x', 'y', 'z']);
    assert.equal(typeof c.kendall.meanEntropy, 'number');
    assert.ok('global' in c.kendall.byBinning);
    const bad = spawnSync(process.execPath, [cli, 'compare', paths[0], join(dir, 'm0.npy'), '--out', join(dir, 'never')], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /m0\.npy: not valid JSON/);
    const mismatch = spawnSync(process.execPath, [cli, 'compare', ...paths, '--accuracy', '0.9,0.8'], { encoding: 'utf8' });
    assert.equal(mismatch.status, 2);
    assert.match(mismatch.stderr, /--accuracy has 2 entries for 3 results/);
  });
});
