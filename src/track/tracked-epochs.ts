/**
 * Which epochs a training loop measures: epoch 0 (the initial weights), every `every`-th, and
 * the last one it runs (the budget's end or an early stop). Shared by the MLP trainer, the
 * encoder's fine-tuning and the dynamics records.
 */
export function isTrackedEpoch(epoch: number, every: number, last: boolean): boolean {
  return epoch === 0 || epoch % every === 0 || last;
}
