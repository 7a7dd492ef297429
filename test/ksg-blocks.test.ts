/**
 * KSG within a memory budget: all pairs in blocks give the same matrix and baseline, bit for
 * bit, as one store of every neuron, for both presets and any thread count; the per-neuron
 * transform equals the whole-set one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { ksgStoreBytesPerNeuron } from '../src/core/mi/ksg/index.js';
import { jitterInPlace } from '../src/core/transform/jitter.js';
import { zscoreInPlace } from '../src/core/transform/zscore.js';
import { computeMeasures, neuronStreamIds } from '../src/measures/compute.js';
import { ksgBlockSize, ksgValues } from '../src/measures/ksg-blocks.js';
import { resolveSettings } from '../src/measures/settings.js';
import { structuredSet } from './helpers/synthetic.js';

const S = 300;
const set = structuredSet(S, [17, 23], 5, true);
const N = 40;
/** A budget that makes blocks of `b` neurons. */
const budgetFor = (b: number): number => b * (2 * ksgStoreBytesPerNeuron(S, 3) + 8 * S);

describe('KSG in blocks', () => {
  it('block sizes: all neurons when one store fits, else what two stores allow, at least 8', () => {
    const per = ksgStoreBytesPerNeuron(S, 3) + 8 * S;
    assert.equal(ksgBlockSize(N, S, 3, N * per), N);
    assert.equal(ksgBlockSize(N, S, 3, budgetFor(7)), 8);
    assert.equal(ksgBlockSize(N, S, 3, budgetFor(11)), 11);
    assert.equal(ksgBlockSize(5, S, 3, 1), 5);
  });

  for (const preset of ['default', 'paper'] as const) {
    it(`${preset} preset: blocks of 8 and 11 give the one-store matrix and baseline bit for bit`, async () => {
      const whole = await computeMeasures(set, { preset, threads: 1, baselinePairs: 300 });
      for (const [block, threads] of [[8, 1], [11, 2]] as const) {
        const parts = await computeMeasures(set, { preset, threads, baselinePairs: 300, ksgMemory: budgetFor(block), forceWorkers: threads > 1 });
        assert.deepEqual(Array.from(parts.mi!), Array.from(whole.mi!), `block ${block}`);
        assert.deepEqual(Array.from(parts.baseline!.values), Array.from(whole.baseline!.values));
        assert.deepEqual(Array.from(parts.entropy), Array.from(whole.entropy));
      }
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) assert.equal(whole.mi![i * N + j], whole.mi![j * N + i]);
    });
  }

  it('a baseline of every pair in small batches equals the one-batch baseline', async () => {
    const small = structuredSet(200, [9], 2);
    const a = await computeMeasures(small, { threads: 1, baselinePairs: 'all' });
    const b = await computeMeasures(small, { threads: 1, baselinePairs: 'all', ksgMemory: 1 });
    assert.deepEqual(Array.from(b.baseline!.values), Array.from(a.baseline!.values));
    assert.deepEqual(Array.from(b.baseline!.pairs), Array.from(a.baseline!.pairs));
  });

  it('ksgValues equals z-scoring and jittering the whole set, then permuting', () => {
    const s = resolveSettings({ preset: 'default', seed: 9 }, 1);
    const ids = neuronStreamIds(set);
    const whole = Float64Array.from(set.values);
    zscoreInPlace(whole, S);
    jitterInPlace(whole, S, s.jitter, s.seed, ids);
    const pick = [3, 0, 39];
    const out = new Float64Array(pick.length * S);
    ksgValues(set, pick, s, ids, out);
    pick.forEach((n, k) => assert.deepEqual(Array.from(out.subarray(k * S, (k + 1) * S)), Array.from(whole.subarray(n * S, (n + 1) * S))));
    const perm = Int32Array.from({ length: S }, (_, i) => (i * 7) % S);
    ksgValues(set, [5], s, ids, out, perm);
    for (let i = 0; i < S; i++) assert.equal(out[i], whole[5 * S + perm[i]]);
  });

  it('a float32 set gives the same measures as the same values in float64', async () => {
    const rows = new Float32Array(S * 6);
    for (let i = 0; i < rows.length; i++) rows[i] = Math.fround(Math.sin(i * 0.37) * 3 + (i % 7));
    const f32 = activationSetFromLayers([{ name: 'x', data: rows, samples: S, neurons: 6 }]);
    const f64 = activationSetFromLayers([{ name: 'x', data: Float64Array.from(rows), samples: S, neurons: 6 }]);
    assert.ok(f32.values instanceof Float32Array);
    assert.ok(f64.values instanceof Float64Array);
    for (const mi of ['ksg', 'binned'] as const) {
      const a = await computeMeasures(f32, { mi, threads: 1 });
      const b = await computeMeasures(f64, { mi, threads: 1 });
      assert.deepEqual(Array.from(a.mi!), Array.from(b.mi!));
      assert.deepEqual(Array.from(a.entropy), Array.from(b.entropy));
    }
  });
});
