/**
 * The concentric-circles toy data (PAPER.md section 3): a seeded port of scikit-learn's
 * `make_circles(noise, factor)`, the spurious third feature, and label shuffling.
 */
import type { Rng } from '../core/random/rng.js';

/** n points with `features` values each (row-major) and 0/1 labels. */
export interface TabularData {
  x: Float32Array;
  y: Int32Array;
  n: number;
  features: number;
}

/**
 * scikit-learn's make_circles: n // 2 points on the outer unit circle (label 0) and the rest on
 * the inner circle of radius `factor` (label 1), at equally spaced angles (endpoint excluded),
 * shuffled, plus Gaussian noise of standard deviation `noise` on both coordinates.
 */
export function makeCircles(n: number, noise: number, factor: number, rng: Rng): TabularData {
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`makeCircles: n must be an integer >= 2, got ${n}`);
  if (!(factor >= 0 && factor < 1)) throw new RangeError(`makeCircles: factor must be in [0, 1), got ${factor}`);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const lab = new Int32Array(n);
  for (let i = 0; i < nOut; i++) {
    const t = (2 * Math.PI * i) / nOut;
    px[i] = Math.cos(t);
    py[i] = Math.sin(t);
  }
  for (let i = 0; i < nIn; i++) {
    const t = (2 * Math.PI * i) / nIn;
    px[nOut + i] = factor * Math.cos(t);
    py[nOut + i] = factor * Math.sin(t);
    lab[nOut + i] = 1;
  }
  const perm = rng.permutation(n);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = perm[i];
    x[2 * i] = px[j] + noise * rng.normal();
    x[2 * i + 1] = py[j] + noise * rng.normal();
    y[i] = lab[j];
  }
  return { x, y, n, features: 2 };
}

/**
 * Appends the spurious third feature: within each class, the first 75% of its examples (in data
 * order, which is random) get N(mu, 0.1) with mu = -3 for class 0 and +3 for class 1; of those,
 * a fraction `division` takes the class-aligned mean and the rest the opposite one. The other 25%
 * get U[0, 1). division = 0.5: uninformative; 1.0: a perfect shortcut.
 */
export function addSpuriousFeature(d: TabularData, division: number, rng: Rng): TabularData {
  if (!(division >= 0 && division <= 1)) throw new RangeError(`division must be in [0, 1], got ${division}`);
  const f = d.features + 1;
  const x = new Float32Array(d.n * f);
  for (let i = 0; i < d.n; i++) for (let c = 0; c < d.features; c++) x[i * f + c] = d.x[i * d.features + c];
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < d.n; i++) if (d.y[i] === cls) idx.push(i);
    const nGauss = Math.round(0.75 * idx.length);
    const nAligned = Math.round(division * nGauss);
    const aligned = cls === 0 ? -3 : 3;
    for (let r = 0; r < idx.length; r++) {
      const i = idx[r];
      let v: number;
      if (r < nAligned) v = aligned + 0.1 * rng.normal();
      else if (r < nGauss) v = -aligned + 0.1 * rng.normal();
      else v = rng.float();
      x[i * f + d.features] = v;
    }
  }
  return { x, y: Int32Array.from(d.y), n: d.n, features: f };
}

/**
 * Gives round(fraction * n) examples, drawn at random, a uniformly random label in {0, 1} (so
 * about half keep theirs). Returns the new labels and the indices drawn.
 */
export function shuffleLabels(y: Int32Array, fraction: number, rng: Rng, classes = 2): { y: Int32Array; redrawn: Int32Array } {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`shuffle fraction must be in [0, 1], got ${fraction}`);
  const out = Int32Array.from(y);
  const redrawn = rng.sample(y.length, Math.round(fraction * y.length));
  for (const i of redrawn) out[i] = rng.int(classes);
  return { y: out, redrawn };
}

/** Splits into the first round(trainFraction * n) examples of a random order and the rest. */
export function trainTestSplit(d: TabularData, trainFraction: number, rng: Rng): { train: TabularData; test: TabularData } {
  const perm = rng.permutation(d.n);
  const nTrain = Math.round(trainFraction * d.n);
  return { train: takeRows(d, perm.subarray(0, nTrain)), test: takeRows(d, perm.subarray(nTrain)) };
}

/** The rows `idx` of `d`, in that order. */
export function takeRows(d: TabularData, idx: ArrayLike<number>): TabularData {
  const f = d.features;
  const x = new Float32Array(idx.length * f);
  const y = new Int32Array(idx.length);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    x.set(d.x.subarray(i * f, (i + 1) * f), r * f);
    y[r] = d.y[i];
  }
  return { x, y, n: idx.length, features: f };
}
