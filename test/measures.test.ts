import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { Rng } from '../src/core/random/rng.js';
import { AbortError } from '../src/engine/progress.js';
import { computeMeasures } from '../src/analysis/compute.js';
import { buildResults } from '../src/analysis/results.js';
import { resolveSettings } from '../src/analysis/settings.js';
import { assertClose } from './helpers/assert-close.js';
import { structuredSet } from './helpers/synthetic.js';

function independentRelu(S: number, N: number, seed: number) {
  const r = new Rng(seed);
  const data = Float64Array.from({ length: S * N }, () => Math.max(0, r.normal()));
  return activationSetFromLayers([{ name: 'relu', data, samples: S, neurons: N }]);
}

function offDiagonalMean(mi: Float64Array, N: number): number {
  let s = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (i !== j) s += mi[i * N + j];
  return s / (N * (N - 1));
}

describe('presets', () => {
  it('paper = 100 global bins, KSG k=3, raw, no jitter; default adds z-score and jitter', () => {
    const p = resolveSettings({ preset: 'paper' }, 2);
    assert.deepEqual([p.bins, p.binning, p.mi, p.k, p.scale, p.jitter], [100, 'global', 'ksg', 3, 'raw', 0]);
    const d = resolveSettings({}, 2);
    assert.deepEqual([d.preset, d.scale, d.jitter], ['default', 'zscore', 1e-10]);
    assert.equal(resolveSettings({ preset: 'paper', k: 5 }, 2).k, 5);
  });
  it('refuses bad settings with a RangeError', () => {
    assert.throws(() => resolveSettings({ bins: 0 }, 1), RangeError);
    assert.throws(() => resolveSettings({ k: 0 }, 1), RangeError);
    assert.throws(() => resolveSettings({ jitter: -1 }, 1), RangeError);
    assert.throws(() => resolveSettings({ preset: 'nope' as 'paper' }, 1), RangeError);
  });
});

describe('KSG on ReLU ties', () => {
  // Independent post-ReLU neurons: about half of each neuron's values are exact zeros.
  const set = independentRelu(2000, 6, 21);
  it('default preset (z-score + jitter) gives MI within +-0.05 nats of 0', async () => {
    const m = await computeMeasures(set, { preset: 'default', baselinePairs: 0, threads: 1 });
    for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) assertClose(m.mi![i * 6 + j], 0, 0.05, `pair ${i},${j}`);
  });
  it('paper preset (raw KSG) breaks down on the ties: strongly negative MI, as the reference does', async () => {
    const m = await computeMeasures(set, { preset: 'paper', baselinePairs: 0, threads: 1 });
    const mean = offDiagonalMean(m.mi!, 6);
    // documented behaviour of the reference estimator on this data: mean -1.306 nats over the 15
    // pairs (range -1.426 .. -1.202), where the true MI is 0; default gives -0.0004 (+-0.025)
    assertClose(mean, -1.306, 0.01, 'paper-preset mean MI on independent ReLU neurons');
  });
});

