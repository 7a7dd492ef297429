/**
 * Activations of named hidden layers on a set of inputs, read out of a trained MLP in batches,
 * and written as one `.npz` (one float32 S x N array per layer, keyed by the layer name).
 */
import type * as TfNs from '@tensorflow/tfjs';
import { activationSetFromLayers, type ActivationSet } from '../core/activations/activation-set.js';
import { writeFileAtomic, readFileBytes } from '../io/files.js';
import { encodeNpz, parseNpz } from '../io/npz.js';
import type { Tf } from './tf-backend.js';

export interface LayerActivations {
  name: string;
  samples: number;
  neurons: number;
  /** Row-major S x N. */
  data: Float32Array;
}

/** Runs `model` on `x` (n x features) and returns the outputs of `layers`. */
export function extractActivations(tf: Tf, model: TfNs.LayersModel, layers: string[], x: Float32Array, n: number, features: number, batch = 1000): LayerActivations[] {
  const outs = layers.map((name) => model.getLayer(name).output as TfNs.SymbolicTensor);
  const sub = tf.model({ inputs: model.inputs, outputs: outs });
  const result = layers.map((name, i) => {
    const neurons = outs[i].shape[1] as number;
    return { name, samples: n, neurons, data: new Float32Array(n * neurons) };
  });
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    const ys = tf.tidy(() => {
      const r = sub.predict(tf.tensor2d(x.subarray(s * features, (s + m) * features), [m, features]));
      return Array.isArray(r) ? r : [r];
    });
    ys.forEach((y, i) => {
      result[i].data.set(y.dataSync() as Float32Array, s * result[i].neurons);
      y.dispose();
    });
  }
  return result;
}

/** Writes the layers as an .npz atomically. */
export async function writeActivations(path: string, layers: LayerActivations[]): Promise<void> {
  const map = new Map(layers.map((l) => [l.name, { data: l.data, shape: [l.samples, l.neurons] }]));
  await writeFileAtomic(path, encodeNpz(map));
}

/** Reads an activations .npz into an activation set, layers in `order`. */
export async function readActivationSet(path: string, order: string[]): Promise<ActivationSet> {
  const arrays = parseNpz(await readFileBytes(path), path);
  return activationSetFromLayers(
    order.map((name) => {
      const a = arrays.get(name);
      if (!a) throw new RangeError(`${path}: no layer '${name}'`);
      return { name, data: a.data, samples: a.shape[0], neurons: a.shape[1] };
    }),
  );
}
