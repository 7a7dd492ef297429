import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { allocateCodes, binCodes } from '../src/core/binning/bin-codes.js';
import { globalBinning, neuronBinning, type BinEdges } from '../src/core/binning/strategy/index.js';
import { binnedEntropies } from '../src/core/entropy/plugin.js';
import { BinnedMiKernel } from '../src/core/mi/binned/binned-mi-kernel.js';
import { createBinnedStore } from '../src/core/mi/binned/binned-store.js';
import { computeMeasures } from '../src/analysis/compute.js';
import { assertClose } from './helpers/assert-close.js';
import { readFixtureJson } from './helpers/fixtures.js';

interface BinnedCase {
  name: string;
  bins: number;
  activations_SxN: number[][];
  entropy_global_nats: number[];
  entropy_per_neuron_nats: number[];
  mi_global_binned_nats: number[][];
}

const ref = readFixtureJson<{ cases: BinnedCase[] }>('reference/binned.json');

function setOf(c: BinnedCase) {
  const S = c.activations_SxN.length;
  const N = c.activations_SxN[0].length;
  return activationSetFromLayers([{ name: 'x', data: c.activations_SxN.flat(), samples: S, neurons: N }]);
}

function codesOf(c: BinnedCase, edges: BinEdges) {
  const set = setOf(c);
  const S = set.samples;
  const N = c.entropy_global_nats.length;
  const W = c.bins + 1;
  const codes = allocateCodes(c.bins, N * S);
  for (let n = 0; n < N; n++) binCodes(set.values.subarray(n * S, (n + 1) * S), edges.edges.subarray(n * W, (n + 1) * W), c.bins, edges.equalWidth, codes, n * S);
  return { codes, N, S };
}

describe('binned estimators reproduce the NumPy reference (|delta| <= 1e-12)', () => {
  assert.ok(ref.cases.length >= 3);
  for (const c of ref.cases) {
    it(`${c.name}: entropies with global edges`, () => {
      const { codes, N, S } = codesOf(c, globalBinning(setOf(c), c.bins));
      const h = binnedEntropies(codes, N, S, c.bins);
      c.entropy_global_nats.forEach((e, n) => assertClose(h[n], e, 1e-12, `neuron ${n}`));
    });
    it(`${c.name}: entropies with per-neuron edges`, () => {
      const { codes, N, S } = codesOf(c, neuronBinning(setOf(c), c.bins));
      const h = binnedEntropies(codes, N, S, c.bins);
      c.entropy_per_neuron_nats.forEach((e, n) => assertClose(h[n], e, 1e-12, `neuron ${n}`));
    });
    it(`${c.name}: binned MI matrix with global edges`, () => {
      const { codes, N, S } = codesOf(c, globalBinning(setOf(c), c.bins));
      const store = createBinnedStore(codes, N, S, c.bins);
      const kernel = new BinnedMiKernel(S, c.bins);
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) assertClose(kernel.mi(store, i, store, j), c.mi_global_binned_nats[i][j], 1e-12, `pair ${i},${j}`);
    });
    it(`${c.name}: computeMeasures --preset paper --mi binned gives the same`, async () => {
      const m = await computeMeasures(setOf(c), { preset: 'paper', mi: 'binned', bins: c.bins, baselinePairs: 0, threads: 1 });
      const N = c.entropy_global_nats.length;
      c.entropy_global_nats.forEach((e, n) => assertClose(m.entropy[n], e, 1e-12, `entropy ${n}`));
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) assertClose(m.mi![i * N + j], c.mi_global_binned_nats[i][j], 1e-12, `pair ${i},${j}`);
    });
  }
});