describe('computeMeasures', () => {
  const set = structuredSet(600, [12, 9], 3, true);
  const N = 21;
  it('gives identical results for 1 and 2 threads (KSG and binned)', async () => {
    for (const mi of ['ksg', 'binned'] as const) {
      const a = await computeMeasures(set, { mi, threads: 1, baselinePairs: 50 });
      const b = await computeMeasures(set, { mi, threads: 2, baselinePairs: 50, forceWorkers: true });
      assert.deepEqual(Array.from(b.mi!), Array.from(a.mi!), mi);
      assert.deepEqual(Array.from(b.entropy), Array.from(a.entropy));
      assert.deepEqual(Array.from(b.baseline!.values), Array.from(a.baseline!.values));
    }
  });
  it('fills a symmetric matrix whose binned diagonal is the entropy', async () => {
    const m = await computeMeasures(set, { mi: 'binned', threads: 2, forceWorkers: true, baselinePairs: 0 });
    for (let i = 0; i < N; i++) {
      assertClose(m.mi![i * N + i], m.entropy[i], 1e-12, `diag ${i}`);
      for (let j = 0; j < N; j++) assert.equal(m.mi![i * N + j], m.mi![j * N + i]);
    }
  });
  it('is deterministic for a seed and changes the jitter with it', async () => {
    const a = await computeMeasures(set, { threads: 1, seed: 4, baselinePairs: 20 });
    const b = await computeMeasures(set, { threads: 1, seed: 4, baselinePairs: 20 });
    const c = await computeMeasures(set, { threads: 1, seed: 5, baselinePairs: 20 });
    assert.deepEqual(Array.from(a.mi!), Array.from(b.mi!));
    assert.notDeepEqual(Array.from(a.baseline!.values), Array.from(c.baseline!.values));
  });
  it('chance baseline sits near 0 while dependent pairs sit well above it', async () => {
    const m = await computeMeasures(set, { threads: 1, baselinePairs: 'all' });
    const r = buildResults(m, { version: 'test' });
    assert.equal(r.baseline!.pairs, (N * (N - 1)) / 2);
    assertClose(r.baseline!.mean, 0, 0.03, 'baseline mean');
    assert.ok(r.overall.meanMI! > r.baseline!.p95, 'mean MI above the chance p95');
  });
  it('reports mean entropy under each binning scope; global matches the main estimate', async () => {
    const m = await computeMeasures(set, { mi: 'none' });
    const mean = m.entropy.reduce((a, b) => a + b, 0) / N;
    assertClose(m.meanEntropyByBinning.global, mean, 1e-12, 'global');
    assert.ok(m.meanEntropyByBinning.neuron > m.meanEntropyByBinning.global, 'per-neuron edges resolve more');
    assert.equal(m.mi, null);
  });
  it('counts constant neurons: entropy 0 and binned MI 0', async () => {
    const data = new Float64Array(300 * 3);
    const r = new Rng(1);
    for (let s = 0; s < 300; s++) {
      data[s * 3] = r.normal();
      data[s * 3 + 1] = 7;
      data[s * 3 + 2] = r.normal();
    }
    const m = await computeMeasures(activationSetFromLayers([{ name: 'a', data, samples: 300, neurons: 3 }]), { mi: 'binned', bins: 10, baselinePairs: 0 });
    assert.equal(m.constantNeurons, 1);
    assert.equal(m.entropy[1], 0);
    for (let j = 0; j < 3; j++) assert.equal(m.mi![1 * 3 + j], 0);
  });
  it('KSG with constant (dead) neurons: 0 under default, the estimator\'s psi(k) - psi(S) under paper', async () => {
    const r = new Rng(2);
    const S = 500;
    const data = new Float64Array(S * 4);
    for (let s = 0; s < S; s++) {
      data[s * 4] = r.normal();
      data[s * 4 + 1] = 0;
      data[s * 4 + 2] = 0;
      data[s * 4 + 3] = Math.max(0, r.normal());
    }
    const set = activationSetFromLayers([{ name: 'a', data, samples: S, neurons: 4 }]);
    const d = await computeMeasures(set, { baselinePairs: 'all' });
    for (const n of [1, 2]) for (let m = 0; m < 4; m++) assert.equal(d.mi![n * 4 + m], 0);
    assert.ok(d.baseline!.values.every((v, p) => v === 0 || (d.baseline!.pairs[2 * p] !== 1 && d.baseline!.pairs[2 * p] !== 2 && d.baseline!.pairs[2 * p + 1] !== 1 && d.baseline!.pairs[2 * p + 1] !== 2)));
    const p = await computeMeasures(set, { preset: 'paper', baselinePairs: 0 });
    // two constant neurons: every point ties, n_x = n_y = S - 1, I = psi(k) - psi(S)
    const psiS = -0.5772156649015329 + Array.from({ length: S - 1 }, (_, i) => 1 / (i + 1)).reduce((a, b) => a + b, 0);
    assertClose(p.mi![1 * 4 + 2], -0.5772156649015329 + 1 + 0.5 - psiS, 1e-9, 'paper constant pair');
  });

  it('refuses non-finite values and too few examples', async () => {
    const bad = activationSetFromLayers([{ name: 'a', data: [1, NaN, 2, 3, 4, 5, 6, 7], samples: 4, neurons: 2 }]);
    await assert.rejects(computeMeasures(bad), /non-finite activation NaN \(layer 'a', neuron 1, example 0\)/);
    const tiny = activationSetFromLayers([{ name: 'a', data: [1, 2, 3], samples: 3, neurons: 1 }]);
    await assert.rejects(computeMeasures(tiny), /at least k \+ 1 = 4/);
  });
  it('reports progress and can be cancelled', async () => {
    const big = structuredSet(4000, [160], 8);
    const phases = new Set<string>();
    const controller = new AbortController();
    const run = computeMeasures(big, {
      threads: 2,
      forceWorkers: true,
      signal: controller.signal,
      onProgress: (p) => {
        phases.add(p.phase);
        if (p.phase === 'mi') controller.abort();
      },
    });
    await assert.rejects(run, AbortError);
    assert.ok(phases.has('entropy') && phases.has('mi'));
  });
});
