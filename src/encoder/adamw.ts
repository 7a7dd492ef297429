/**
 * AdamW as PyTorch's `torch.optim.AdamW` computes it (the Hugging Face Trainer's optimiser), with
 * the gradients first clipped to a global L2 norm (`max_grad_norm`, 1.0 in the Trainer):
 *
 *   g  <- g * min(1, maxNorm / ||g||)
 *   w  <- w * (1 - lr * wd)            (parameters marked for decay only)
 *   m  <- b1 m + (1 - b1) g,   v <- b2 v + (1 - b2) g^2
 *   w  <- w - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 *
 * and the learning rate of step t (1-based) from {@link learningRate}: linear warm-up over
 * `warmup` steps, then linear decay to 0 at `total` steps (the Trainer's default schedule).
 * The moments are plain arrays so a checkpoint can hold them (see {@link AdamWState}).
 */
import type * as TfNs from '@tensorflow/tfjs';
import type { Tf } from '../reproduce/tf-backend.js';
import type { Params, ParamSpec } from './model.js';

export interface AdamWConfig {
  learningRate: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  maxGradNorm: number;
  warmup: number;
  /** Steps of the schedule (the rate reaches 0 there); Infinity: constant after warm-up. */
  total: number;
}

export const ADAMW_DEFAULTS: Omit<AdamWConfig, 'learningRate' | 'warmup' | 'total'> = { weightDecay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, maxGradNorm: 1 };

/** The learning rate of step `t` (1-based). */
export function learningRate(cfg: Pick<AdamWConfig, 'learningRate' | 'warmup' | 'total'>, t: number): number {
  if (cfg.warmup > 0 && t <= cfg.warmup) return (cfg.learningRate * t) / cfg.warmup;
  if (!Number.isFinite(cfg.total)) return cfg.learningRate;
  const rest = Math.max(1, cfg.total - cfg.warmup);
  return cfg.learningRate * Math.max(0, (cfg.total - t) / rest);
}

/** The optimiser's state: steps taken and both moments of every parameter, by name. */
export interface AdamWState {
  step: number;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

export class AdamW {
  private readonly m = new Map<string, TfNs.Variable>();
  private readonly v = new Map<string, TfNs.Variable>();
  step = 0;

  constructor(
    private readonly tf: Tf,
    private readonly cfg: AdamWConfig,
    private readonly specs: readonly ParamSpec[],
    private readonly params: Params,
    state?: AdamWState,
  ) {
    for (const s of specs) {
      const m0 = state?.m.get(s.name);
      const v0 = state?.v.get(s.name);
      this.m.set(s.name, tf.variable(m0 ? tf.tensor(m0, s.shape) : tf.zeros(s.shape), false));
      this.v.set(s.name, tf.variable(v0 ? tf.tensor(v0, s.shape) : tf.zeros(s.shape), false));
    }
    if (state) this.step = state.step;
  }

  /** Applies one step with these gradients (by parameter name); returns the pre-clip gradient norm. */
  apply(grads: Record<string, TfNs.Tensor>): number {
    const tf = this.tf;
    const c = this.cfg;
    this.step++;
    const t = this.step;
    const lr = learningRate(c, t);
    const norm = tf.tidy(() => tf.sqrt(tf.addN(this.specs.map((s) => tf.sum(tf.square(grads[s.name]))))));
    const gn = (norm.dataSync() as Float32Array)[0];
    norm.dispose();
    const clip = Number.isFinite(c.maxGradNorm) && gn > c.maxGradNorm ? c.maxGradNorm / (gn + 1e-6) : 1;
    const bc1 = 1 - c.beta1 ** t;
    const bc2 = Math.sqrt(1 - c.beta2 ** t);
    tf.tidy(() => {
      for (const s of this.specs) {
        const w = this.params.get(s.name)!;
        const m = this.m.get(s.name)!;
        const v = this.v.get(s.name)!;
        const g = clip === 1 ? grads[s.name] : tf.mul(grads[s.name], clip);
        m.assign(tf.add(tf.mul(m, c.beta1), tf.mul(g, 1 - c.beta1)));
        v.assign(tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(g), 1 - c.beta2)));
        const decayed = s.decay && c.weightDecay > 0 ? tf.mul(w, 1 - lr * c.weightDecay) : w;
        const upd = tf.div(m, tf.add(tf.div(tf.sqrt(v), bc2), c.eps));
        w.assign(tf.sub(decayed, tf.mul(upd, lr / bc1)));
      }
    });
    return gn;
  }

  /**
   * One training step: the gradients of `loss` with respect to every parameter (in spec order),
   * then {@link apply}. Returns the loss; every gradient is disposed.
   */
  minimize(loss: () => TfNs.Scalar): number {
    const vars = this.specs.map((s) => this.params.get(s.name)!);
    const { value, grads } = this.tf.variableGrads(loss, vars);
    try {
      const byName: Record<string, TfNs.Tensor> = {};
      this.specs.forEach((s, i) => (byName[s.name] = grads[vars[i].name]));
      this.apply(byName);
      return (value.dataSync() as Float32Array)[0];
    } finally {
      value.dispose();
      for (const g of Object.values(grads)) g.dispose();
    }
  }

  state(): AdamWState {
    const read = (src: Map<string, TfNs.Variable>): Map<string, Float32Array> => new Map([...src].map(([k, x]) => [k, Float32Array.from(x.dataSync() as Float32Array)]));
    return { step: this.step, m: read(this.m), v: read(this.v) };
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values()]) x.dispose();
  }
}
