/**
 * The MLPs of the paper, in TF.js: `fc1 -> relu1 -> fc2 -> relu2 -> ... -> out`, each hidden
 * layer a linear Dense layer (pre-ReLU output `fcK`) followed by a separate ReLU layer
 * (post-ReLU output `reluK`), so either can be read out. Weights are drawn from the seeded
 * {@link Rng}, not from TF.js's generators.
 */
import type * as TfNs from '@tensorflow/tfjs';
import type { Rng } from '../core/random/rng.js';
import type { Tf } from './tf-backend.js';

export interface MlpConfig {
  inputs: number;
  hidden: number[];
  /** Logits: 1 for a binary task (sigmoid / BCE), the class count otherwise (softmax / CE). */
  outputs: number;
  /**
   * `xavier`: Xavier-uniform weights (bound sqrt(6 / (fan_in + fan_out))), zero biases (MNIST).
   * `sklearn`: scikit-learn MLPClassifier's, the same bound for weights and biases (circles).
   */
  init: 'xavier' | 'sklearn';
}

/** Hidden layer names: pre-ReLU (`fc1`...) and post-ReLU (`relu1`...). */
export function hiddenLayerNames(cfg: Pick<MlpConfig, 'hidden'>, kind: 'pre' | 'post'): string[] {
  return cfg.hidden.map((_, i) => (kind === 'pre' ? `fc${i + 1}` : `relu${i + 1}`));
}

/** Builds the MLP and sets its initial weights from `rng`. */
export function buildMlp(tf: Tf, cfg: MlpConfig, rng: Rng): TfNs.Sequential {
  const model = tf.sequential({ name: 'mlp' });
  cfg.hidden.forEach((units, i) => {
    model.add(tf.layers.dense({ units, name: `fc${i + 1}`, ...(i === 0 ? { inputShape: [cfg.inputs] } : {}) }));
    model.add(tf.layers.reLU({ name: `relu${i + 1}` }));
  });
  model.add(tf.layers.dense({ units: cfg.outputs, name: 'out', ...(cfg.hidden.length === 0 ? { inputShape: [cfg.inputs] } : {}) }));
  const weights: TfNs.Tensor[] = [];
  const dims = [cfg.inputs, ...cfg.hidden, cfg.outputs];
  for (let l = 0; l + 1 < dims.length; l++) {
    const [fi, fo] = [dims[l], dims[l + 1]];
    const bound = Math.sqrt(6 / (fi + fo));
    const w = new Float32Array(fi * fo);
    for (let i = 0; i < w.length; i++) w[i] = (2 * rng.float() - 1) * bound;
    const b = new Float32Array(fo);
    if (cfg.init === 'sklearn') for (let i = 0; i < fo; i++) b[i] = (2 * rng.float() - 1) * bound;
    weights.push(tf.tensor2d(w, [fi, fo]), tf.tensor1d(b));
  }
  model.setWeights(weights);
  for (const t of weights) t.dispose();
  return model;
}

/** Logits of `x` (n x features), computed in batches; returns n x outputs values. */
export function predictLogits(tf: Tf, model: TfNs.LayersModel, x: Float32Array, n: number, features: number, batch = 512): Float32Array {
  const outputs = (model.outputs[0].shape[1] as number) ?? 1;
  const out = new Float32Array(n * outputs);
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    const y = tf.tidy(() => model.predict(tf.tensor2d(x.subarray(s * features, (s + m) * features), [m, features])) as TfNs.Tensor);
    out.set(y.dataSync() as Float32Array, s * outputs);
    y.dispose();
  }
  return out;
}

/** Fraction of examples whose predicted class (logit > 0, or argmax) equals the label. */
export function accuracy(logits: Float32Array, outputs: number, y: Int32Array): number {
  const n = y.length;
  if (n === 0) return NaN;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let pred: number;
    if (outputs === 1) pred = logits[i] > 0 ? 1 : 0;
    else {
      pred = 0;
      let best = logits[i * outputs];
      for (let c = 1; c < outputs; c++) {
        const v = logits[i * outputs + c];
        if (v > best) {
          best = v;
          pred = c;
        }
      }
    }
    if (pred === y[i]) correct++;
  }
  return correct / n;
}
