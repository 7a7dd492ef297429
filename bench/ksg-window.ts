/**
 * Same-process A/B of the k = 3 window search (asm mi3, the default) against the grid search
 * (asm mi) of the WebAssembly KSG engine, interleaved, medians of per-round ms per pair; checks
 * that every pair's MI is bit-for-bit identical, and prints how the window pairs found their
 * points' distances (certified grid window, certified sweep window, exact fallback).
 *
 *   npx tsc -p tsconfig.json && node build/bench/ksg-window.js [--pairs N] [--rounds R]
 *
 * Data (bench/ksg-data.ts): "gauss" (linear mixtures of 8 latent Gaussians plus noise), "relu"
 * (max(0, .) of the same), "trained" (synthetic: heavy-tailed, float32, biased ReLU), and with
 * --mnist "mnist": real pre-ReLU activations of a 3 x 256 MLP trained on MNIST
 * (bench/trained-activations.ts; trains one the first time, about two minutes).
 */
import { KsgPairKernel } from '../src/core/mi/ksg/index.js';
import { WasmPairEngine } from '../src/core/mi/ksg/wasm.js';
import { digammaTable } from '../src/core/special/digamma.js';
import { interleavedMsPerPair, kernelBenchCase, kernelBenchKinds } from './ksg-data.js';
import { readActivationSet } from '../src/reproduce/activations.js';
import { trainedActivations } from './trained-activations.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const pairsWanted = arg('--pairs', 60);
const rounds = arg('--rounds', 5);
const mnist = process.argv.includes('--mnist') ? await readActivationSet(await trainedActivations(), ['fc1', 'fc2', 'fc3']) : null;

for (const S of [10000, 2500]) {
  for (const kind of kernelBenchKinds(mnist)) {
    const { store, pairs } = kernelBenchCase(kind, S, pairsWanted, mnist);
    const P = pairs.length;
    const win = new KsgPairKernel(S, 3, { engine: 'wasm' });
    const grid = new KsgPairKernel(S, 3, { engine: 'wasm', search: 'grid' });
    let mismatches = 0;
    for (let q = 0; q < P; q++) {
      const a = win.mi(store, pairs[q][0], store, pairs[q][1]);
      const b = grid.mi(store, pairs[q][0], store, pairs[q][1]);
      if (!Object.is(a, b)) mismatches++;
    }
    const [mw, mg] = interleavedMsPerPair(rounds, pairs, (i, j) => void win.mi(store, i, store, j), (i, j) => void grid.mi(store, i, store, j));
    // where the window kernel's points went
    const eng = new WasmPairEngine(S, 3, 0, digammaTable(S));
    const tot = [0, 0, 0, 0];
    for (let q = 0; q < P; q++) {
      eng.run(store, pairs[q][0], store, pairs[q][1]);
      eng.windowStats().forEach((v, i) => (tot[i] += v));
    }
    const all = tot[0] + tot[1] + tot[2];
    void tot[3];
    console.log(
      `S=${S} ${kind.padEnd(7)}: grid ${mg.toFixed(3)} ms/pair, window ${mw.toFixed(3)} ms/pair, x${(mg / mw).toFixed(2)}; ` +
        `points: grid window ${((100 * tot[0]) / all).toFixed(1)}%, sweep window ${((100 * tot[1]) / all).toFixed(1)}%, ` +
        `fallback ${((100 * tot[2]) / all).toFixed(1)}%; ${mismatches === 0 ? 'bit-identical' : `${mismatches} of ${P} pairs DIFFER`}`,
    );
  }
}
