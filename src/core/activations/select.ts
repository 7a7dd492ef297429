import { Rng } from '../random/rng.js';
import { type ActivationSet, allocValues, type LayerInfo, neuronCount } from './activation-set.js';

/**
 * Selections of an activation set. Each returns a new set (values copied) and never modifies
 * its input. Random choices take a seed: the same seed picks the same neurons or examples.
 */

/** Keeps the named layers, in the order given. Throws on an unknown name. */
export function selectLayers(set: ActivationSet, names: readonly string[]): ActivationSet {
  const picked = names.map((name) => {
    const l = set.layers.find((x) => x.name === name);
    if (!l) throw new RangeError(`unknown layer '${name}' (layers: ${set.layers.map((x) => x.name).join(', ')})`);
    return l;
  });
  const neurons: number[] = [];
  const layers: LayerInfo[] = [];
  for (const l of picked) {
    layers.push({ name: l.name, offset: neurons.length, size: l.size });
    for (let n = 0; n < l.size; n++) neurons.push(l.offset + n);
  }
  return gather(set, layers, neurons);
}

/**
 * Keeps at most K neurons per layer: the first K (`seed` undefined) or K drawn uniformly at
 * random without replacement (kept in their original order); a smaller layer is kept whole.
 * K above the largest layer is refused.
 */
export function selectNeuronsPerLayer(set: ActivationSet, k: number, seed?: number): ActivationSet {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`neurons per layer must be a positive integer, got ${k}`);
  const largest = Math.max(...set.layers.map((l) => l.size));
  if (k > largest) throw new RangeError(`asked for ${k} neurons per layer, but the largest layer has ${largest} (--neurons-per-layer)`);
  const rng = seed === undefined ? undefined : new Rng(seed);
  const neurons: number[] = [];
  const layers: LayerInfo[] = [];
  for (const l of set.layers) {
    const m = Math.min(k, l.size);
    const chosen = rng ? Array.from(rng.sample(l.size, m)) : Array.from({ length: m }, (_, i) => i);
    layers.push({ name: l.name, offset: neurons.length, size: m });
    for (const c of chosen) neurons.push(l.offset + c);
  }
  return gather(set, layers, neurons);
}

/** Keeps K neurons drawn uniformly at random over all layers (the paper's "768 random neurons"); K > N is refused. */
export function sampleNeurons(set: ActivationSet, k: number, seed: number): ActivationSet {
  const N = neuronCount(set);
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`neuron sample size must be a positive integer, got ${k}`);
  if (k > N) throw new RangeError(`asked for ${k} neurons at random, but the input has ${N} (--sample-neurons)`);
  const chosen = new Rng(seed).sample(N, k);
  const neurons: number[] = [];
  const layers: LayerInfo[] = [];
  let c = 0;
  for (const l of set.layers) {
    const start = neurons.length;
    while (c < chosen.length && chosen[c] < l.offset + l.size) neurons.push(chosen[c++]);
    if (neurons.length > start) layers.push({ name: l.name, offset: start, size: neurons.length - start });
  }
  return gather(set, layers, neurons);
}

/** The examples selectSamples keeps of S: the first `count`, or `count` drawn with `seed`, ascending. */
export function sampleRows(S: number, count: number, seed?: number): Int32Array {
  return seed === undefined ? Int32Array.from({ length: count }, (_, i) => i) : new Rng(seed).sample(S, count);
}

/** Keeps the first S examples (`seed` undefined) or S drawn at random (kept in original order); more than there are is refused. */
export function selectSamples(set: ActivationSet, count: number, seed?: number): ActivationSet {
  if (!(Number.isInteger(count) && count >= 1)) throw new RangeError(`sample count must be a positive integer, got ${count}`);
  const S = set.samples;
  if (count > S) throw new RangeError(`asked for ${count} examples, but the input has ${S} (--samples)`);
  const m = count;
  if (m === S) return set;
  const rows = sampleRows(S, m, seed);
  const N = neuronCount(set);
  const values = allocValues(set.values, N * m);
  for (let n = 0; n < N; n++) {
    const src = n * S;
    const dst = n * m;
    for (let s = 0; s < m; s++) values[dst + s] = set.values[src + rows[s]];
  }
  return { samples: m, layers: set.layers, values, sourceIndex: set.sourceIndex };
}

/**
 * Sets aside constant (dead) neurons, whose activations are all equal: their entropy is 0 and
 * their MI with every neuron is 0, so they carry no information but weigh on every mean.
 * @returns the live neurons, and the set's indices of those left out
 * @throws RangeError when every neuron is constant
 */
export function dropConstantNeurons(set: ActivationSet): { set: ActivationSet; dropped: number[] } {
  const S = set.samples;
  const N = neuronCount(set);
  const keep: number[] = [];
  const dropped: number[] = [];
  for (let n = 0; n < N; n++) {
    const base = n * S;
    const x = set.values[base];
    let constant = true;
    for (let s = 1; s < S && constant; s++) if (set.values[base + s] !== x) constant = false;
    (constant ? dropped : keep).push(n);
  }
  if (dropped.length === 0) return { set, dropped };
  if (keep.length === 0) throw new RangeError(`every one of the ${N} neurons is constant; nothing is left to analyse after --exclude-constant`);
  const layers: LayerInfo[] = [];
  let c = 0;
  const kept: number[] = [];
  for (const l of set.layers) {
    const start = kept.length;
    while (c < keep.length && keep[c] < l.offset + l.size) kept.push(keep[c++]);
    if (kept.length > start) layers.push({ name: l.name, offset: start, size: kept.length - start });
  }
  return { set: gather(set, layers, kept), dropped };
}

function gather(set: ActivationSet, layers: LayerInfo[], neurons: readonly number[]): ActivationSet {
  const S = set.samples;
  const values = allocValues(set.values, neurons.length * S);
  const sourceIndex = new Int32Array(neurons.length);
  neurons.forEach((src, dst) => {
    values.set(set.values.subarray(src * S, (src + 1) * S), dst * S);
    sourceIndex[dst] = set.sourceIndex[src];
  });
  return { samples: S, layers, values, sourceIndex };
}
