/**
 * Scoring throughput of `infomem score` (issue 13): 10,000 examples x 768 neurons (three layers
 * of 256, ReLU mixtures of shared factors) against a reference of 10,000 examples, each phase
 * timed: the reference histograms and co-activation pairs, the copula fit, the Mahalanobis fit,
 * the k-NN sample, then the scoring of the inputs by every score.
 *
 *   node build/bench/score.js [--samples S] [--neurons N]
 */
import { neuronCount } from '../src/core/activations/activation-set.js';
import { fitKnn, fitMahalanobis, knnScores, mahalanobisScores } from '../src/core/ood/baselines.js';
import { copulaScores, fitCopula } from '../src/core/ood/copula.js';
import { buildReference } from '../src/core/ood/reference.js';
import { scoreExamples } from '../src/core/ood/surprisal.js';
import { benchActivations } from './synthetic-activations.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const S = arg('--samples', 10000);
const N = arg('--neurons', 768);
const reference = benchActivations(S, 3, N / 3, 1, true);
const inputs = benchActivations(S, 3, N / 3, 2, true);
const rows: [string, number][] = [];
const time = <T>(what: string, f: () => T): T => {
  const t0 = performance.now();
  const r = f();
  rows.push([what, (performance.now() - t0) / 1000]);
  process.stderr.write(`${what}: ${rows[rows.length - 1][1].toFixed(1)} s\n`);
  return r;
};
const ref = time('reference histograms + 256 co-activation pairs (all pairs ranked)', () => buildReference(reference, {}));
const cop = time('copula fit (normal scores, correlation, Cholesky)', () => fitCopula(reference));
const maha = time('Mahalanobis fit (covariance, Cholesky)', () => fitMahalanobis(reference));
const knn = time('k-NN fit (2,000 unit rows)', () => fitKnn(reference));
time('score: surprisal + per layer + co-activation', () => scoreExamples(ref, inputs));
time('score: copula', () => copulaScores(cop, inputs));
time('score: Mahalanobis', () => mahalanobisScores(maha, inputs));
time('score: k-NN', () => knnScores(knn, inputs));
const total = rows.reduce((p, r) => p + r[1], 0);
console.log(`| phase (reference ${S} x ${neuronCount(reference)}, inputs ${inputs.samples}) | seconds |`);
console.log('|---|---|');
for (const [w, s] of rows) console.log(`| ${w} | ${s.toFixed(1)} |`);
console.log(`| total (one thread) | ${total.toFixed(1)} |`);
