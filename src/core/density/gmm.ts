import { Rng } from '../random/rng.js';

/**
 * A one-dimensional Gaussian mixture
 *   p(x) = sum_j w_j N(x; mu_j, sd_j^2),  w_j >= 0, sum_j w_j = 1,
 * fitted by expectation-maximisation (EM) to points x_i with optional non-negative weights c_i
 * (a weight is a multiplicity: a histogram is fitted as its bin centres weighted by the counts).
 *
 * Definitions used throughout (n = sum_i c_i, the number of points represented):
 * - log-likelihood  ln L = sum_i c_i ln p(x_i);
 * - free parameters of m components: 3m - 1 (m means, m variances, m - 1 free weights);
 * - BIC = -2 ln L + (3m - 1) ln n (Schwarz 1978); the smallest BIC wins.
 *
 * The fit is deterministic: the first start places the means at the weighted (j + 1/2)/m
 * quantiles of the data with equal weights and sd = overall sd / m; further starts
 * (`restarts`) are weighted k-means++ seedings (Arthur & Vassilvitskii 2007) drawn from
 * `Rng(seed)`; the start with the highest final log-likelihood is kept (the earlier one on ties).
 * Every variance is kept >= `varianceFloor` (default 1e-6 x the data's variance; for constant data
 * (1e-6 max(|mean|, 1))^2),
 * which stops a component from collapsing onto one point (ln L -> infinity).
 */
export interface GaussianMixture {
  /** Mixing weights w_j, summing to 1, components ordered by increasing mean. */
  weights: number[];
  means: number[];
  sds: number[];
  /** ln L of the data under the model (weighted). */
  logLikelihood: number;
  /** -2 ln L + (3m - 1) ln n. */
  bic: number;
  /** n = sum of the point weights. */
  n: number;
  /** EM iterations of the kept start. */
  iterations: number;
  /** Whether the kept start met the tolerance before `maxIterations`. */
  converged: boolean;
}

export interface GmmOptions {
  /** Non-negative weight (multiplicity) of each point; default 1 each. */
  weights?: ArrayLike<number>;
  /** Largest number of components tried by `fitGmm` (BIC selection over 1..maxComponents). Default 6. */
  maxComponents?: number;
  /** Maximum EM iterations per start. Default 300. */
  maxIterations?: number;
  /** EM stops when ln L changes by less than tolerance x n. Default 1e-6. */
  tolerance?: number;
  /** Smallest variance a component may take; default 1e-6 x the weighted data variance. */
  varianceFloor?: number;
  /** Extra k-means++ starts after the quantile start. Default 1. */
  restarts?: number;
  /** Seed of the k-means++ starts. Default 0. */
  seed?: number;
}

/**
 * Fits mixtures of 1..maxComponents components (never more than the number of distinct points)
 * and returns the one with the smallest BIC (the fewer components on ties).
 */
export function fitGmm(xs: ArrayLike<number>, options: GmmOptions = {}): GaussianMixture {
  const data = prepare(xs, options.weights);
  const maxM = Math.max(1, Math.min(options.maxComponents ?? 6, data.distinct));
  let best: GaussianMixture | null = null;
  for (let m = 1; m <= maxM; m++) {
    const g = fitPrepared(data, m, options);
    if (!best || g.bic < best.bic) best = g;
  }
  return best!;
}

/** Fits a mixture of exactly `components` components (see the module comment). */
export function fitGmmComponents(xs: ArrayLike<number>, components: number, options: GmmOptions = {}): GaussianMixture {
  if (!(Number.isInteger(components) && components >= 1)) throw new RangeError(`gmm: components must be a positive integer, got ${components}`);
  return fitPrepared(prepare(xs, options.weights), components, options);
}

/** The mixture density p(x) at each x. */
export function gmmDensity(model: GaussianMixture, xs: ArrayLike<number>): Float64Array {
  const out = new Float64Array(xs.length);
  const m = model.weights.length;
  for (let i = 0; i < xs.length; i++) {
    let p = 0;
    for (let j = 0; j < m; j++) {
      const z = (xs[i] - model.means[j]) / model.sds[j];
      p += (model.weights[j] / (model.sds[j] * SQRT_2PI)) * Math.exp(-0.5 * z * z);
    }
    out[i] = p;
  }
  return out;
}

/** Density of component j alone, scaled by its weight: w_j N(x; mu_j, sd_j^2). */
export function gmmComponentDensity(model: GaussianMixture, j: number, xs: ArrayLike<number>): Float64Array {
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const z = (xs[i] - model.means[j]) / model.sds[j];
    out[i] = (model.weights[j] / (model.sds[j] * SQRT_2PI)) * Math.exp(-0.5 * z * z);
  }
  return out;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

