/**
 * The records of a training run that outlive it: `training.json`, the epochs' history and the
 * messages a training worker posts. Plain data, no training stack (so the summary and the
 * public types do not reach TF.js).
 */

export interface EpochRecord {
  epoch: number;
  loss: number;
  valAccuracy: number | null;
  seconds: number;
}

export interface EpochInfo {
  epoch: number;
  epochs: number;
  loss: number;
  valAccuracy: number | null;
  bestValAccuracy: number;
  elapsed: number;
  secondsPerEpoch: number;
}

/** `training.json` of a model. */
export interface TrainingRecord {
  experiment: string;
  parameter: string;
  value: number;
  seed: number;
  /** Text experiments: where the encoder started. */
  from?: string;
  /** Sentiment Adjectives: validation accuracy on the examples whose heuristic label is wrong. */
  conflictAccuracy?: number | null;
  /** How many validation examples conflictAccuracy is over (its binomial noise). */
  conflictCount?: number | null;
  /** The extrinsic metric: best validation accuracy (MNIST) / accuracy on the measurement set (circles). */
  valAccuracy: number;
  /** Circles: accuracy on the 10% test split and on the training split. */
  testAccuracy: number | null;
  trainAccuracy: number | null;
  epochs: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  finalLoss: number;
  trainSeconds: number;
  backend: string;
  data: Record<string, number>;
  history: EpochRecord[];
}

export type JobMessage =
  | { type: 'epoch'; label: string; info: EpochInfo }
  | { type: 'status'; label: string; text: string };
