import { Rng } from '../random/rng.js';
import { standardDeviation } from './zscore.js';

/**
 * Adds seeded Gaussian noise of `scale` times each neuron's standard deviation, in place:
 *   x_s <- x_s + scale * std(x) * z_s,   z_s ~ N(0, 1).
 * This breaks exact ties (post-ReLU zeros) as scikit-learn and JIDT do before a KSG estimate.
 * The noise of neuron n depends only on (seed, neuronIds[n]), so it does not change with the
 * thread count or with which other neurons are analysed. Constant neurons stay constant.
 */
export function jitterInPlace(values: Float64Array, samples: number, scale: number, seed: number, neuronIds: ArrayLike<number>): void {
  if (!(scale >= 0 && Number.isFinite(scale))) throw new RangeError(`jitter must be a finite number >= 0, got ${scale}`);
  if (scale === 0) return;
  const N = values.length / samples;
  for (let n = 0; n < N; n++) {
    const base = n * samples;
    const std = standardDeviation(values, base, base + samples);
    if (!(std > 0)) continue;
    const rng = new Rng(mixSeed(seed, neuronIds[n]));
    const amp = scale * std;
    for (let s = 0; s < samples; s++) values[base + s] += amp * rng.normal();
  }
}

/** A per-stream seed derived from a base seed and a stream id (splitmix-style mixing). */
export function mixSeed(seed: number, stream: number): number {
  let z = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
