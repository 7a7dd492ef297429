/**
 * `infomem reproduce ood`: out-of-distribution detection with the per-example information
 * scores (score.ts) against label-free baselines, on MNIST alone (nothing is downloaded).
 *
 * An MLP (the paper's 3 x 256 at full size) is trained on the digits 0-4 of MNIST's training
 * split (14 x 14 greyscale, as the paper's MNIST runs). Its pre-ReLU activations on half of the
 * held-out 0-4 images are the reference; the other half are the in-distribution inputs, scored
 * against each out-of-distribution set: near-OOD = held-out digits 5-9 (never seen in training),
 * far-OOD = the in-distribution inputs rotated 90 degrees, inverted (1 - x), pixel-permuted (one
 * seeded permutation), and uniform noise. Every score of `infomem score` plus the logit
 * baselines (maximum softmax probability, energy) gets its AUROC, AUPR and FPR at 95% TPR.
 * Writes ood.json and ood.md into the output directory (atomically, never over a user's file).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { activationSetFromLayers, type ActivationSet } from '../core/activations/activation-set.js';
import { Rng } from '../core/random/rng.js';
import { auroc, averagePrecision, fprAtTpr } from '../core/stats/roc.js';
import { AbortError } from '../engine/progress.js';
import { OutputDir, writeOutputDir, type OutputKind } from '../io/output-dir.js';
import { logitScores } from '../core/ood/logits.js';
import { concatExamples, scoreSets, type DetectionMetrics } from '../score/score.js';
import { VERSION } from '../version.js';
import { extractActivations } from './activations.js';
import type { RunSize } from './experiments.js';
import { readMnistTrain } from './idx.js';
import { accuracy, buildMlp, predictLogits } from './mlp.js';
import { shuffledMnist, splitMnist } from './mnist-data.js';
import { streamRng, Stream } from './seeds.js';
import { loadTrainingTf } from './tf-backend.js';
import { trainMlp } from './trainer.js';

export interface OodOptions {
  out: string;
  size: RunSize;
  epochs?: number;
  seed?: number;
  /** Replace ood.json / ood.md in an existing directory (never other files). */
  overwrite?: boolean;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface OodResult {
  readonly md: string;
  readonly json: string;
  readonly table: Record<string, Record<string, DetectionMetrics>>;
}

const SIZES = {
  full: { trainImages: 50000, valImages: 10000, hidden: [256, 256, 256], epochs: 20, batch: 512 },
  quick: { trainImages: 5000, valImages: 2000, hidden: [64, 64, 64], epochs: 20, batch: 256 },
  tiny: { trainImages: 600, valImages: 400, hidden: [16, 16, 16], epochs: 3, batch: 64 },
} as const;

export const OOD_OUTPUT: OutputKind = { what: 'OOD reproduction', owns: (rel) => rel === 'ood.json' || rel === 'ood.md' };

function pick(x: Float32Array, F: number, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * F);
  rows.forEach((r, i) => out.set(x.subarray(r * F, (r + 1) * F), i * F));
  return out;
}

/** The far-OOD transforms of side x side images (pixels in [0, 1]). */
export function farTransforms(side: number, seed: number): Record<string, (x: Float32Array) => Float32Array> {
  const F = side * side;
  return {
    rotated: (x) => {
      const o = new Float32Array(x.length);
      for (let s = 0; s < x.length / F; s++) for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) o[s * F + c * side + (side - 1 - r)] = x[s * F + r * side + c];
      return o;
    },
    inverted: (x) => x.map((v) => 1 - v),
    permuted: (x) => {
      const p = new Rng(seed + 7).permutation(F);
      const o = new Float32Array(x.length);
      for (let s = 0; s < x.length / F; s++) for (let i = 0; i < F; i++) o[s * F + i] = x[s * F + p[i]];
      return o;
    },
    noise: (x) => {
      const r = new Rng(seed + 8);
      return x.map(() => r.float());
    },
  };
}

/** Runs the experiment; the destination is checked (and reserved) before any training. */
export async function reproduceOod(opts: OodOptions): Promise<OodResult> {
  const target = await OutputDir.open(opts.out, OOD_OUTPUT, { overwrite: opts.overwrite });
  let result: { md: string; json: string; table: Record<string, Record<string, DetectionMetrics>> };
  try {
    result = await runOod(opts);
  } catch (e) {
    await target.discard();
    throw e;
  }
  await writeOutputDir(target, OOD_OUTPUT, {}, async (tmp) => {
    await writeFile(join(tmp, 'ood.json'), result.json);
    await writeFile(join(tmp, 'ood.md'), result.md);
  });
  return result;
}

