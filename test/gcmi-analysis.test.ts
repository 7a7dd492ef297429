/**
 * `mi: 'gcmi'` through the analysis: every matrix entry equals the pair function on the copula
 * scores, for any thread count; the bias correction shifts every pair by the same constant; the
 * chance baseline is the pair function on permuted examples; dead neurons get 0 under the
 * default preset; the CLI takes --mi gcmi and --bias-correct.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { neuronCount } from '../src/core/activations/activation-set.js';
import { copulaNormalScores, gcmiBiasCorrection, gcmiPair, miFromCorrelation } from '../src/core/mi/gcmi/index.js';
import { Rng } from '../src/core/random/rng.js';
import { mixSeed } from '../src/core/transform/jitter.js';
import { encodeNpy, parseNpy } from '../src/io/npy.js';
import { computeMeasures } from '../src/analysis/compute.js';
import { repoRoot } from './helpers/fixtures.js';
import { structuredSet } from './helpers/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'infomem-gcmi-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('GCMI in the analysis', () => {
  const S = 301;
  const set = structuredSet(S, [9, 14], 3, true);
  const N = neuronCount(set);
  const z = new Float64Array(N * S);
  for (let n = 0; n < N; n++) copulaNormalScores(set.values.subarray(n * S, (n + 1) * S), z.subarray(n * S, (n + 1) * S));
  const row = (n: number): Float64Array => z.subarray(n * S, (n + 1) * S);

  it('the matrix is the pair function on copula scores, the same on 1 and 2 threads', async () => {
    const one = await computeMeasures(set, { mi: 'gcmi', preset: 'paper', threads: 1, baselinePairs: 0 });
    const two = await computeMeasures(set, { mi: 'gcmi', preset: 'paper', threads: 2, baselinePairs: 0, forceWorkers: true });
    assert.deepEqual(Array.from(two.mi!), Array.from(one.mi!));
    for (let i = 0; i < N; i++) {
      assert.equal(one.mi![i * N + i], miFromCorrelation(1));
      for (let j = 0; j < N; j++) {
        if (i === j) continue;
        assert.equal(one.mi![i * N + j], one.mi![j * N + i]);
        assert.ok(Math.abs(one.mi![i * N + j] - gcmiPair(row(i), row(j))) < 1e-13, `${i},${j}`);
      }
    }
  });

  it('bias correction: every pair shifted by psi((S-2)/2)/2 - psi((S-1)/2)/2', async () => {
    const plain = await computeMeasures(set, { mi: 'gcmi', preset: 'paper', threads: 1, baselinePairs: 0 });
    const bc = await computeMeasures(set, { mi: 'gcmi', preset: 'paper', threads: 1, baselinePairs: 0, biasCorrect: true });
    const c = gcmiBiasCorrection(S);
    for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) assert.ok(Math.abs(bc.mi![i * N + j] - plain.mi![i * N + j] - c) < 1e-15);
  });

  it('the chance baseline is the pair function with neuron j\'s examples permuted', async () => {
    const m = await computeMeasures(set, { mi: 'gcmi', preset: 'paper', threads: 1, baselinePairs: 40, seed: 5 });
    const perm = new Rng(mixSeed(5, 0x5eed)).permutation(S);
    const b = m.baseline!;
    for (let p = 0; p < b.values.length; p++) {
      const j = row(b.pairs[2 * p + 1]);
      const pj = Float64Array.from({ length: S }, (_, s) => j[perm[s]]);
      assert.ok(Math.abs(b.values[p] - gcmiPair(row(b.pairs[2 * p]), pj)) < 1e-13);
    }
  });

  it('CLI: --mi gcmi writes the matrix, --bias-correct only with gcmi, dead neurons 0 under default', () => {
    const x = new Float64Array(200 * 4);
    const r = new Rng(2);
    for (let s = 0; s < 200; s++) {
      x[s * 4] = r.normal();
      x[s * 4 + 1] = x[s * 4] ** 3 + 0.3 * r.normal();
      x[s * 4 + 2] = 7; // dead
      x[s * 4 + 3] = r.normal();
    }
    const f = join(dir, 'g.npy');
    writeFileSync(f, encodeNpy(x, [200, 4]));
    const cli = join(repoRoot, 'build/src/cli/main.js');
    const out = join(dir, 'out');
    const ok = spawnSync(process.execPath, [cli, 'analyze', f, '--mi', 'gcmi', '--bias-correct', '--no-report', '--out', out], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /MI Gaussian-copula \(GCMI\), bias-corrected/);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.equal(res.settings.mi, 'gcmi');
    assert.equal(res.settings.biasCorrect, true);
    const mi = parseNpy(readFileSync(join(out, 'mi.npy')), 'mi.npy').data;
    assert.equal(mi[0 * 4 + 2], 0);
    assert.ok(mi[0 * 4 + 1] > 0.5);
    const bad = spawnSync(process.execPath, [cli, 'analyze', f, '--mi', 'binned', '--bias-correct', '--out', join(dir, 'never')], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--bias-correct applies to --mi gcmi/);
  });
});
