/**
 * Out-of-distribution detection on real activations: the MNIST MLP of bench/trained-activations.ts
 * (3 x 256, all ten digits, 10 epochs), its pre-ReLU activations (768 neurons) on 5,000
 * validation images as the reference, scored on the other 5,000 (in distribution) against far-OOD
 * sets made from those same images: rotated 90 degrees, inverted (1 - x), pixel-permuted (one
 * fixed permutation), and uniform noise. Every `infomem score` score, plus the two logit
 * baselines (maximum softmax probability, energy) computed from the model's outputs.
 *
 *   node build/bench/ood-mnist.js        (about 3 minutes; trains the model the first time)
 *
 * This is not yet `infomem reproduce ood` (issue 13: a model trained on digits 0-4, near-OOD
 * digits 5-9): the model here saw every digit, so there is no near-OOD set.
 */
import { join } from 'node:path';
import { activationSetFromLayers, type ActivationSet } from '../src/core/activations/activation-set.js';
import { auroc, fprAtTpr } from '../src/core/stats/roc.js';
import { extractActivations } from '../src/reproduce/activations.js';
import { runConfig } from '../src/reproduce/experiments.js';
import { readMnistTrain } from '../src/reproduce/idx.js';
import { shuffledMnist, splitMnist } from '../src/reproduce/mnist-data.js';
import { loadModel } from '../src/reproduce/model-io.js';
import { predictLogits } from '../src/reproduce/mlp.js';
import { logitScores } from '../src/core/ood/logits.js';
import { farTransforms } from '../src/reproduce/ood.js';
import { loadTrainingTf } from '../src/reproduce/tf-backend.js';
import { concatExamples, scoreSets } from '../src/score/score.js';
import { trainedActivations } from './trained-activations.js';

const npz = await trainedActivations();
const dir = join(npz, '..');
const tf = await loadTrainingTf();
const model = await loadModel(tf, join(dir, 'model'));
const raw = await readMnistTrain();
const m = runConfig('shuffled-mnist', 'full', 10).mnist!;
const task = shuffledMnist(raw, splitMnist(raw, m.trainImages, m.valImages, 0), 0, 0);
const F = task.features;
const side = Math.round(Math.sqrt(F));
const half = task.nVal / 2;
const refX = task.xVal.subarray(0, half * F);
const testX = task.xVal.slice(half * F);

const layers = ['fc1', 'fc2', 'fc3'];
const acts = (x: Float32Array, n: number): ActivationSet => activationSetFromLayers(extractActivations(tf, model, layers, x, n, F).map((l) => ({ name: l.name, data: l.data, samples: l.samples, neurons: l.neurons })));
const logits = (x: Float32Array, n: number): { msp: Float64Array; energy: Float64Array } => logitScores(predictLogits(tf, model, x, n, F), n);
const transforms = farTransforms(side, 0);

const reference = acts(refX, half);
const test = acts(testX, half);
const testLogits = logits(testX, half);
const table = new Map<string, Record<string, string>>();
for (const [name, f] of Object.entries(transforms)) {
  const ox = f(testX);
  const inputs = concatExamples(test, acts(ox, half));
  const labels = new Uint8Array(2 * half).fill(1, half);
  const t0 = performance.now();
  const a = scoreSets(reference, inputs, labels, {});
  process.stderr.write(`${name}: scored ${2 * half} examples in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const ol = logits(ox, half);
  const cat = (u: Float64Array, v: Float64Array): Float64Array => {
    const o = new Float64Array(u.length + v.length);
    o.set(u);
    o.set(v, u.length);
    return o;
  };
  const rows = [...a.metrics!.map((mm) => [mm.score, mm.auroc, mm.fprAt95Tpr] as const)];
  for (const [k, u, v] of [['msp (logits)', testLogits.msp, ol.msp], ['energy (logits)', testLogits.energy, ol.energy]] as const) {
    const s = cat(u, v);
    rows.push([k, auroc(s, labels), fprAtTpr(s, labels, 0.95)]);
  }
  for (const [score, au, fpr] of rows) {
    if (!table.has(score)) table.set(score, {});
    table.get(score)![name] = `${au.toFixed(3)} / ${fpr.toFixed(3)}`;
  }
}
const sets = Object.keys(transforms);
console.log(`| score (AUROC / FPR at 95% TPR) | ${sets.join(' | ')} |`);
console.log(`|---|${sets.map(() => '---').join('|')}|`);
for (const [score, r] of table) console.log(`| ${score} | ${sets.map((s) => r[s] ?? '-').join(' | ')} |`);
