/**
 * Colored MNIST and Shuffled MNIST (PAPER.md section 3), built from MNIST's official training
 * split. The split, the label noise and the colour draws are common random numbers: the same
 * seed gives the same split and the same uniforms for every alpha (or beta) of a sweep, so the
 * models differ only in the swept parameter.
 */
import { streamRng, Stream } from './seeds.js';

/** MNIST's 28 x 28 training images (uint8, row-major) and digit labels. */
export interface MnistRaw {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** The train/validation split: indices into the raw images. */
export interface MnistSplit {
  train: Int32Array;
  val: Int32Array;
}

/** A classification task: row-major inputs and integer labels. `classes` 2 = one logit with BCE. */
export interface MnistTask {
  features: number;
  classes: number;
  xTrain: Float32Array;
  yTrain: Int32Array;
  xVal: Float32Array;
  yVal: Int32Array;
  nTrain: number;
  nVal: number;
}

/**
 * Shuffles the training split with the run seed and takes its first `nTrain` images for training
 * and its last `nVal` for validation (50,000 + 10,000 = the whole split, as the paper does).
 */
export function splitMnist(raw: MnistRaw, nTrain: number, nVal: number, seed: number): MnistSplit {
  if (!(nTrain >= 1 && nVal >= 1 && nTrain + nVal <= raw.count)) throw new RangeError(`cannot take ${nTrain} + ${nVal} images of ${raw.count}`);
  const perm = streamRng(seed, Stream.split).permutation(raw.count);
  return { train: perm.slice(0, nTrain), val: perm.slice(raw.count - nVal) };
}

/** 2x subsampling ([::2, ::2], 28 x 28 -> 14 x 14), pixels / 255, into `out` at `offset`. */
function subsampled(raw: MnistRaw, image: number, out: Float32Array, offset: number): void {
  const { rows, cols } = raw;
  const base = image * rows * cols;
  let k = offset;
  for (let r = 0; r < rows; r += 2) for (let c = 0; c < cols; c += 2) out[k++] = raw.images[base + r * cols + c] / 255;
}

/** Pixels of one subsampled image. */
export function subsampledSize(raw: MnistRaw): number {
  return Math.ceil(raw.rows / 2) * Math.ceil(raw.cols / 2);
}

/** Colour-flip probability of the training images for a given alpha: e = (1 - alpha) / 2. */
export function colourFlipProbability(alpha: number): number {
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  return (1 - alpha) / 2;
}

/**
 * Colored MNIST (the IRM construction). Label = 1 for digits < 5, flipped with probability
 * `labelNoise` (0.25) in training and validation; colour = noisy label XOR Bernoulli(e) with
 * e = (1 - alpha) / 2 in training and `valE` (0.5: colour uninformative) in validation. The image
 * is put in two 14 x 14 channels and the channel other than the colour is zeroed; input =
 * [channel 0, channel 1] flattened (392 values).
 */
export function coloredMnist(raw: MnistRaw, split: MnistSplit, alpha: number, seed: number, opts: { labelNoise?: number; valE?: number } = {}): MnistTask {
  const labelNoise = opts.labelNoise ?? 0.25;
  const valE = opts.valE ?? 0.5;
  const eTrain = colourFlipProbability(alpha);
  const noiseU = uniforms(raw.count, seed, Stream.labelNoise);
  const colourU = uniforms(raw.count, seed, Stream.colour);
  const P = subsampledSize(raw);
  const F = 2 * P;
  const make = (idx: Int32Array, e: number): { x: Float32Array; y: Int32Array } => {
    const x = new Float32Array(idx.length * F);
    const y = new Int32Array(idx.length);
    for (let r = 0; r < idx.length; r++) {
      const i = idx[r];
      const label = (raw.labels[i] < 5 ? 1 : 0) ^ (noiseU[i] < labelNoise ? 1 : 0);
      const colour = label ^ (colourU[i] < e ? 1 : 0);
      y[r] = label;
      subsampled(raw, i, x, r * F + colour * P);
    }
    return { x, y };
  };
  const tr = make(split.train, eTrain);
  const va = make(split.val, valE);
  return { features: F, classes: 2, xTrain: tr.x, yTrain: tr.y, xVal: va.x, yVal: va.y, nTrain: split.train.length, nVal: split.val.length };
}

/**
 * Shuffled MNIST: 10 classes, the two colour channels summed (= the grey 14 x 14 image, 196
 * values). A fraction beta of the training labels (round(beta * n) examples drawn at random) is
 * redrawn uniformly over the 10 classes (it may keep its value); if that leaves a class empty, a
 * redrawn example of a class with more than one example is moved to it, so every class stays
 * present. Validation labels are the clean digits. The examples redrawn for a smaller beta are a
 * subset of those for a larger one, with the same new labels.
 */
export function shuffledMnist(raw: MnistRaw, split: MnistSplit, beta: number, seed: number): MnistTask & { redrawn: number } {
  if (!(beta >= 0 && beta <= 1)) throw new RangeError(`beta must be in [0, 1], got ${beta}`);
  const F = subsampledSize(raw);
  const grey = (idx: Int32Array): { x: Float32Array; y: Int32Array } => {
    const x = new Float32Array(idx.length * F);
    const y = new Int32Array(idx.length);
    for (let r = 0; r < idx.length; r++) {
      y[r] = raw.labels[idx[r]];
      subsampled(raw, idx[r], x, r * F);
    }
    return { x, y };
  };
  const tr = grey(split.train);
  const va = grey(split.val);
  const y = redrawLabels(tr.y, beta, 10, seed);
  return { features: F, classes: 10, xTrain: tr.x, yTrain: y, xVal: va.x, yVal: va.y, nTrain: split.train.length, nVal: split.val.length, redrawn: Math.round(beta * tr.y.length) };
}

/** The label redraw of {@link shuffledMnist} (exported for tests). */
export function redrawLabels(labels: Int32Array, beta: number, classes: number, seed: number): Int32Array {
  const n = labels.length;
  const rng = streamRng(seed, Stream.labelRedraw);
  const order = rng.permutation(n);
  const fresh = new Int32Array(n);
  for (let i = 0; i < n; i++) fresh[i] = rng.int(classes);
  const y = Int32Array.from(labels);
  const m = Math.round(beta * n);
  for (let r = 0; r < m; r++) y[order[r]] = fresh[r];
  if (n >= classes) {
    const counts = new Int32Array(classes);
    for (const v of y) counts[v]++;
    for (let c = 0; c < classes; c++) {
      if (counts[c] > 0) continue;
      // Move a redrawn example (in draw order) whose class has another example.
      for (let r = 0; r < m; r++) {
        const i = order[r];
        if (counts[y[i]] > 1) {
          counts[y[i]]--;
          y[i] = c;
          counts[c]++;
          break;
        }
      }
    }
  }
  return y;
}

function uniforms(n: number, seed: number, stream: number): Float64Array {
  const rng = streamRng(seed, stream);
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = rng.float();
  return u;
}
