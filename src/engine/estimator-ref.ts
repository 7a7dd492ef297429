/**
 * How a job names its MI estimator: a registered name, and the module that registers it where
 * it is not built in (a worker thread imports it before running the job).
 */
import { hasMiEstimator } from '../core/mi/registry.js';

/** Which registered estimator, and the module that registers it when it is not built in. */
export interface EstimatorRef {
  readonly name: string;
  readonly module?: string;
}

/** Imports the module of an estimator registered at run time, where this thread lacks it. */
export async function loadEstimator(ref: EstimatorRef): Promise<void> {
  if (!hasMiEstimator(ref.name) && ref.module) await import(ref.module);
}
