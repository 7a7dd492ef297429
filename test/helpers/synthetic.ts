import { activationSetFromLayers, type ActivationSet } from '../../src/core/activations/activation-set.js';
import { Rng } from '../../src/core/random/rng.js';

/** S x N row-major matrix of independent standard normals. */
export function gaussianMatrix(S: number, N: number, seed: number): Float64Array {
  const r = new Rng(seed);
  const out = new Float64Array(S * N);
  for (let i = 0; i < out.length; i++) out[i] = r.normal();
  return out;
}

/** Layers of neurons that mix a few shared latent factors, some through ReLU. */
export function structuredSet(S: number, layerSizes: number[], seed: number, relu = false): ActivationSet {
  const r = new Rng(seed);
  const factors = 4;
  const z = gaussianMatrix(S, factors, seed + 1);
  return activationSetFromLayers(
    layerSizes.map((N, li) => {
      const w = Array.from({ length: N * factors }, () => r.normal());
      const data = new Float64Array(S * N);
      for (let s = 0; s < S; s++)
        for (let n = 0; n < N; n++) {
          let v = 0.5 * r.normal();
          for (let f = 0; f < factors; f++) v += w[n * factors + f] * z[s * factors + f];
          data[s * N + n] = relu ? Math.max(0, v) : v;
        }
      return { name: `layer${li + 1}`, data, samples: S, neurons: N };
    }),
  );
}
