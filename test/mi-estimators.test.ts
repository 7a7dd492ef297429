/**
 * What every registered pairwise MI estimator must do (JIDT-style abstract test), and the
 * registry itself: a toy estimator registered at run time is one of the CLI's --mi choices, in
 * its help, accepted by the settings, and runs on the main thread and in worker threads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { miEstimator, miEstimatorNames, registerMiEstimator, unregisterMiEstimator } from '../src/core/mi/registry.js';
import { entropyEstimatorNames } from '../src/core/entropy/registry.js';
import { Rng } from '../src/core/random/rng.js';
import { computeMeasures } from '../src/analysis/compute.js';
import { resolveSettings } from '../src/analysis/settings.js';
import { analyzeUsage } from '../src/cli/usage.js';
import { parseSettingFlags, settingFlagOptions } from '../src/cli/setting-flags.js';
import { pearsonMI, toyEstimator } from './helpers/toy-estimator.js';

/** x, a noisy copy of x, an independent y, a constant, over S examples. */
function fourNeurons(S: number, seed: number) {
  const r = new Rng(seed);
  const data = new Float64Array(S * 4);
  for (let s = 0; s < S; s++) {
    const x = r.normal();
    data[s * 4] = x;
    data[s * 4 + 1] = x + 0.3 * r.normal();
    data[s * 4 + 2] = r.normal();
    data[s * 4 + 3] = 1.5;
  }
  return activationSetFromLayers([{ name: 'l', data, samples: S, neurons: 4 }]);
}

describe('every registered MI estimator', () => {
  const set = fourNeurons(600, 3);
  for (const name of miEstimatorNames()) {
    it(`${name}: declared fully; symmetric matrix; dependent >> independent; constant 0; same on 1 and 2 threads`, async () => {
      const e = miEstimator(name);
      assert.equal(e.name, name);
      for (const text of [e.label, e.help, e.describe(resolveSettings({}, 1))]) assert.ok(typeof text === 'string' && text.length > 0);
      assert.ok(e.minSamples(resolveSettings({}, 1)) >= 1);
      const one = await computeMeasures(set, { mi: name, bins: 8, threads: 1, baselinePairs: 'all' });
      const two = await computeMeasures(set, { mi: name, bins: 8, threads: 2, baselinePairs: 'all', forceWorkers: true });
      assert.deepEqual(Array.from(two.mi!), Array.from(one.mi!));
      assert.deepEqual(Array.from(two.baseline!.values), Array.from(one.baseline!.values));
      const m = one.mi!;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) assert.equal(m[i * 4 + j], m[j * 4 + i]);
      assert.ok(m[1] > 0.5, `${name}: MI(x, noisy x) = ${m[1]}`);
      assert.ok(Math.abs(m[2]) < 0.1, `${name}: MI(x, independent) = ${m[2]}`);
      assert.equal(m[3], 0, `${name}: MI with a constant neuron (default preset: 0)`);
      for (const v of one.baseline!.values) assert.ok(Math.abs(v) < 0.1, `${name}: baseline ${v}`);
    });

    it(`${name}: the optional kernels (tile, cross) give the pair kernel's values; surrogates the same p on 1 and 2 threads`, async () => {
      const e = miEstimator(name);
      const o = resolveSettings({ mi: name, bins: 8 }, 1);
      const S = set.samples;
      const ext = new Float64Array(8);
      for (let n = 0; n < 4; n++) {
        const v = set.values.subarray(n * S, (n + 1) * S);
        ext[2 * n] = Math.min(...v);
        ext[2 * n + 1] = Math.max(...v);
      }
      const plan = e.plan(set, o, ext);
      const a = e.createStore(4, S, o, plan, false);
      const b = e.createStore(3, S, o, plan, false);
      for (let n = 0; n < 4; n++) e.prepareNeuron(a, n, { neuron: n, values: set.values.subarray(n * S, (n + 1) * S), id: n, permutation: null }, o, plan);
      for (let n = 1; n < 4; n++) e.prepareNeuron(b, n - 1, { neuron: n, values: set.values.subarray(n * S, (n + 1) * S), id: n, permutation: null }, o, plan);
      const same = e.pairKernel(a, a);
      if (e.tileKernel) {
        const out = new Float64Array(16);
        e.tileKernel(a)(0, 4, 0, 4, out);
        for (let i = 0; i < 4; i++) for (let j = i; j < 4; j++) assert.ok(Object.is(out[i * 4 + j], same(i, j)), `${name} tile ${i},${j}`);
      }
      if (e.crossKernel) {
        const cross = e.crossKernel(a, b);
        const pair = e.pairKernel(a, b);
        const out = new Float64Array(12);
        cross.hold(0, 3);
        cross.block(0, 4, out);
        for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) assert.ok(Object.is(out[i * 3 + j], pair(i, j)), `${name} cross ${i},${j}`);
      }
      if (!e.permutePrepared) {
        await assert.rejects(computeMeasures(set, { mi: name, threads: 1, resamples: 0, significance: 19 }), /has no permutation surrogates/);
        return;
      }
      const one = await computeMeasures(set, { mi: name, bins: 8, threads: 1, resamples: 0, baselinePairs: 0, significance: 19 });
      const two = await computeMeasures(set, { mi: name, bins: 8, threads: 2, resamples: 0, baselinePairs: 0, significance: 19, forceWorkers: true });
      assert.deepEqual(Array.from(two.significance!.p), Array.from(one.significance!.p));
      assert.equal(one.significance!.p[0], 1 / 20, `${name}: x against its noisy copy beats every surrogate`);
    });
  }
});

