/**
 * MI on a seeded sample of pairs (`pairs: N`, `--pairs random:N`): the sample's values are the
 * matrix's own entries for every estimator, the mean comes with a finite-population standard
 * error whose 95% interval covers the all-pairs mean, and the outputs say what was sampled.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeSet } from '../src/analyze/analyze.js';
import { neuronCount } from '../src/core/activations/activation-set.js';
import { encodeNpy, parseNpy } from '../src/io/npy.js';
import { computeMeasures, samplePairs } from '../src/analysis/compute.js';
import { repoRoot } from './helpers/fixtures.js';
import { gaussianMatrix, structuredSet } from './helpers/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'infomem-pairs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('sampled pairs', () => {
  it('samplePairs: distinct pairs i < j, ascending, seeded', () => {
    const p = samplePairs(30, 200, 7);
    assert.equal(p.length, 400);
    const keys = new Set<number>();
    for (let k = 0; k < 200; k++) {
      const i = p[2 * k];
      const j = p[2 * k + 1];
      assert.ok(i >= 0 && i < j && j < 30);
      if (k > 0) assert.ok(i * 30 + j > p[2 * k - 2] * 30 + p[2 * k - 1]);
      keys.add(i * 30 + j);
    }
    assert.equal(keys.size, 200);
    assert.deepEqual(Array.from(samplePairs(30, 200, 7)), Array.from(p));
    assert.notDeepEqual(Array.from(samplePairs(30, 200, 8)), Array.from(p));
    assert.equal(samplePairs(30, 435, 1).length, 870);
    assert.throws(() => samplePairs(30, 436, 1), RangeError);
  });

  const set = structuredSet(400, [12, 10], 9, true);
  const N = neuronCount(set);
  for (const mi of ['ksg', 'binned', 'gcmi'] as const) {
    it(`${mi}: each sampled value is the matrix's entry; constant-neuron and baseline rules hold`, async () => {
      const all = await computeMeasures(set, { mi, threads: 1, baselinePairs: 'all' });
      const some = await computeMeasures(set, { mi, threads: 2, forceWorkers: true, baselinePairs: 30, pairs: 50 });
      assert.equal(some.mi, null);
      const s = some.sample!;
      assert.equal(s.values.length, 50);
      assert.equal(s.of, (N * (N - 1)) / 2);
      for (let p = 0; p < 50; p++) assert.equal(s.values[p], all.mi![s.pairs[2 * p] * N + s.pairs[2 * p + 1]]);
      // the baseline: 30 of the sampled pairs (no other neuron prepared), each the all-pairs baseline's value
      const b = some.baseline!;
      assert.equal(b.values.length, 30);
      const sampled = new Set(Array.from({ length: 50 }, (_, p) => s.pairs[2 * p] * N + s.pairs[2 * p + 1]));
      const allIndex = new Map(Array.from({ length: all.baseline!.values.length }, (_, p) => [all.baseline!.pairs[2 * p] * N + all.baseline!.pairs[2 * p + 1], p]));
      for (let p = 0; p < 30; p++) {
        const key = b.pairs[2 * p] * N + b.pairs[2 * p + 1];
        assert.ok(sampled.has(key));
        if (p > 0) assert.ok(key > b.pairs[2 * p - 2] * N + b.pairs[2 * p - 1]);
        assert.equal(b.values[p], all.baseline!.values[allIndex.get(key)!]);
      }
      // never more baseline pairs than sampled ones
      assert.equal((await computeMeasures(set, { mi, threads: 1, baselinePairs: 64, pairs: 20 })).baseline!.values.length, 20);
    });
  }

  it('results: the mean, its standard error and a 95% interval that covers the all-pairs mean', async () => {
    const big = structuredSet(300, [40, 30], 4);
    const all = (await analyzeSet(big, { mi: 'gcmi', threads: 1, baselinePairs: 0 })).results;
    const some = (await analyzeSet(big, { mi: 'gcmi', threads: 1, baselinePairs: 0, pairs: 400, seed: 3 })).results;
    const total = (70 * 69) / 2;
    assert.deepEqual(some.pairs, { sampled: 400, total });
    assert.deepEqual(all.pairs, { sampled: total, total });
    assert.equal(all.overall.meanMIStdErr, null);
    const [lo, hi] = some.overall.meanMIInterval95!;
    assert.ok(lo < all.overall.meanMI! && all.overall.meanMI! < hi, `${all.overall.meanMI} not in [${lo}, ${hi}]`);
    assert.ok(Math.abs(hi - lo - 2 * 1.96 * some.overall.meanMIStdErr!) < 1e-12);
    assert.ok(some.overall.meanMIStdErr! > 0 && some.overall.meanMIStdErr! < 0.2 * some.overall.meanMI!);
    assert.ok(Number.isNaN(some.overall.meanMIWithDiagonal!)); // no diagonal was measured (null in results.json)
    assert.ok(some.layers[0].mi!.pairs + some.layers[1].mi!.pairs < 400); // the rest are between the layers
  });

  it('CLI: --pairs random:N writes pairs.npy (i, j, MI) instead of mi.npy; a bad value is a usage error', () => {
    const f = join(dir, 'x.npy');
    writeFileSync(f, encodeNpy(gaussianMatrix(300, 20, 2), [300, 20]));
    const cli = join(repoRoot, 'build/src/cli/main.js');
    const out = join(dir, 'out');
    const r = spawnSync(process.execPath, [cli, 'analyze', f, '--mi', 'binned', '--bins', '10', '--pairs', 'random:60', '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /note: MI on 60 random pairs of 190: mean/);
    assert.ok(!existsSync(join(out, 'mi.npy')));
    const rows = parseNpy(readFileSync(join(out, 'pairs.npy')), 'pairs.npy');
    assert.deepEqual(rows.shape, [60, 3]);
    assert.ok(rows.data[0] < rows.data[1]);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /measured on 60 pairs drawn at random of 190/);
    const full = join(dir, 'full');
    assert.equal(spawnSync(process.execPath, [cli, 'analyze', f, '--mi', 'binned', '--bins', '10', '--out', full, '--quiet']).status, 0);
    const cmp = spawnSync(process.execPath, [cli, 'compare', join(full, 'results.json'), join(out, 'results.json'), '--no-report', '--out', join(dir, 'cmp')], { encoding: 'utf8' });
    assert.equal(cmp.status, 0, cmp.stderr);
    // a sample of pairs estimates the same all-pairs mean (with its standard error): comparable
    assert.equal(cmp.stderr, '');
    const c = JSON.parse(readFileSync(join(dir, 'cmp', 'comparison.json'), 'utf8'));
    assert.deepEqual(c.mismatches, []);
    assert.ok(c.models[1].intervals.meanMI.se > c.models[0].intervals.meanMI.se, 'the sampled mean is less precise');
    const bad = spawnSync(process.execPath, [cli, 'analyze', f, '--pairs', 'some', '--out', join(dir, 'never')], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--pairs takes all or random:N/);
  });
});
