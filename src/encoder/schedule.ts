/** The fine-tuning schedule as plain data (no training stack), for the run configs that record it. */

/** How a classifier is fine-tuned (recorded in a reproduction's run.json). */
export interface FinetuneSchedule {
  maxEpochs: number;
  batchSize: number;
  learningRate: number;
  warmup: number;
  weightDecay: number;
  /** Stop after the first epoch whose mean training loss is at most this. */
  stopLoss: number;
  /** Longest token sequence (the encoder's positions at most). */
  maxLength: number;
}
