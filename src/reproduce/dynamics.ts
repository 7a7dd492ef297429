/**
 * `dynamics.json` of a model: the cheap measures (track/checkpoint-measures.ts) every E epochs
 * of its training, with the training loss and the training and validation accuracy at that
 * epoch. Written atomically after every tracked epoch, so an interrupted training resumes its
 * series: the points after the checkpoint it resumes from are dropped and measured again.
 */
import { existsSync } from 'node:fs';
import { readFileBytes, writeFileAtomic } from '../io/files.js';
import type { ActivationSet } from '../core/activations/activation-set.js';
import { checkpointSettings, measureCheckpoint, type CheckpointMeasures } from '../track/checkpoint-measures.js';

export const DYNAMICS_SCHEMA = 'infomem/dynamics';
export const DYNAMICS_VERSION = 1;

export interface DynamicsPoint extends CheckpointMeasures {
  /** Epochs completed (0: the initial weights). */
  epoch: number;
  /** Mean training data loss of that epoch (null at epoch 0). */
  loss: number | null;
  trainAccuracy: number;
  /** Accuracy on the validation set (MNIST) or the measurement set (circles). */
  valAccuracy: number;
  /** Seconds the measures took. */
  seconds: number;
}

export interface DynamicsRecord {
  schema: typeof DYNAMICS_SCHEMA;
  version: typeof DYNAMICS_VERSION;
  /** The model's training key (train-job.ts `jobKey`): points of another training are never mixed in. */
  key: string;
  every: number;
  settings: ReturnType<typeof checkpointSettings>;
  /** On which inputs the activations were measured. */
  measuredOn: string;
  /** True once training finished. */
  complete: boolean;
  points: DynamicsPoint[];
}

export { isTrackedEpoch } from '../track/tracked-epochs.js';

/** The points of an earlier, interrupted training of the same model up to `epoch` (none when the file is another's). */
export async function resumePoints(path: string, key: string, epoch: number): Promise<DynamicsPoint[]> {
  if (!existsSync(path)) return [];
  try {
    const doc = JSON.parse(new TextDecoder().decode(await readFileBytes(path))) as Partial<DynamicsRecord>;
    if (doc.schema !== DYNAMICS_SCHEMA || doc.key !== key || !Array.isArray(doc.points)) return [];
    return doc.points.filter((p) => p.epoch <= epoch);
  } catch {
    return [];
  }
}

export async function writeDynamics(path: string, record: DynamicsRecord): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(record, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n');
}

/** Reads a model's dynamics.json (null when it has none, or none that can be read: the summary then goes without it). */
export async function readDynamics(path: string): Promise<DynamicsRecord | null> {
  if (!existsSync(path)) return null;
  try {
    const doc = JSON.parse(new TextDecoder().decode(await readFileBytes(path))) as DynamicsRecord;
    return doc.schema === DYNAMICS_SCHEMA && Array.isArray(doc.points) ? doc : null;
  } catch {
    return null;
  }
}

/**
 * Records one model's dynamics: measures each tracked epoch's activations, appends the point
 * (replacing any at or after that epoch) and rewrites dynamics.json; `finish` marks it complete.
 */
export class DynamicsRecorder {
  private readonly points: DynamicsPoint[];

  constructor(
    private readonly path: string,
    private readonly head: Pick<DynamicsRecord, 'key' | 'every' | 'measuredOn'> & { bins: number },
    resumed: DynamicsPoint[] = [],
    private readonly seed = 0,
  ) {
    this.points = [...resumed];
  }

  private record(complete: boolean): DynamicsRecord {
    return { schema: DYNAMICS_SCHEMA, version: DYNAMICS_VERSION, key: this.head.key, every: this.head.every, settings: checkpointSettings({ bins: this.head.bins }), measuredOn: this.head.measuredOn, complete, points: this.points };
  }

  /** Measures `set` as epoch `epoch` and writes the series so far. */
  async measure(epoch: number, set: ActivationSet, info: { loss: number | null; trainAccuracy: number; valAccuracy: number }, started = performance.now()): Promise<DynamicsPoint> {
    const measures = await measureCheckpoint(set, { bins: this.head.bins, seed: this.seed, threads: 1 });
    const point: DynamicsPoint = { epoch, ...info, seconds: (performance.now() - started) / 1000, ...measures };
    const i = this.points.findIndex((p) => p.epoch >= epoch);
    if (i >= 0) this.points.splice(i);
    this.points.push(point);
    await writeDynamics(this.path, this.record(false));
    return point;
  }

  finish(): Promise<void> {
    return writeDynamics(this.path, this.record(true));
  }
}
