/**
 * Same-process A/B of two builds of the WebAssembly KSG kernel (asm/ksg.ts), interleaved rounds,
 * medians of per-round ms per pair, at k = 3 (the window search, asm mi3) on the data of
 * bench/ksg-window.ts; checks that both builds give bit-identical digamma sums for every pair.
 *
 *   node asm/build.mjs --single <old copy of asm/ksg.ts, inside the repository> /tmp/base.wasm
 *   npx tsc -p tsconfig.json && node build/bench/ksg-ab.js --base /tmp/base.wasm [--new B.wasm]
 *     [--pairs N] [--rounds R] [--mnist] [--tails] [--samples S] [--base-search grid]
 *
 * B defaults to the kernel built into this checkout. Both builds must take the layout this
 * checkout's src/core/mi/ksg/wasm.ts gives (setLayout .. setLayout5, sized by bucketsPerValue):
 * to compare with an older kernel, port that change of layout to its copy first. With
 * --base-search grid, A runs its grid search (asm mi), which older builds can run under this
 * layout: e.g. the kernel before the k = 3 window search and its faster counts (the build of
 * ba7d921), against this build's window search. --mnist adds real pre-ReLU activations of a
 * 3 x 256 MLP trained on MNIST (bench/trained-activations.ts; trains one the first time);
 * --tails the "outliers" and "cauchy" neurons of bench/ksg-data.ts.
 */
import { readFileSync } from 'node:fs';
import { WasmPairEngine } from '../src/core/mi/ksg/wasm.js';
import { digammaTable } from '../src/core/special/digamma.js';
import { compileWasm } from '../src/core/wasm/module.js';
import { readActivationSet } from '../src/reproduce/activations.js';
import { interleavedMsPerPair, kernelBenchCase, kernelBenchKinds } from './ksg-data.js';
import { trainedActivations } from './trained-activations.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const basePath = arg('--base');
if (basePath === undefined) {
  console.error('usage: node build/bench/ksg-ab.js --base A.wasm [--new B.wasm] [--base-search grid] [--pairs N] [--rounds R] [--mnist] [--tails] [--samples S]');
  process.exit(2);
}
const newPath = arg('--new');
const pairsWanted = Number(arg('--pairs') ?? 60);
const rounds = Number(arg('--rounds') ?? 7);
const baseSearch = arg('--base-search') === 'grid' ? 'grid' : 'auto';
const sizes = arg('--samples') !== undefined ? [Number(arg('--samples'))] : [10000, 2500];
const compile = (path: string): object | null => compileWasm(readFileSync(path).toString('base64'));
const modA = compile(basePath);
const modB = newPath !== undefined ? compile(newPath) : undefined;

const mnist = process.argv.includes('--mnist') ? await readActivationSet(await trainedActivations(), ['fc1', 'fc2', 'fc3']) : null;

console.log(`A = ${basePath}${baseSearch === 'grid' ? ' (grid search)' : ''}, B = ${newPath ?? 'this build'}; ms per pair, medians of ${rounds} interleaved rounds`);
for (const S of sizes) {
  const psi = digammaTable(S);
  for (const kind of kernelBenchKinds(mnist, process.argv.includes('--tails'))) {
    const { store, pairs } = kernelBenchCase(kind, S, pairsWanted, mnist);
    const P = pairs.length;
    const a = new WasmPairEngine(S, 3, 0, psi, baseSearch, modA);
    const b = modB !== undefined ? new WasmPairEngine(S, 3, 0, psi, 'auto', modB) : new WasmPairEngine(S, 3, 0, psi);
    let mismatches = 0;
    const ends = [0, 0, 0, 0];
    for (let q = 0; q < P; q++) {
      a.run(store, pairs[q][0], store, pairs[q][1]);
      b.run(store, pairs[q][0], store, pairs[q][1]);
      if (!Object.is(a.sumX, b.sumX) || !Object.is(a.sumY, b.sumY)) mismatches++;
      b.countStats().forEach((v, m) => (ends[m] += v));
    }
    const [ma, mb] = interleavedMsPerPair(rounds, pairs, (i, j) => a.run(store, i, store, j), (i, j) => b.run(store, i, store, j));
    console.log(
      `S=${S} ${kind.padEnd(7)}: A ${ma.toFixed(3)}, B ${mb.toFixed(3)} ms/pair, B is x${(ma / mb).toFixed(3)}; ` +
        `${mismatches === 0 ? 'bit-identical' : `${mismatches} of ${P} pairs DIFFER`}; B's count ends: ${ends.join(' / ')} (slid / searched / bucket hit / bucket missed)`,
    );
  }
}
