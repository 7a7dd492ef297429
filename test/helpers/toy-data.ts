import { Rng } from '../../src/core/random/rng.js';

/** n examples of 4 standard normal features, labelled 1 when x0 + 0.5 x1 > 0 (a linear rule to learn). */
export function toyData(n: number, seed: number): { x: Float32Array; y: Int32Array; n: number; features: number } {
  const r = new Rng(seed);
  const x = new Float32Array(n * 4);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < 4; f++) x[i * 4 + f] = r.normal();
    y[i] = x[i * 4] + 0.5 * x[i * 4 + 1] > 0 ? 1 : 0;
  }
  return { x, y, n, features: 4 };
}
