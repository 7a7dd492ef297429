/**
 * Per-pair significance (analysis/significance.ts): p-values uniform on independent neurons,
 * the Benjamini-Hochberg false discovery rate kept, GCMI's analytic p-values against the
 * surrogates, surrogates from reordered prepared neurons equal to neurons prepared permuted, and
 * the outputs (pvalues.npy, pairs.npy's columns, results.json).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { computeMeasures } from '../src/analysis/compute.js';
import { miEstimator } from '../src/core/mi/registry.js';
import { Rng } from '../src/core/random/rng.js';
import { ksUniform } from '../src/core/stats/ks-uniform.js';
import { parseNpy } from '../src/io/npy.js';
import { resolveSettings } from '../src/analysis/settings.js';
import { allPairList } from '../src/analysis/significance.js';
import { CONTROL_WORDS, runJob } from '../src/engine/jobs.js';
import { repoRoot } from './helpers/fixtures.js';
import { gaussianMatrix } from './helpers/synthetic.js';

const cli = join(repoRoot, 'build/src/cli/main.js');

describe('per-pair significance', () => {
  it('independent neurons: the p-values are uniform (KS), for GCMI, binned MI and KSG', async () => {
    for (const [mi, sets, S, N, surrogates] of [
      ['gcmi', 8, 300, 12, 199],
      ['binned', 6, 300, 10, 99],
      ['ksg', 3, 200, 8, 99],
    ] as const) {
      const ps: number[] = [];
      for (let k = 0; k < sets; k++) {
        const set = activationSetFromLayers([{ name: 'l', data: gaussianMatrix(S, N, 40 + k), samples: S, neurons: N }]);
        const m = await computeMeasures(set, { mi, bins: 10, significance: surrogates, resamples: 0, baselinePairs: 0, seed: k, threads: 1 });
        ps.push(...m.significance!.p);
      }
      const ks = ksUniform(ps);
      assert.ok(ks.p > 0.01, `${mi}: KS D = ${ks.statistic.toFixed(3)}, p = ${ks.p.toExponential(2)} over ${ps.length} p-values`);
    }
  });

  it('Benjamini-Hochberg keeps the realised false discovery rate at or below q', async () => {
    const S = 200;
    const N = 12;
    let fdp = 0;
    let runs = 0;
    for (let k = 0; k < 12; k++) {
      const z = gaussianMatrix(S, N, 900 + k);
      // neurons 0..3 share a factor: their 6 pairs are dependent, the other 60 independent
      const r = new Rng(k);
      for (let s = 0; s < S; s++) {
        const f = r.normal();
        for (let n = 0; n < 4; n++) z[s * N + n] += 0.8 * f;
      }
      const set = activationSetFromLayers([{ name: 'l', data: z, samples: S, neurons: N }]);
      const m = await computeMeasures(set, { mi: 'gcmi', significance: 199, fdr: 0.1, resamples: 0, baselinePairs: 0, seed: k, threads: 1 });
      const g = m.significance!;
      let found = 0;
      let fals = 0;
      for (let p = 0; p < g.q.length; p++) {
        if (g.q[p] > 0.1) continue;
        found++;
        if (!(g.pairs[2 * p] < 4 && g.pairs[2 * p + 1] < 4)) fals++;
      }
      assert.ok(found >= 6, `the 6 dependent pairs are found (${found})`);
      fdp += found ? fals / found : 0;
      runs++;
    }
    assert.ok(fdp / runs <= 0.1, `realised FDR ${(fdp / runs).toFixed(3)}`);
  });

  it('GCMI: the analytic p-values agree with 2,000 surrogates', async () => {
    const S = 400;
    const N = 8;
    const z = gaussianMatrix(S, N, 5);
    for (let s = 0; s < S; s++) for (let n = 1; n < N; n++) z[s * N + n] += 0.12 * n * z[s * N + n - 1];
    const set = activationSetFromLayers([{ name: 'l', data: z, samples: S, neurons: N }]);
    const m = await computeMeasures(set, { mi: 'gcmi', significance: 2000, resamples: 0, baselinePairs: 0, threads: 1 });
    const g = m.significance!;
    for (let p = 0; p < g.p.length; p++) {
      const a = g.analyticP![p];
      const tol = 4 * Math.sqrt((a * (1 - a)) / 2000) + 2 / 2001;
      assert.ok(Math.abs(a - g.p[p]) <= tol, `pair ${g.pairs[2 * p]}, ${g.pairs[2 * p + 1]}: analytic ${a}, surrogates ${g.p[p]}`);
    }
  });

  it('a surrogate from the prepared neuron reordered gives the MI of the neuron prepared permuted (ties included)', () => {
    const S = 300;
    const r = new Rng(3);
    const x = Float64Array.from({ length: S }, () => Math.max(0, r.normal()));
    const y = Float64Array.from({ length: S }, (_, s) => Math.max(0, 0.7 * x[s] + r.normal()));
    const perm = r.permutation(S);
    const inverse = new Int32Array(S);
    perm.forEach((v, k) => (inverse[v] = k));
    for (const name of ['gcmi', 'binned', 'ksg']) {
      const est = miEstimator(name);
      for (const preset of ['paper', 'default'] as const) {
        const o = resolveSettings({ preset, bins: 10 }, 1);
        const set = activationSetFromLayers([{ name: 'l', data: Float64Array.from({ length: 2 * S }, (_, k) => (k % 2 ? y[k >> 1] : x[k >> 1])), samples: S, neurons: 2 }]);
        const ext = Float64Array.of(Math.min(...x), Math.max(...x), Math.min(...y), Math.max(...y));
        const plan = est.plan(set, o, ext);
        const a = est.createStore(1, S, o, plan, false);
        const b = est.createStore(2, S, o, plan, false);
        est.prepareNeuron(a, 0, { neuron: 0, values: set.values.subarray(0, S), id: 1, permutation: null }, o, plan);
        est.prepareNeuron(b, 0, { neuron: 1, values: set.values.subarray(S, 2 * S), id: 2, permutation: null }, o, plan);
        est.prepareNeuron(b, 1, { neuron: 1, values: set.values.subarray(S, 2 * S), id: 2, permutation: perm }, o, plan);
        const c = est.createStore(1, S, o, plan, false);
        est.permutePrepared!(c, 0, b, 0, perm, inverse);
        const viaPrepare = est.pairKernel(a, b)(0, 1);
        const viaReorder = est.pairKernel(a, c)(0, 0);
        if (name === 'gcmi' && preset === 'paper') {
          // copula ranks break ties by example index: reordering keeps the neuron's own tie order
          assert.ok(Math.abs(viaReorder - viaPrepare) < 0.02, `${name} ${preset}: ${viaReorder} vs ${viaPrepare}`);
        } else if (name === 'ksg' && preset === 'paper') {
          // raw ReLU values tie at 0: the tie order differs, the exact neighbours do not; the sums' order does
          assert.ok(Math.abs(viaReorder - viaPrepare) < 1e-12, `${name} ${preset}: ${viaReorder} vs ${viaPrepare}`);
        } else assert.equal(viaReorder, viaPrepare, `${name} ${preset}`);
      }
    }
  });
});

describe('GCMI surrogates in blocks (the cross kernel)', () => {
  it('count, pair by pair, what the pair kernel counts: all pairs, sparse pairs, a mix, odd S, runs over 64', () => {
    const est = miEstimator('gcmi');
    const S = 203;
    const N = 150;
    const surrogates = 7;
    const z = gaussianMatrix(S, N, 77);
    for (let s = 0; s < S; s++) for (let n = 1; n < N; n++) z[s * N + n] += 0.05 * (n % 5) * z[s * N + n - 1];
    const set = activationSetFromLayers([{ name: 'l', data: z, samples: S, neurons: N }]);
    const o = resolveSettings({ mi: 'gcmi' }, 1);
    const plan = est.plan(set, o, new Float64Array(2 * N));
    const store = est.createStore(N, S, o, plan, true);
    for (let n = 0; n < N; n++) est.prepareNeuron(store, n, { neuron: n, values: set.values.subarray(n * S, (n + 1) * S), id: n, permutation: null }, o, plan);
    const rng = new Rng(9);
    const perms = new Int32Array(surrogates * S);
    const inverses = new Int32Array(surrogates * S);
    for (let k = 0; k < surrogates; k++) {
      const perm = rng.permutation(S);
      perms.set(perm, k * S);
      for (let s = 0; s < S; s++) inverses[k * S + perm[s]] = s;
    }
    const all = allPairList(N);
    const sparse: number[] = [];
    for (let k = 0; k < 300; k++) {
      const i = rng.int(N - 1);
      sparse.push(i, i + 1 + rng.int(N - 1 - i));
    }
    // dense pairs among neurons 60..140 plus a few scattered ones
    const mixed: number[] = [];
    for (let i = 60; i < 140; i++) for (let j = i + 1; j < 140; j++) mixed.push(i, j);
    mixed.push(0, 149, 3, 70, 10, 11);
    const kernel = est.pairKernel(store, store);
    for (const [name, flat] of [['all', Array.from(all)], ['sparse', sparse], ['mixed', mixed]] as const) {
      // grouped by j, as analysis/significance.ts hands them over
      const idx = Array.from({ length: flat.length / 2 }, (_, k) => k).sort((x, y) => flat[2 * x + 1] - flat[2 * y + 1] || x - y);
      const pairs = new Int32Array(idx.flatMap((k) => [flat[2 * k], flat[2 * k + 1]]));
      const observed = Float64Array.from(idx, (k) => kernel(flat[2 * k], flat[2 * k + 1]));
      const starts = [0];
      for (let k = 1; k < idx.length; k++) if (pairs[2 * k + 1] !== pairs[2 * k - 1]) starts.push(k);
      starts.push(idx.length);
      const counts = [1, 64].map((groupsPerTask) => {
        const exceed = new Int32Array(idx.length);
        const job = { type: 'surrogates', estimator: { name: 'gcmi' }, options: o, plan, a: store, b: store, pairs, groups: Int32Array.from(starts), perms, inverses, observed, exceed, groupsPerTask } as const;
        runJob(job, new Int32Array(CONTROL_WORDS));
        return exceed;
      });
      assert.deepEqual(counts[1], counts[0], name);
      assert.ok(counts[0].some((c) => c > 0) && counts[0].some((c) => c < surrogates), `${name}: the counts vary`);
    }
  });
});

describe('significance outputs (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infomem-significance-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const demo = join(repoRoot, 'data/demo/mlp-circles.npz');

  it('all pairs: pvalues.npy (N x N, NaN diagonal) and the summary; sampled pairs: pairs.npy with p and q', () => {
    let r = spawnSync(process.execPath, [cli, 'analyze', demo, '--mi', 'gcmi', '--significance', '50', '--resamples', '0', '--out', join(dir, 'all'), '--quiet'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const p = parseNpy(readFileSync(join(dir, 'all', 'pvalues.npy')), 'pvalues.npy');
    assert.deepEqual(p.shape, [192, 192]);
    assert.ok(Number.isNaN(p.data[0]));
    assert.equal(p.data[1 * 192 + 5], p.data[5 * 192 + 1]);
    for (const v of p.data) if (!Number.isNaN(v)) assert.ok(v >= 1 / 51 && v <= 1);
    const res = JSON.parse(readFileSync(join(dir, 'all', 'results.json'), 'utf8'));
    assert.equal(res.significance.tested, (192 * 191) / 2);
    assert.equal(res.significance.surrogates, 50);
    assert.equal(res.significance.layers.length, 3);
    assert.ok(res.significance.analytic.meanAbsDifference < 0.05);
    assert.match(readFileSync(join(dir, 'all', 'report.html'), 'utf8'), /significant at FDR 0.05/);
    r = spawnSync(process.execPath, [cli, 'analyze', demo, '--mi', 'ksg', '--pairs', 'random:40', '--significance', '19', '--resamples', '0', '--no-report', '--out', join(dir, 'some'), '--quiet'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const rows = parseNpy(readFileSync(join(dir, 'some', 'pairs.npy')), 'pairs.npy');
    assert.deepEqual(rows.shape, [40, 5]);
    for (let k = 0; k < 40; k++) assert.ok(rows.data[5 * k + 4] >= rows.data[5 * k + 3], 'q >= p');
    const bad = spawnSync(process.execPath, [cli, 'analyze', demo, '--fdr', '1.5', '--out', join(dir, 'never')], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--fdr takes a number in \(0, 1\)/);
  });
});
