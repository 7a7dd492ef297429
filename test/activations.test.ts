import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activationSetFromLayers, layerToRowMajor, neuronCount, neuronValues } from '../src/core/activations/activation-set.js';
import { sampleNeurons, selectLayers, selectNeuronsPerLayer, selectSamples } from '../src/core/activations/select.js';
import { Rng } from '../src/core/random/rng.js';

// layer a: 4 examples x 3 neurons, value = 10 * example + neuron; layer b: 4 x 2, value = 100 + ...
const a = Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 3) + (i % 3));
const b = Array.from({ length: 8 }, (_, i) => 100 + 10 * Math.floor(i / 2) + (i % 2));
const set = activationSetFromLayers([
  { name: 'a', data: a, samples: 4, neurons: 3 },
  { name: 'b', data: b, samples: 4, neurons: 2 },
]);

describe('activation set', () => {
  it('stores neurons contiguously (neuron-major) in layer order', () => {
    assert.equal(neuronCount(set), 5);
    assert.deepEqual(Array.from(neuronValues(set, 1)), [1, 11, 21, 31]);
    assert.deepEqual(Array.from(neuronValues(set, 4)), [101, 111, 121, 131]);
    assert.deepEqual(set.layers.map((l) => [l.name, l.offset, l.size]), [['a', 0, 3], ['b', 3, 2]]);
    assert.deepEqual(Array.from(layerToRowMajor(set, 0)), a);
  });
  it('refuses layers with different S, duplicate names, or wrong sizes', () => {
    assert.throws(() => activationSetFromLayers([{ name: 'a', data: a, samples: 4, neurons: 3 }, { name: 'b', data: [1, 2], samples: 2, neurons: 1 }]), /2 examples/);
    assert.throws(() => activationSetFromLayers([{ name: 'a', data: a, samples: 4, neurons: 3 }, { name: 'a', data: a, samples: 4, neurons: 3 }]), /duplicate/);
    assert.throws(() => activationSetFromLayers([{ name: 'a', data: a, samples: 4, neurons: 2 }]), /12 values/);
  });
  it('selects layers, first or random neurons per layer, and first or random examples', () => {
    assert.deepEqual(selectLayers(set, ['b', 'a']).layers.map((l) => l.name), ['b', 'a']);
    assert.throws(() => selectLayers(set, ['c']), /unknown layer 'c'/);
    const first = selectNeuronsPerLayer(set, 1);
    assert.deepEqual(Array.from(first.sourceIndex), [0, 0]);
    const rand = selectNeuronsPerLayer(set, 2, 7);
    assert.deepEqual(Array.from(rand.sourceIndex), Array.from(selectNeuronsPerLayer(set, 2, 7).sourceIndex), 'seeded');
    assert.equal(neuronCount(rand), 4);
    const ex = selectSamples(set, 2);
    assert.deepEqual(Array.from(neuronValues(ex, 0)), [0, 10]);
    const rex = selectSamples(set, 3, 1);
    assert.equal(rex.samples, 3);
    const v = Array.from(neuronValues(rex, 0));
    assert.deepEqual(v, [...v].sort((x, y) => x - y), 'examples keep their order');
    const s = sampleNeurons(set, 3, 2);
    assert.equal(neuronCount(s), 3);
    assert.deepEqual(Array.from(neuronValues(set, 0)), [0, 10, 20, 30], 'input untouched');
  });
});

describe('seeded RNG', () => {
  it('repeats for a seed and differs across seeds', () => {
    const x = Array.from({ length: 5 }, ((r) => () => r.uint32())(new Rng(3)));
    const y = Array.from({ length: 5 }, ((r) => () => r.uint32())(new Rng(3)));
    const z = Array.from({ length: 5 }, ((r) => () => r.uint32())(new Rng(4)));
    assert.deepEqual(x, y);
    assert.notDeepEqual(x, z);
  });
  it('draws normals with mean 0 and variance 1, and uniform permutations', () => {
    const r = new Rng(1);
    let s = 0;
    let ss = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      s += v;
      ss += v * v;
    }
    assert.ok(Math.abs(s / n) < 0.01 && Math.abs(ss / n - 1) < 0.02);
    const p = r.permutation(100);
    assert.deepEqual(Array.from(p).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
    const f = r.float();
    assert.ok(f >= 0 && f < 1);
  });
});