async function runOod(opts: OodOptions): Promise<OodResult> {
  const size = SIZES[opts.size];
  const seed = opts.seed ?? 0;
  const epochs = opts.epochs ?? size.epochs;
  const log = opts.log ?? (() => {});
  const check = (): void => {
    if (opts.signal?.aborted) throw new AbortError();
  };
  const tf = await loadTrainingTf();
  const raw = await readMnistTrain();
  const task = shuffledMnist(raw, splitMnist(raw, size.trainImages, size.valImages, seed), 0, seed);
  const F = task.features;
  const side = Math.round(Math.sqrt(F));
  const idx = (y: Int32Array, n: number, keep: (d: number) => boolean): number[] => Array.from({ length: n }, (_, i) => i).filter((i) => keep(y[i]));
  const trainRows = idx(task.yTrain, task.nTrain, (d) => d < 5);
  const inVal = idx(task.yVal, task.nVal, (d) => d < 5);
  const outVal = idx(task.yVal, task.nVal, (d) => d >= 5);
  const half = inVal.length >> 1;
  const refRows = inVal.slice(0, half);
  const testRows = inVal.slice(half, 2 * half);
  const nearRows = outVal.slice(0, half);
  const train = { x: pick(task.xTrain, F, trainRows), y: Int32Array.from(trainRows, (r) => task.yTrain[r]), n: trainRows.length, features: F };
  const val = { x: pick(task.xVal, F, refRows), y: Int32Array.from(refRows, (r) => task.yVal[r]), n: refRows.length, features: F };
  log(`training a ${size.hidden.join(' x ')} MLP on ${train.n} images of digits 0-4 for ${epochs} epochs`);
  const model = buildMlp(tf, { inputs: F, hidden: [...size.hidden], outputs: 5, init: 'xavier' }, streamRng(seed, Stream.init));
  const outcome = await trainMlp(tf, model, train, val, { epochs, batchSize: size.batch, learningRate: 1e-3, l2: 0, keepBest: true, evalEvery: 1, seed }, { signal: opts.signal });
  check();
  const testX = pick(task.xVal, F, testRows);
  const testAcc = accuracy(predictLogits(tf, model, testX, testRows.length, F), 5, Int32Array.from(testRows, (r) => task.yVal[r]));
  log(`trained: best validation accuracy ${outcome.bestValAccuracy.toFixed(4)} (epoch ${outcome.bestEpoch}); in-distribution test accuracy ${testAcc.toFixed(4)}`);
  const layers = size.hidden.map((_, i) => `fc${i + 1}`);
  const acts = (x: Float32Array, n: number): ActivationSet => activationSetFromLayers(extractActivations(tf, model, layers, x, n, F).map((l) => ({ name: l.name, data: l.data, samples: l.samples, neurons: l.neurons })));
  const logits = (x: Float32Array, n: number): { msp: Float64Array; energy: Float64Array } => logitScores(predictLogits(tf, model, x, n, F), n);
  const reference = acts(pick(task.xVal, F, refRows), refRows.length);
  const test = acts(testX, testRows.length);
  const testLogits = logits(testX, testRows.length);
  const sets: [string, Float32Array][] = [['near: digits 5-9', pick(task.xVal, F, nearRows)], ...Object.entries(farTransforms(side, seed)).map(([k, f]) => [`far: ${k}`, f(testX)] as [string, Float32Array])];
  const table: Record<string, Record<string, DetectionMetrics>> = {};
  const n = testRows.length;
  for (const [name, x] of sets) {
    check();
    const m = x.length / F;
    const labels = new Uint8Array(n + m).fill(1, n);
    const t0 = performance.now();
    const a = scoreSets(reference, concatExamples(test, acts(x, m)), labels, { seed });
    const ol = logits(x, m);
    const metrics = [...a.metrics!];
    for (const [score, u, v] of [['msp (logits)', testLogits.msp, ol.msp], ['energy (logits)', testLogits.energy, ol.energy]] as const) {
      const s = new Float64Array(n + m);
      s.set(u);
      s.set(v, n);
      metrics.push({ score, auroc: auroc(s, labels), averagePrecision: averagePrecision(s, labels), fprAt95Tpr: fprAtTpr(s, labels, 0.95) });
    }
    for (const mm of metrics) (table[mm.score] ??= {})[name] = mm;
    log(`${name}: ${n} in + ${m} out scored in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const names = sets.map(([k]) => k);
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '-');
  const md =
    `# Out-of-distribution detection (infomem ${VERSION})\n\n` +
    `MLP ${size.hidden.join(' x ')} trained on digits 0-4 (${train.n} images, ${epochs} epochs, seed ${seed}); in-distribution test accuracy ${f(testAcc)}. ` +
    `Reference: ${refRows.length} held-out 0-4 images; in-distribution inputs: ${testRows.length} others. AUROC / FPR at 95% TPR (higher score = more unusual):\n\n` +
    `| score | ${names.join(' | ')} |\n|---|${names.map(() => '---').join('|')}|\n` +
    Object.entries(table)
      .map(([score, r]) => `| ${score} | ${names.map((k) => (r[k] ? `${f(r[k].auroc)} / ${f(r[k].fprAt95Tpr)}` : '-')).join(' | ')} |`)
      .join('\n') +
    '\n';
  const json =
    JSON.stringify(
      { schema: 'infomem-ood', version: 1, infomem: VERSION, size: opts.size, seed, epochs, hidden: size.hidden, trainImages: train.n, referenceImages: refRows.length, inputImages: testRows.length, testAccuracy: testAcc, bestValAccuracy: outcome.bestValAccuracy, sets: names, metrics: table },
      (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
      1,
    ) + '\n';
  model.dispose();
  check();
  return { md, json, table };
}
