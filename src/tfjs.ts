/**
 * `infomem/tfjs`: what needs @tensorflow/tfjs (an optional peer) in its types: the training
 * callback that records the measures during a user's `model.fit`.
 *
 * ```ts
 * import { infomemCallback } from 'infomem/tfjs';
 * ```
 */
export { infomemCallback, type InfomemCallback, type InfomemCallbackOptions, type TrackedEpoch } from './track/tfjs-callback.js';
