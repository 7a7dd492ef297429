/**
 * An activation set: S examples x N neurons, grouped into named layers.
 *
 * Storage is neuron-major: neuron n's S activations are `values[n * S .. (n + 1) * S)`.
 * Neurons are numbered in layer order; `layers[l]` covers neurons `offset .. offset + size - 1`.
 * `sourceIndex[n]` is the neuron's column in its original layer (kept through selections, so a
 * report can name "layer fc2, neuron 17" after random sub-sampling).
 */
export interface LayerInfo {
  readonly name: string;
  /** Index of the layer's first neuron in the set. */
  readonly offset: number;
  /** Number of neurons in the layer. */
  readonly size: number;
}

/**
 * The values of a set: float32 when every source was exactly representable in float32 (float16
 * or float32 files, small integers), float64 otherwise. Every estimator reads them as numbers,
 * so the precision a file came in is kept, exactly, at half the memory for float32.
 */
export type ActivationValues = Float32Array | Float64Array;

/**
 * A new zeroed array of `length` values, float32 or float64, over a SharedArrayBuffer (worker
 * threads then read the set without a copy).
 */
export function newValues(float32: boolean, length: number): ActivationValues {
  return float32 ? new Float32Array(new SharedArrayBuffer(4 * length)) : new Float64Array(new SharedArrayBuffer(8 * length));
}

/** A new zeroed (shared) array of the same precision as `like`. */
export function allocValues(like: ActivationValues, length: number): ActivationValues {
  return newValues(like instanceof Float32Array, length);
}

export interface ActivationSet {
  readonly samples: number;
  readonly layers: readonly LayerInfo[];
  /** Neuron-major values, length neurons * samples. */
  readonly values: ActivationValues;
  /** Column of each neuron in its original layer. */
  readonly sourceIndex: Int32Array;
}

/** Total number of neurons of a set. */
export function neuronCount(set: ActivationSet): number {
  const last = set.layers[set.layers.length - 1];
  return last ? last.offset + last.size : 0;
}

/** One neuron's S values, as a view (no copy). */
export function neuronValues(set: ActivationSet, n: number): ActivationValues {
  return set.values.subarray(n * set.samples, (n + 1) * set.samples);
}

/** Layer index of every neuron. */
export function layerOfNeuron(set: ActivationSet): Int32Array {
  const out = new Int32Array(neuronCount(set));
  set.layers.forEach((l, li) => out.fill(li, l.offset, l.offset + l.size));
  return out;
}

/** A layer given as a row-major (sample-major) S x N matrix, the layout of a NumPy array. */
export interface LayerMatrix {
  readonly name: string;
  /** Row-major S x N values (example s, neuron n at s * N + n). */
  readonly data: ArrayLike<number>;
  readonly samples: number;
  readonly neurons: number;
}

/**
 * Builds an activation set from layers given as S x N row-major matrices (transposing to
 * neuron-major). Every layer must have the same number of samples and a unique name. The set is
 * float32 when every layer's data is a Float32Array (`precision: 'auto'`, the default), or as
 * asked.
 */
export function activationSetFromLayers(layers: readonly LayerMatrix[], precision: 'auto' | 'float32' | 'float64' = 'auto'): ActivationSet {
  if (layers.length === 0) throw new RangeError('activation set: no layers');
  const samples = layers[0].samples;
  const names = new Set<string>();
  let total = 0;
  for (const l of layers) {
    if (l.samples !== samples)
      throw new RangeError(`activation set: layer '${l.name}' has ${l.samples} examples, layer '${layers[0].name}' has ${samples}`);
    if (names.has(l.name)) throw new RangeError(`activation set: duplicate layer name '${l.name}'`);
    if (l.data.length !== l.samples * l.neurons)
      throw new RangeError(`activation set: layer '${l.name}' has ${l.data.length} values, expected ${l.samples} x ${l.neurons}`);
    names.add(l.name);
    total += l.neurons;
  }
  const f32 = precision === 'float32' || (precision === 'auto' && layers.every((l) => l.data instanceof Float32Array));
  const values = newValues(f32, total * samples);
  const sourceIndex = new Int32Array(total);
  const infos: LayerInfo[] = [];
  let offset = 0;
  for (const l of layers) {
    const N = l.neurons;
    const d = l.data;
    for (let n = 0; n < N; n++) {
      const base = (offset + n) * samples;
      for (let s = 0; s < samples; s++) values[base + s] = d[s * N + n];
      sourceIndex[offset + n] = n;
    }
    infos.push({ name: l.name, offset, size: N });
    offset += N;
  }
  return { samples, layers: infos, values, sourceIndex };
}

/** The S x N row-major matrix of one layer (the inverse of the transposition above). */
export function layerToRowMajor(set: ActivationSet, layerIndex: number): Float64Array {
  const l = set.layers[layerIndex];
  const S = set.samples;
  const out = new Float64Array(S * l.size);
  for (let n = 0; n < l.size; n++) {
    const base = (l.offset + n) * S;
    for (let s = 0; s < S; s++) out[s * l.size + n] = set.values[base + s];
  }
  return out;
}