describe('registering an estimator', () => {
  it('a toy estimator is one of the --mi choices and in the help, and computes the right values in process and in workers', async () => {
    assert.ok(miEstimatorNames().includes('toy-pearson'));
    assert.match(analyzeUsage(), /--mi ksg\|binned\|gcmi\|toy-pearson\|none/);
    assert.match(analyzeUsage(), /toy-pearson toy: Gaussian MI of the Pearson correlation/);
    assert.ok('mi' in settingFlagOptions());
    assert.equal(parseSettingFlags({ mi: 'toy-pearson' }).mi, 'toy-pearson');
    assert.throws(() => parseSettingFlags({ mi: 'toy-nope' }), /--mi takes one of ksg\|binned\|gcmi\|toy-pearson\|none, got 'toy-nope'/);
    assert.equal(resolveSettings({ mi: 'toy-pearson' }, 1).mi, 'toy-pearson');
    const set = fourNeurons(300, 8);
    const a = await computeMeasures(set, { mi: 'toy-pearson', threads: 1, baselinePairs: 0 });
    const b = await computeMeasures(set, { mi: 'toy-pearson', threads: 2, baselinePairs: 0, forceWorkers: true });
    assert.deepEqual(Array.from(b.mi!), Array.from(a.mi!));
    // the oracle: Pearson r of neurons 0 and 1
    const S = 300;
    const x = Array.from({ length: S }, (_, s) => set.values[s]);
    const y = Array.from({ length: S }, (_, s) => set.values[S + s]);
    const mx = x.reduce((p, v) => p + v, 0) / S;
    const my = y.reduce((p, v) => p + v, 0) / S;
    let sxy = 0, sxx = 0, syy = 0;
    for (let s = 0; s < S; s++) {
      sxy += (x[s] - mx) * (y[s] - my);
      sxx += (x[s] - mx) ** 2;
      syy += (y[s] - my) ** 2;
    }
    assert.ok(Math.abs(a.mi![1] - pearsonMI(sxy / Math.sqrt(sxx * syy))) < 1e-12);
  });

  it('names are checked; a name is registered once; built-ins stay', () => {
    assert.throws(() => registerMiEstimator({ ...toyEstimator, name: 'Bad Name' }), /lowercase letters/);
    assert.throws(() => registerMiEstimator({ ...toyEstimator, name: 'none' }), /not 'none'/);
    assert.throws(() => registerMiEstimator({ ...toyEstimator, name: 'ksg' }), /already registered/);
    assert.throws(() => unregisterMiEstimator('ksg'), /built in/);
    registerMiEstimator({ ...toyEstimator, name: 'toy-two' });
    assert.ok(miEstimatorNames().includes('toy-two'));
    unregisterMiEstimator('toy-two');
    assert.ok(!miEstimatorNames().includes('toy-two'));
    assert.throws(() => resolveSettings({ mi: 'toy-two' }, 1), /unknown MI estimator 'toy-two'/);
    assert.deepEqual(entropyEstimatorNames().slice(0, 2), ['binned', 'kl']);
  });
});