interface Prepared {
  /** Points with positive weight, ascending. */
  x: Float64Array;
  c: Float64Array;
  n: number;
  mean: number;
  variance: number;
  distinct: number;
}

function prepare(xs: ArrayLike<number>, weights: ArrayLike<number> | undefined): Prepared {
  if (weights && weights.length !== xs.length) throw new RangeError(`gmm: ${weights.length} weights for ${xs.length} points`);
  const idx: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const w = weights ? weights[i] : 1;
    if (!Number.isFinite(xs[i])) throw new RangeError(`gmm: point ${i} is not finite (${xs[i]})`);
    if (!(Number.isFinite(w) && w >= 0)) throw new RangeError(`gmm: weight ${i} must be finite and >= 0, got ${w}`);
    if (w > 0) idx.push(i);
  }
  if (idx.length === 0) throw new RangeError('gmm: no points with positive weight');
  idx.sort((a, b) => xs[a] - xs[b] || a - b);
  const x = new Float64Array(idx.length);
  const c = new Float64Array(idx.length);
  let n = 0;
  let s = 0;
  let distinct = 0;
  for (let k = 0; k < idx.length; k++) {
    x[k] = xs[idx[k]];
    c[k] = weights ? weights[idx[k]] : 1;
    n += c[k];
    s += c[k] * x[k];
    if (k === 0 || x[k] !== x[k - 1]) distinct++;
  }
  const mean = s / n;
  let v = 0;
  for (let k = 0; k < x.length; k++) v += c[k] * (x[k] - mean) ** 2;
  return { x, c, n, mean, variance: v / n, distinct };
}

function fitPrepared(d: Prepared, m: number, o: GmmOptions): GaussianMixture {
  const floor = Math.max(o.varianceFloor ?? (d.variance > 0 ? 1e-6 * d.variance : (1e-6 * Math.max(Math.abs(d.mean), 1)) ** 2), 1e-300);
  const restarts = o.restarts ?? 1;
  const rng = new Rng(o.seed ?? 0);
  let best: GaussianMixture | null = null;
  for (let start = 0; start <= restarts; start++) {
    const init = start === 0 ? quantileStart(d, m) : kmeansPlusPlusStart(d, m, rng);
    const g = em(d, init, floor, o.maxIterations ?? 300, o.tolerance ?? 1e-6);
    if (!best || g.logLikelihood > best.logLikelihood) best = g;
    if (m === 1) break; // one component: EM converges in one step from anywhere
  }
  return best!;
}

interface Params {
  w: Float64Array;
  mu: Float64Array;
  v: Float64Array;
}

/** Weighted quantile of sorted points: smallest x whose cumulative weight reaches p n. */
function weightedQuantile(d: Prepared, p: number): number {
  const target = p * d.n;
  let acc = 0;
  for (let k = 0; k < d.x.length; k++) {
    acc += d.c[k];
    if (acc >= target) return d.x[k];
  }
  return d.x[d.x.length - 1];
}

function quantileStart(d: Prepared, m: number): Params {
  const w = new Float64Array(m).fill(1 / m);
  const mu = new Float64Array(m);
  const v = new Float64Array(m).fill(Math.max(d.variance / (m * m), 1e-300));
  for (let j = 0; j < m; j++) mu[j] = weightedQuantile(d, (j + 0.5) / m);
  return { w, mu, v };
}

function kmeansPlusPlusStart(d: Prepared, m: number, rng: Rng): Params {
  const K = d.x.length;
  const centres: number[] = [];
  const dist = new Float64Array(K).fill(Infinity);
  // first centre: weighted by c_i; next: weighted by c_i D_i^2
  const pick = (score: (k: number) => number): number => {
    let total = 0;
    for (let k = 0; k < K; k++) total += score(k);
    if (!(total > 0)) return d.x[rng.int(K)];
    const r = rng.float() * total;
    let acc = 0;
    for (let k = 0; k < K; k++) {
      acc += score(k);
      if (acc > r) return d.x[k];
    }
    return d.x[K - 1];
  };
  for (let j = 0; j < m; j++) {
    const c = j === 0 ? pick((k) => d.c[k]) : pick((k) => d.c[k] * dist[k]);
    centres.push(c);
    for (let k = 0; k < K; k++) dist[k] = Math.min(dist[k], (d.x[k] - c) ** 2);
  }
  centres.sort((a, b) => a - b);
  return { w: new Float64Array(m).fill(1 / m), mu: Float64Array.from(centres), v: new Float64Array(m).fill(Math.max(d.variance / (m * m), 1e-300)) };
}

