/**
 * Ranking the reference pairs by binned MI for the co-activation score (`infomem score`): the
 * earlier version (a logarithm per joint cell, every pair kept and sorted) against the current
 * one (a c ln c table, a bounded heap of the best pairs), 768 neurons x 10,000 examples on 18
 * codes, the best 256 pairs. Same process, interleaved rounds, medians; the results must be equal.
 *   node build/bench/top-pairs.js [--rounds 3] [--neurons 768] [--samples 10000]
 */
import { Rng } from '../src/core/random/rng.js';
import { topPairs } from '../src/core/ood/reference.js';

const argv = process.argv.slice(2);
const opt = (name: string, d: number): number => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : d);
const rounds = opt('--rounds', 3);
const N = opt('--neurons', 768);
const S = opt('--samples', 10000);
const W = 18;
const r = new Rng(7);
const codes = new Uint8Array(N * S);
for (let s = 0; s < S; s++) {
  const f = r.normal();
  for (let n = 0; n < N; n++) codes[n * S + s] = Math.max(0, Math.min(W - 1, Math.floor(9 + 2 * ((n % 5) / 5) * f + 2 * r.normal())));
}

/** The earlier topPairs, verbatim in effect. */
function before(count: number): { pairs: Int32Array; mi: Float64Array } {
  const hx = new Float64Array(N);
  const c = new Float64Array(W);
  const nlogn = (x: number): number => (x > 0 ? x * Math.log(x) : 0);
  for (let n = 0; n < N; n++) {
    c.fill(0);
    for (let s = 0; s < S; s++) c[codes[n * S + s]]++;
    let sum = 0;
    for (let b = 0; b < W; b++) sum += nlogn(c[b]);
    hx[n] = sum;
  }
  const joint = new Float64Array(W * W);
  const lnS = Math.log(S);
  const all: { i: number; j: number; mi: number }[] = [];
  for (let i = 0; i < N; i++)
    for (let j = i + 1; j < N; j++) {
      joint.fill(0);
      for (let s = 0; s < S; s++) joint[codes[i * S + s] * W + codes[j * S + s]]++;
      let sum = 0;
      for (let q = 0; q < W * W; q++) sum += nlogn(joint[q]);
      all.push({ i, j, mi: lnS + (sum - hx[i] - hx[j]) / S });
    }
  all.sort((a, b) => b.mi - a.mi || a.i - b.i || a.j - b.j);
  const top = all.slice(0, count);
  return { pairs: Int32Array.from(top.flatMap((t) => [t.i, t.j])), mi: Float64Array.from(top.map((t) => t.mi)) };
}

const tb: number[] = [];
const ta: number[] = [];
for (let k = 0; k < rounds; k++) {
  let t = performance.now();
  const b = before(256);
  tb.push((performance.now() - t) / 1000);
  t = performance.now();
  const a = topPairs(codes, N, S, W, 256);
  ta.push((performance.now() - t) / 1000);
  if (a.pairs.join() !== b.pairs.join() || a.mi.join() !== b.mi.join()) throw new Error('the two rankings differ');
}
const med = (v: number[]): number => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
process.stdout.write(`top 256 of ${(N * (N - 1)) / 2} pairs, ${N} x ${S}, ${rounds} interleaved rounds, medians:\n  before (log per cell, all pairs sorted): ${med(tb).toFixed(2)} s (${tb.map((x) => x.toFixed(2)).join(', ')})\n  after (c ln c table, bounded heap):      ${med(ta).toFixed(2)} s (${ta.map((x) => x.toFixed(2)).join(', ')})\n  speed-up ${(med(tb) / med(ta)).toFixed(1)}x; identical pairs and MI\n`);
