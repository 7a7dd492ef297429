/**
 * Worker-thread entry of `scoreFiles`: runs scoreSets (long, synchronous loops) off the main
 * thread, so that Ctrl-C is seen at once (the main thread terminates this worker).
 * workerData: { reference, inputs, labels, opts } (fit and score) or { model, inputs, labels }
 * (score with a saved model); posts { ok: true, analysis } or
 * { ok: false, name, message }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ActivationSet } from '../core/activations/activation-set.js';
import { applyScoringModel, scoreSets, type ScoreOptions, type ScoringModel } from './score.js';

if (!parentPort) throw new Error('score worker: not started as a worker thread');
const { reference, model, inputs, labels, opts } = workerData as { reference?: ActivationSet; model?: ScoringModel; inputs: ActivationSet; labels: Uint8Array | null; opts?: ScoreOptions };
try {
  parentPort.postMessage({ ok: true, analysis: model ? applyScoringModel(model, inputs, labels) : scoreSets(reference!, inputs, labels, opts) });
} catch (e) {
  parentPort.postMessage({ ok: false, name: (e as Error)?.name ?? 'Error', message: (e as Error)?.message ?? String(e) });
}
