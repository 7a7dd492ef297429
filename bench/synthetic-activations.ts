import { activationSetFromLayers, type ActivationSet } from '../src/core/activations/activation-set.js';
import { Rng } from '../src/core/random/rng.js';

/**
 * Benchmark activations: `layers` layers of `width` neurons over S examples, each neuron a
 * random mix of 8 shared Gaussian factors plus its own noise (pre-activation-like: continuous,
 * correlated, no ties). `relu` clips at 0, giving ~50% exact zeros per neuron.
 */
export function benchActivations(S: number, layers: number, width: number, seed: number, relu = false): ActivationSet {
  const r = new Rng(seed);
  const F = 8;
  const z = new Float64Array(S * F);
  for (let i = 0; i < z.length; i++) z[i] = r.normal();
  return activationSetFromLayers(
    Array.from({ length: layers }, (_, l) => {
      const w = Float64Array.from({ length: width * F }, () => r.normal() / Math.sqrt(F));
      const data = new Float64Array(S * width);
      for (let s = 0; s < S; s++)
        for (let n = 0; n < width; n++) {
          let v = r.normal();
          for (let f = 0; f < F; f++) v += w[n * F + f] * z[s * F + f];
          data[s * width + n] = relu ? Math.max(0, v) : v;
        }
      return { name: `layer${l + 1}`, data, samples: S, neurons: width };
    }),
  );
}
