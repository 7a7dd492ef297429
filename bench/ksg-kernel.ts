/**
 * Benchmark of the fast KSG pair kernel (single thread).
 *
 *   npx tsc -p tsconfig.json && node build/bench/ksg-kernel.js [--pairs N] [--quick]
 *
 * Data: "gauss" neurons are linear mixtures of 8 shared latent Gaussians plus private noise
 * (pairwise correlations spread over ~0..0.9, like real activations); "relu" is max(0, .) of
 * the same (~50% exact zeros). Reports, per S, data set and engine (wasm = WebAssembly from
 * asm/ksg.ts, the default; js): prep ms per neuron, ms per pair (best of 3 rounds over the timed
 * pairs, after warm-up), ns per point, the speed-up of wasm over js (same pairs, same process),
 * and the brute-force time of one pair. --engine wasm|js times one engine only.
 */
import {
  ksgBrute,
  KsgPairKernel,
  createKsgStore,
  prepareKsgNeuron,
  ksgWasmAvailable,
  type KsgEngine,
} from '../src/core/mi/ksg/index.js';
import { Rng } from '../src/core/random/rng.js';

function makeNeurons(neurons: number, S: number, relu: boolean, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  const g = (): number => rng.normal();
  const L = 8;
  const latent: Float64Array[] = [];
  for (let l = 0; l < L; l++) {
    const z = new Float64Array(S);
    for (let s = 0; s < S; s++) z[s] = g();
    latent.push(z);
  }
  const out: Float64Array[] = [];
  for (let n = 0; n < neurons; n++) {
    const w = new Float64Array(L);
    for (let l = 0; l < L; l++) w[l] = g() * 0.5;
    const noise = 0.3 + Math.abs(g());
    const bias = relu ? 0 : g();
    const v = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      let t = bias + noise * g();
      for (let l = 0; l < L; l++) t += w[l] * latent[l][s];
      v[s] = relu ? (t > 0 ? t : 0) : t;
    }
    out.push(v);
  }
  return out;
}

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const k = 3;
const pairsWanted = arg('--pairs', 120);
const quick = process.argv.includes('--quick');
const engineArg = process.argv.indexOf('--engine');
const engines: ('wasm' | 'js')[] =
  engineArg >= 0 ? [process.argv[engineArg + 1] as 'wasm' | 'js'] : ksgWasmAvailable() ? ['wasm', 'js'] : ['js'];

function run(S: number, relu: boolean, brute: boolean): void {
  const neurons = 24;
  const data = makeNeurons(neurons, S, relu, 1234 + S + (relu ? 1 : 0));
  const store = createKsgStore(neurons, S, k);
  let t0 = performance.now();
  for (let n = 0; n < neurons; n++) prepareKsgNeuron(store, n, data[n]);
  // second round: timed after warm-up
  t0 = performance.now();
  for (let n = 0; n < neurons; n++) prepareKsgNeuron(store, n, data[n]);
  const prepMs = (performance.now() - t0) / neurons;

  const pairs: [number, number][] = [];
  for (let i = 0; i < neurons; i++) for (let j = i + 1; j < neurons; j++) pairs.push([i, j]);
  const P = Math.min(pairs.length, pairsWanted);
  const perPair: Partial<Record<KsgEngine, number>> = {};
  for (const engine of engines) {
    const kernel = new KsgPairKernel(S, k, { engine });
    let sink = 0;
    for (let w = 0; w < 20; w++) sink += kernel.mi(store, pairs[w][0], store, pairs[w][1]);
    let ms = Infinity;
    for (let round = 0; round < 3; round++) {
      t0 = performance.now();
      for (let q = 0; q < P; q++) sink += kernel.mi(store, pairs[q][0], store, pairs[q][1]);
      ms = Math.min(ms, (performance.now() - t0) / P);
    }
    perPair[engine] = ms;
    // diagonal
    t0 = performance.now();
    for (let n = 0; n < neurons; n++) sink += kernel.mi(store, n, store, n);
    const diagMs = (performance.now() - t0) / neurons;
    const allPairsS = (ms * 295296) / 1000; // 768 neurons, i <= j
    let line =
      `S=${S} ${relu ? 'relu ' : 'gauss'} k=${k} ${engine.padEnd(4)}: ${ms.toFixed(3)} ms/pair (${P} pairs), ` +
      `${((ms * 1e6) / S).toFixed(1)} ns/point, diag ${diagMs.toFixed(3)} ms, prep ${prepMs.toFixed(3)} ms/neuron, ` +
      `768 neurons all pairs ~${allPairsS.toFixed(0)} s on 1 thread`;
    if (engine === 'js' && perPair.wasm !== undefined) line += `; wasm x${(ms / perPair.wasm).toFixed(2)} faster`;
    if (brute) {
      t0 = performance.now();
      const b = ksgBrute(data[0], data[1], k);
      const bms = performance.now() - t0;
      const f = kernel.mi(store, 0, store, 1);
      line += `; brute ${bms.toFixed(0)} ms/pair (x${(bms / ms).toFixed(0)}), |fast-brute| = ${Math.abs(f - b).toExponential(1)}`;
    }
    console.log(line + (Number.isFinite(sink) ? '' : ' (non-finite!)'));
  }
}

for (const S of [10000, 2500]) {
  for (const relu of [false, true]) run(S, relu, !quick && S === 10000);
}
