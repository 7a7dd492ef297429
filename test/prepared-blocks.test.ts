/**
 * Pairwise MI within a memory budget (analysis/prepared-blocks.ts): all pairs in blocks give the
 * same matrix and baseline, bit for bit, as one store of every neuron, for every registered
 * estimator, both presets and any thread count; KSG's per-neuron transform equals the whole-set one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { ksgNeuronValues } from '../src/core/mi/ksg/estimator.js';
import { miEstimator, miEstimatorNames } from '../src/core/mi/registry.js';
import { jitterInPlace } from '../src/core/transform/jitter.js';
import { zscoreInPlace } from '../src/core/transform/zscore.js';
import { computeMeasures, neuronStreamIds } from '../src/analysis/compute.js';
import { blockSize } from '../src/analysis/prepared-blocks.js';
import { resolveSettings } from '../src/analysis/settings.js';
import { structuredSet } from './helpers/synthetic.js';

const S = 300;
const set = structuredSet(S, [17, 23], 5, true);
const N = 40;
const opts = resolveSettings({ preset: 'default' }, 1);
/** A budget that makes blocks of `b` neurons of estimator `mi`. */
const budgetFor = (b: number, mi = 'ksg'): number => b * 2 * miEstimator(mi).bytesPerNeuron(S, opts);

describe('MI in blocks of prepared neurons', () => {
  it('block sizes: all neurons when one store fits, else what two stores allow, at least 8', () => {
    const ksg = miEstimator('ksg');
    const per = ksg.bytesPerNeuron(S, opts);
    assert.equal(blockSize(ksg, N, S, opts, N * per), N);
    assert.equal(blockSize(ksg, N, S, opts, budgetFor(7)), 8);
    assert.equal(blockSize(ksg, N, S, opts, budgetFor(11)), 11);
    assert.equal(blockSize(ksg, 5, S, opts, 1), 5);
  });

  for (const preset of ['default', 'paper'] as const) {
    it(`${preset} preset, KSG: blocks of 8 and 11 give the one-store matrix and baseline bit for bit`, async () => {
      const whole = await computeMeasures(set, { preset, threads: 1, baselinePairs: 300 });
      for (const [block, threads] of [[8, 1], [11, 2]] as const) {
        const parts = await computeMeasures(set, { preset, threads, baselinePairs: 300, miMemory: budgetFor(block), forceWorkers: threads > 1 });
        assert.deepEqual(Array.from(parts.mi!), Array.from(whole.mi!), `block ${block}`);
        assert.deepEqual(Array.from(parts.baseline!.values), Array.from(whole.baseline!.values));
        assert.deepEqual(Array.from(parts.entropy), Array.from(whole.entropy));
      }
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) assert.equal(whole.mi![i * N + j], whole.mi![j * N + i]);
    });
  }

  for (const mi of miEstimatorNames().filter((m) => m !== 'ksg')) {
    it(`${mi}: blocks of 8 and 13, 1 and 2 threads, give the one-store matrix, baseline and sampled pairs bit for bit`, async () => {
      const whole = await computeMeasures(set, { mi, threads: 1, baselinePairs: 300 });
      const sampled = await computeMeasures(set, { mi, threads: 1, baselinePairs: 0, pairs: 200 });
      for (const [block, threads] of [[8, 1], [13, 2]] as const) {
        const parts = await computeMeasures(set, { mi, threads, baselinePairs: 300, miMemory: budgetFor(block, mi), forceWorkers: threads > 1 });
        assert.deepEqual(Array.from(parts.mi!), Array.from(whole.mi!), `block ${block}`);
        assert.deepEqual(Array.from(parts.baseline!.values), Array.from(whole.baseline!.values));
        const s2 = await computeMeasures(set, { mi, threads, baselinePairs: 0, pairs: 200, miMemory: budgetFor(block, mi), forceWorkers: threads > 1 });
        assert.deepEqual(Array.from(s2.sample!.values), Array.from(sampled.sample!.values));
      }
      // sampled pairs are the matrix's entries
      const sm = sampled.sample!;
      for (let p = 0; p < sm.values.length; p++) assert.equal(sm.values[p], whole.mi![sm.pairs[2 * p] * N + sm.pairs[2 * p + 1]]);
    });
  }

  it('a baseline of every pair in small batches equals the one-batch baseline', async () => {
    const small = structuredSet(200, [9], 2);
    const a = await computeMeasures(small, { threads: 1, baselinePairs: 'all' });
    const b = await computeMeasures(small, { threads: 1, baselinePairs: 'all', miMemory: 1 });
    assert.deepEqual(Array.from(b.baseline!.values), Array.from(a.baseline!.values));
    assert.deepEqual(Array.from(b.baseline!.pairs), Array.from(a.baseline!.pairs));
  });

  it('KSG per-neuron values equal z-scoring and jittering the whole set, then permuting', () => {
    const s = resolveSettings({ preset: 'default', seed: 9 }, 1);
    const ids = neuronStreamIds(set);
    const whole = Float64Array.from(set.values);
    zscoreInPlace(whole, S);
    jitterInPlace(whole, S, s.jitter, s.seed, ids);
    const out = new Float64Array(S);
    for (const n of [3, 0, 39]) {
      ksgNeuronValues({ neuron: n, values: set.values.subarray(n * S, (n + 1) * S), id: ids[n], permutation: null }, s, out);
      assert.deepEqual(Array.from(out), Array.from(whole.subarray(n * S, (n + 1) * S)));
    }
    const perm = Int32Array.from({ length: S }, (_, i) => (i * 7) % S);
    ksgNeuronValues({ neuron: 5, values: set.values.subarray(5 * S, 6 * S), id: ids[5], permutation: perm }, s, out);
    for (let i = 0; i < S; i++) assert.equal(out[i], whole[5 * S + perm[i]]);
  });

  it('a float32 set gives the same measures as the same values in float64', async () => {
    const rows = new Float32Array(S * 6);
    for (let i = 0; i < rows.length; i++) rows[i] = Math.fround(Math.sin(i * 0.37) * 3 + (i % 7));
    const f32 = activationSetFromLayers([{ name: 'x', data: rows, samples: S, neurons: 6 }]);
    const f64 = activationSetFromLayers([{ name: 'x', data: Float64Array.from(rows), samples: S, neurons: 6 }]);
    assert.ok(f32.values instanceof Float32Array);
    assert.ok(f64.values instanceof Float64Array);
    for (const mi of miEstimatorNames()) {
      const a = await computeMeasures(f32, { mi, threads: 1 });
      const b = await computeMeasures(f64, { mi, threads: 1 });
      assert.deepEqual(Array.from(a.mi!), Array.from(b.mi!));
      assert.deepEqual(Array.from(a.entropy), Array.from(b.entropy));
    }
  });
});
