/**
 * What a reproduction job shares with its kinds (train-job.ts for the MLPs, text-job.ts for the
 * encoders): the key of its training, and the progress line of a measured epoch.
 */
import type { DynamicsPoint } from './dynamics.js';
import type { ModelJob } from './experiments.js';
import type { JobMessage } from './training-record.js';

/**
 * A key that changes whenever anything deciding the model's training changes (the MNIST
 * regime's name is left out: it is derived from the L2 weight and the checkpoint rule, and a
 * checkpoint written before it was recorded stays valid).
 */
export function jobKey(job: ModelJob): string {
  const { config } = job;
  const mnist = config.mnist ? (({ regime: _regime, ...rest }) => rest)(config.mnist) : config.mnist;
  return JSON.stringify({ config: { ...config, mnist }, parameter: job.parameter, value: job.value, seed: job.seed });
}

/** The progress line of a measured epoch. */
export function postDynamics(post: (m: JobMessage) => void, label: string, p: DynamicsPoint): void {
  post({ type: 'status', label, text: `dynamics at epoch ${p.epoch}: mean entropy ${p.meanEntropy.toFixed(3)}, mean MI ${fmtMi(p.meanMI.gcmi)} (GCMI) ${fmtMi(p.meanMI.binned)} (binned), train acc ${p.trainAccuracy.toFixed(3)}, ${p.seconds.toFixed(1)} s` });
}

const fmtMi = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(4));

