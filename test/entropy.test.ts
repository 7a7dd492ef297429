import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activationSetFromLayers } from '../src/core/activations/activation-set.js';
import { allocateCodes, binCodes } from '../src/core/binning/bin-codes.js';
import { equalWidthEdges } from '../src/core/binning/equal-width-edges.js';
import { quantileBinning } from '../src/core/binning/strategy/index.js';
import { klEntropy } from '../src/core/entropy/kozachenko-leonenko.js';
import { binnedEntropies } from '../src/core/entropy/plugin.js';
import { Rng } from '../src/core/random/rng.js';
import { assertClose } from './helpers/assert-close.js';

function codesFor(values: Float64Array, bins: number, edges = equalWidthEdges(Math.min(...values), Math.max(...values), bins), equalWidth = true) {
  const codes = allocateCodes(bins, values.length);
  binCodes(values, edges, bins, equalWidth, codes);
  return codes;
}

describe('equal-width edges (np.histogram / np.linspace)', () => {
  it('spans min..max with B + 1 edges', () => {
    assert.deepEqual(Array.from(equalWidthEdges(0, 1, 4)), [0, 0.25, 0.5, 0.75, 1]);
  });
  it('widens a constant range by 0.5 on each side, as NumPy does', () => {
    assert.deepEqual(Array.from(equalWidthEdges(3, 3, 2)), [2.5, 3, 3.5]);
  });
  it('edge i is i * step + lo and the last edge is exactly the max', () => {
    const e = equalWidthEdges(-0.3, 1.7, 7);
    const step = 2 / 7;
    for (let i = 0; i < 7; i++) assert.equal(e[i], i * step + -0.3);
    assert.equal(e[7], 1.7);
  });
  it('refuses non-finite ranges and bad bin counts', () => {
    assert.throws(() => equalWidthEdges(0, Infinity, 3), RangeError);
    assert.throws(() => equalWidthEdges(0, 1, 0), RangeError);
  });
});

describe('bin codes', () => {
  it('closes the last bin and opens the others on the right', () => {
    const codes = codesFor(Float64Array.of(0, 0.25, 0.5, 0.999, 1), 4);
    assert.deepEqual(Array.from(codes), [0, 1, 2, 3, 3]);
  });
  it('binary search (non-uniform edges) agrees with the arithmetic fast path', () => {
    const r = new Rng(5);
    const v = Float64Array.from({ length: 5000 }, () => r.normal());
    const edges = equalWidthEdges(Math.min(...v), Math.max(...v), 37);
    assert.deepEqual(Array.from(codesFor(v, 37, edges, true)), Array.from(codesFor(v, 37, edges, false)));
  });
  it('uses 16-bit codes above 256 bins', () => {
    assert.ok(allocateCodes(1000, 4) instanceof Uint16Array);
    assert.ok(allocateCodes(256, 4) instanceof Uint8Array);
  });
});

describe('plug-in entropy', () => {
  it('an even spread over B bins has entropy ln B', () => {
    for (const B of [2, 10, 100]) {
      const v = Float64Array.from({ length: B * 7 }, (_, i) => Math.floor(i / 7) + 0.5);
      const edges = equalWidthEdges(0, B, B);
      assertClose(binnedEntropies(codesFor(v, B, edges), 1, v.length, B)[0], Math.log(B), 1e-12, `B=${B}`);
    }
  });
  it('a constant neuron has entropy exactly 0', () => {
    assert.equal(binnedEntropies(codesFor(new Float64Array(50).fill(2), 10), 1, 50, 10)[0], 0);
  });
  it('Miller-Madow adds (m - 1) / (2S)', () => {
    const v = Float64Array.of(0, 1, 2, 3, 3, 3);
    const edges = equalWidthEdges(0, 4, 4);
    const plain = binnedEntropies(codesFor(v, 4, edges), 1, 6, 4)[0];
    const mm = binnedEntropies(codesFor(v, 4, edges), 1, 6, 4, true)[0];
    assertClose(mm - plain, 3 / 12, 1e-15, 'correction');
    assertClose(plain, -(3 * (1 / 6) * Math.log(1 / 6) + 0.5 * Math.log(0.5)), 1e-15, 'value');
  });
  it('lies in [0, ln B]', () => {
    const r = new Rng(9);
    const v = Float64Array.from({ length: 3000 }, () => r.normal() ** 3);
    const h = binnedEntropies(codesFor(v, 30), 1, 3000, 30)[0];
    assert.ok(h > 0 && h <= Math.log(30));
  });
  it('quantile (equal-frequency) binning gives ~ln B on continuous data', () => {
    const r = new Rng(2);
    const S = 10000;
    const data = Float64Array.from({ length: S }, () => r.normal());
    const set = activationSetFromLayers([{ name: 'a', data, samples: S, neurons: 1 }]);
    const e = quantileBinning(set, 20);
    const codes = allocateCodes(20, S);
    binCodes(set.values, e.edges, 20, false, codes);
    assertClose(binnedEntropies(codes, 1, S, 20)[0], Math.log(20), 1e-3, 'quantile entropy');
  });
});

describe('Kozachenko-Leonenko entropy (k = 3, max-norm)', () => {
  const r = new Rng(11);
  it('N(0, 1): 0.5 ln(2 pi e) within 0.02 nats', () => {
    const v = Float64Array.from({ length: 20000 }, () => r.normal());
    assertClose(klEntropy(v, 3), 0.5 * Math.log(2 * Math.PI * Math.E), 0.02, 'gaussian');
  });
  it('U(0, 2): ln 2 within 0.02 nats', () => {
    const v = Float64Array.from({ length: 20000 }, () => 2 * r.float());
    assertClose(klEntropy(v, 3), Math.LN2, 0.02, 'uniform');
  });
  it('is shift invariant and moves by ln a under scaling by a', () => {
    const v = Float64Array.from({ length: 2000 }, () => r.normal());
    const h = klEntropy(v);
    assertClose(klEntropy(v.map((x) => x + 5)), h, 1e-9, 'shift');
    assertClose(klEntropy(v.map((x) => 4 * x)), h + Math.log(4), 1e-9, 'scale');
  });
  it('exact ties give -Infinity, as the definition does', () => {
    assert.equal(klEntropy(Float64Array.of(0, 0, 0, 0, 1, 2)), -Infinity);
  });
  it('needs k + 1 samples', () => {
    assert.throws(() => klEntropy(Float64Array.of(1, 2, 3), 3), RangeError);
  });
});