function em(d: Prepared, p: Params, floor: number, maxIterations: number, tolerance: number): GaussianMixture {
  // EM runs on standardised points u = (x - mean) / sd, so that the one-pass variance update
  // sum r u^2 / sum r - mu^2 keeps its precision; the result is mapped back.
  const m = p.w.length;
  const K = d.x.length;
  const sd = Math.sqrt(d.variance) || 1;
  const u = Float64Array.from(d.x, (x) => (x - d.mean) / sd);
  const uFloor = floor / (sd * sd);
  const w = Float64Array.from(p.w);
  const mu = Float64Array.from(p.mu, (x) => (x - d.mean) / sd);
  const v = Float64Array.from(p.v, (x) => Math.max(x / (sd * sd), uFloor));
  const logTerm = new Float64Array(m);
  const sr = new Float64Array(m);
  const sru = new Float64Array(m);
  const sruu = new Float64Array(m);
  const lw = new Float64Array(m);
  const lv = new Float64Array(m);
  let ll = -Infinity;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    sr.fill(0);
    sru.fill(0);
    sruu.fill(0);
    for (let j = 0; j < m; j++) {
      lw[j] = w[j] > 0 ? Math.log(w[j]) : -Infinity;
      lv[j] = 0.5 * Math.log(v[j]) + LN_SQRT_2PI;
    }
    // E step (and ln L of the current parameters)
    let cur = 0;
    for (let k = 0; k < K; k++) {
      const x = u[k];
      let mx = -Infinity;
      for (let j = 0; j < m; j++) {
        const z = x - mu[j];
        const t = lw[j] - lv[j] - (0.5 * z * z) / v[j];
        logTerm[j] = t;
        if (t > mx) mx = t;
      }
      let s = 0;
      for (let j = 0; j < m; j++) s += Math.exp(logTerm[j] - mx);
      const lse = mx + Math.log(s);
      cur += d.c[k] * lse;
      for (let j = 0; j < m; j++) {
        const r = d.c[k] * Math.exp(logTerm[j] - lse);
        sr[j] += r;
        sru[j] += r * x;
        sruu[j] += r * x * x;
      }
    }
    // M step
    for (let j = 0; j < m; j++) {
      w[j] = sr[j] / d.n;
      if (sr[j] > 0) {
        mu[j] = sru[j] / sr[j];
        v[j] = Math.max(sruu[j] / sr[j] - mu[j] * mu[j], uFloor);
      }
    }
    const gain = cur - ll;
    ll = cur;
    if (Math.abs(gain) <= tolerance * d.n) {
      converged = true;
      break;
    }
  }
  const muX = Float64Array.from(mu, (x) => d.mean + sd * x);
  const vX = Float64Array.from(v, (x) => Math.max(x * sd * sd, floor));
  return finish(d, w, muX, vX, logLikelihood(d, w, muX, vX), iterations, converged);
}

function logLikelihood(d: Prepared, w: Float64Array, mu: Float64Array, v: Float64Array): number {
  const m = w.length;
  const t = new Float64Array(m);
  let ll = 0;
  for (let k = 0; k < d.x.length; k++) {
    let mx = -Infinity;
    for (let j = 0; j < m; j++) {
      const z = d.x[k] - mu[j];
      t[j] = (w[j] > 0 ? Math.log(w[j]) : -Infinity) - 0.5 * Math.log(v[j]) - LN_SQRT_2PI - (0.5 * z * z) / v[j];
      if (t[j] > mx) mx = t[j];
    }
    let s = 0;
    for (let j = 0; j < m; j++) s += Math.exp(t[j] - mx);
    ll += d.c[k] * (mx + Math.log(s));
  }
  return ll;
}

function finish(d: Prepared, w: Float64Array, mu: Float64Array, v: Float64Array, ll: number, iterations: number, converged: boolean): GaussianMixture {
  const m = w.length;
  const order = Array.from({ length: m }, (_, j) => j).sort((a, b) => mu[a] - mu[b] || a - b);
  return {
    weights: order.map((j) => w[j]),
    means: order.map((j) => mu[j]),
    sds: order.map((j) => Math.sqrt(v[j])),
    logLikelihood: ll,
    bic: -2 * ll + (3 * m - 1) * Math.log(d.n),
    n: d.n,
    iterations,
    converged,
  };
}
