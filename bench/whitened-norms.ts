/**
 * The scoring step of the Mahalanobis and copula scores: ||L^-1 x||^2 for 10,000 examples x 768
 * neurons, by forward substitution per example (before) against W = L^-1 once and the blocked
 * dot kernel (after). Same process, interleaved rounds, medians; one thread.
 *   node build/bench/whitened-norms.js [--rounds 5] [--neurons 768] [--samples 10000]
 */
import { Rng } from '../src/core/random/rng.js';
import { choleskyInPlace, solvedNorm2 } from '../src/core/linalg/cholesky.js';
import { lowerInverse, whitenedNorms2 } from '../src/core/linalg/whitened-norms.js';
import { gramLower } from '../src/core/linalg/gram.js';

const argv = process.argv.slice(2);
const opt = (name: string, d: number): number => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : d);
const rounds = opt('--rounds', 5);
const N = opt('--neurons', 768);
const S = opt('--samples', 10000);
const r = new Rng(1);
// a covariance from 2,000 correlated reference examples (neuron-major), ridge as the scores use
const R = 2000;
const mix = Float64Array.from({ length: N * 16 }, () => r.normal());
const ref = new Float64Array(N * R);
for (let s = 0; s < R; s++) {
  const f = Array.from({ length: 16 }, () => r.normal());
  for (let n = 0; n < N; n++) {
    let v = 0.5 * r.normal();
    for (let k = 0; k < 16; k++) v += mix[n * 16 + k] * f[k];
    ref[n * R + s] = v;
  }
}
const L = gramLower(ref, N, R);
for (let i = 0; i < N; i++) L[i * N + i] += 1e-3 * R;
choleskyInPlace(L, N);
const rows = Float64Array.from({ length: S * N }, () => r.normal());

const before = (): Float64Array => {
  const z = new Float64Array(N);
  const out = new Float64Array(S);
  for (let s = 0; s < S; s++) out[s] = solvedNorm2(L, N, rows.subarray(s * N, (s + 1) * N), z);
  return out;
};
const after = (): Float64Array => whitenedNorms2(lowerInverse(L, N), N, rows, S);
const tb: number[] = [];
const ta: number[] = [];
let maxRel = 0;
for (let k = 0; k < rounds; k++) {
  let t = performance.now();
  const b = before();
  tb.push((performance.now() - t) / 1000);
  t = performance.now();
  const a = after();
  ta.push((performance.now() - t) / 1000);
  for (let s = 0; s < S; s++) maxRel = Math.max(maxRel, Math.abs(a[s] - b[s]) / b[s]);
}
const med = (v: number[]): number => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
process.stdout.write(`||L^-1 x||^2 of ${S} x ${N}, ${rounds} interleaved rounds, medians:\n  forward substitution per example: ${med(tb).toFixed(2)} s (${tb.map((x) => x.toFixed(2)).join(', ')})\n  L^-1 once + blocked dot kernel:    ${med(ta).toFixed(2)} s (${ta.map((x) => x.toFixed(2)).join(', ')})\n  speed-up ${(med(tb) / med(ta)).toFixed(1)}x; largest relative difference ${maxRel.toExponential(1)}\n`);
