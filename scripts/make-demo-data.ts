/**
 * Writes data/demo/mlp-circles.npz, the activation set bundled for the README's first command.
 *
 * What it is: the post-ReLU activations of a 3 x 64 ReLU MLP (Xavier-uniform weights, seed 7,
 * untrained) on 2,000 points of concentric circles (factor 0.4, noise 0.2) with the paper's
 * spurious third feature (division 0.75). Each hidden layer is one array of the .npz (S x 64,
 * float32). Untrained on purpose: it is a small, honest input to show the tool's output, not a
 * finding; `infomem reproduce` (planned) trains the paper's models.
 *
 * Run: npm run build:all && node build/scripts/make-demo-data.js
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Rng } from '../src/core/random/rng.js';
import { encodeNpz } from '../src/io/npz.js';

const S = 2000;
const rng = new Rng(7);
const inputs: number[][] = [];
for (let s = 0; s < S; s++) {
  const label = s % 2;
  const t = 2 * Math.PI * rng.float();
  const r = label === 0 ? 1 : 0.4;
  const x = r * Math.cos(t) + 0.2 * rng.normal();
  const y = r * Math.sin(t) + 0.2 * rng.normal();
  let spurious: number;
  if (rng.float() < 0.75) {
    const aligned = rng.float() < 0.75;
    const mean = (label === 1) === aligned ? 3 : -3;
    spurious = mean + 0.1 * rng.normal();
  } else spurious = rng.float();
  inputs.push([x, y, spurious]);
}

const widths = [3, 64, 64, 64];
let act = inputs;
const layers = new Map<string, { data: Float32Array; shape: number[] }>();
for (let l = 1; l < widths.length; l++) {
  const fanIn = widths[l - 1];
  const fanOut = widths[l];
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const w = Array.from({ length: fanIn * fanOut }, () => (2 * rng.float() - 1) * limit);
  const b = Array.from({ length: fanOut }, () => 0.1 * rng.normal());
  const next: number[][] = [];
  const data = new Float32Array(S * fanOut);
  for (let s = 0; s < S; s++) {
    const row: number[] = [];
    for (let o = 0; o < fanOut; o++) {
      let v = b[o];
      for (let i = 0; i < fanIn; i++) v += act[s][i] * w[i * fanOut + o];
      v = Math.max(0, v);
      row.push(v);
      data[s * fanOut + o] = v;
    }
    next.push(row);
  }
  layers.set(`hidden${l}`, { data, shape: [S, fanOut] });
  act = next;
}
mkdirSync('data/demo', { recursive: true });
writeFileSync('data/demo/mlp-circles.npz', encodeNpz(layers, true));
console.log('wrote data/demo/mlp-circles.npz');
