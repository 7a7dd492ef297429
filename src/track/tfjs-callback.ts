/**
 * A TF.js training callback that records the cheap measures (checkpoint-measures.ts) of chosen
 * layers on fixed measurement inputs during a user's `model.fit`: before the first epoch
 * (epoch 0) and after every `every`-th epoch and the last, with the epoch's logs (loss,
 * accuracy, ...). Uses only the model it is given (`model.execute` on the layers' output
 * tensors), so it works with whichever TF.js package and backend the user trains with.
 *
 * ```ts
 * const cb = infomemCallback({ model, inputs: xVal, layers: ['dense_1', 'dense_2'], every: 5 });
 * await model.fit(x, y, { epochs: 50, callbacks: cb });
 * console.log(cb.points); // [{ epoch: 0, meanEntropy, meanMI: { binned, gcmi }, layers, logs }, ...]
 * ```
 */
import type * as TfNs from '@tensorflow/tfjs';
import { activationSetFromLayers } from '../core/activations/activation-set.js';
import { measureCheckpoint, type CheckpointMeasureOptions, type CheckpointMeasures } from './checkpoint-measures.js';

export interface InfomemCallbackOptions extends CheckpointMeasureOptions {
  /** The model being trained. */
  model: TfNs.LayersModel;
  /** Measurement inputs (S examples along the first axis), never trained on ideally. */
  inputs: TfNs.Tensor;
  /** Layer names (default: every layer but the inputs and the last). */
  layers?: string[];
  /** Measure every this many epochs (default 5), and after the last. */
  every?: number;
  /** Measure the initial weights before training (default true). */
  atStart?: boolean;
  /** Examples per forward pass (default 1,000). */
  batch?: number;
  /** Called with each point as it is recorded. */
  onMeasure?: (point: TrackedEpoch) => void | Promise<void>;
}

export interface TrackedEpoch extends CheckpointMeasures {
  /** Epochs completed (0: the initial weights). */
  epoch: number;
  /** The epoch's logs as TF.js gives them (loss, acc, val_loss, ...); empty at epoch 0. */
  logs: Record<string, number>;
  /** Seconds the measures took. */
  seconds: number;
}

/** The callback: pass it to `model.fit({ callbacks })`; its `points` fill as training runs. */
export interface InfomemCallback {
  readonly points: TrackedEpoch[];
  onTrainBegin(logs?: unknown): Promise<void>;
  onEpochEnd(epoch: number, logs?: Record<string, unknown>): Promise<void>;
  onTrainEnd(logs?: unknown): Promise<void>;
  /** Measures the model now, as epoch `epoch` (for training loops outside `fit`). */
  measure(epoch: number, logs?: Record<string, number>): Promise<TrackedEpoch>;
}

export function infomemCallback(opts: InfomemCallbackOptions): InfomemCallback {
  const every = opts.every ?? 5;
  if (!(Number.isInteger(every) && every >= 1)) throw new RangeError(`every must be a positive integer, got ${every}`);
  const { model, inputs } = opts;
  const S = inputs.shape[0];
  if (!(S !== undefined && S >= 2)) throw new RangeError(`inputs must hold at least 2 examples along the first axis, got shape [${inputs.shape.join(', ')}]`);
  const names = opts.layers ?? model.layers.slice(0, -1).filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name);
  if (names.length === 0) throw new RangeError('no layers to measure (give layers)');
  const outputs = names.map((n) => {
    const out = model.getLayer(n).output;
    return (Array.isArray(out) ? out[0] : out).name;
  });
  const batch = opts.batch ?? 1000;
  const points: TrackedEpoch[] = [];
  let lastEpoch = -1;
  let lastLogs: Record<string, number> = {};

  const activations = (): { name: string; data: Float32Array; samples: number; neurons: number }[] => {
    const parts: Float32Array[][] = names.map(() => []);
    for (let s = 0; s < S; s += batch) {
      const m = Math.min(batch, S - s);
      const begin = inputs.shape.map((_, i) => (i === 0 ? s : 0));
      const size = inputs.shape.map((d, i) => (i === 0 ? m : d));
      const x = inputs.slice(begin, size);
      const ys = model.execute(x, outputs);
      for (const [i, y] of (Array.isArray(ys) ? ys : [ys]).entries()) {
        parts[i].push(Float32Array.from(y.dataSync()));
        y.dispose();
      }
      x.dispose();
    }
    return names.map((name, i) => {
      const data = new Float32Array(parts[i].reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts[i]) {
        data.set(p, o);
        o += p.length;
      }
      return { name, data, samples: S, neurons: data.length / S };
    });
  };

  const measure = async (epoch: number, logs: Record<string, number> = {}): Promise<TrackedEpoch> => {
    const t = performance.now();
    const set = activationSetFromLayers(activations());
    const m = await measureCheckpoint(set, opts);
    const point: TrackedEpoch = { epoch, logs, seconds: 0, ...m };
    point.seconds = (performance.now() - t) / 1000;
    points.push(point);
    await opts.onMeasure?.(point);
    return point;
  };

  const numbers = (logs: Record<string, unknown> | undefined): Record<string, number> => Object.fromEntries(Object.entries(logs ?? {}).filter(([, v]) => typeof v === 'number')) as Record<string, number>;

  return {
    points,
    measure,
    async onTrainBegin() {
      if (opts.atStart !== false && !points.some((p) => p.epoch === 0)) await measure(0);
    },
    async onEpochEnd(epoch, logs) {
      const done = epoch + 1;
      lastEpoch = done;
      lastLogs = numbers(logs);
      if (done % every === 0) await measure(done, lastLogs);
    },
    async onTrainEnd() {
      // the last epoch, when it was not a multiple of `every`
      if (lastEpoch > 0 && !points.some((p) => p.epoch === lastEpoch)) await measure(lastEpoch, lastLogs);
    },
  };
}
