/**
 * The text tasks of the transformer reproductions, built from the UCI "Sentiment Labelled
 * Sentences" (data/uci-sentences.json: 3,000 review sentences from IMDb, Amazon and Yelp, half
 * positive), the nearest offline stand-in for the paper's IMDb reviews.
 *
 * **Sentiment Adjectives** (heuristic memorization, alpha). A sentence's words are its lower-cased
 * BERT word tokens (basic-tokenize.ts). It is in the pool when it contains at least one of the
 * positive adjectives {good, great, wonderful, excellent, best} and none of the negative ones
 * {bad, terrible, awful, poor, negative} (heuristic label positive), or the reverse (heuristic
 * label negative). The paper matches case-sensitive tokens of long reviews; on short sentences
 * that misses every sentence-initial "Good" or "Great" (580 pooled instead of 706), so tokens are
 * lower-cased here. The pool is split 80/20 (seeded); among *training* sentences whose heuristic
 * label differs from the true one (conflicting), floor(alpha * count) drawn without replacement
 * take the heuristic label, as the paper's code does; validation keeps true labels. The
 * conflicting share of the pool is ~11% here against the paper's ~33%; `conflictShare` subsamples
 * the agreeing sentences (before the split) to reach a given share instead.
 *
 * **Shuffled Reviews** (example-level memorization, beta). All sentences, split 80/20 (seeded);
 * round(beta * n) training labels redrawn uniformly over {0, 1} (they may keep their value), the
 * same redraw as Shuffled MNIST; validation labels stay clean.
 *
 * Measurement texts (the activations' inputs, never trained on): the validation part, plus for
 * Sentiment Adjectives every sentence outside the pool.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../io/errors.js';
import { basicTokenize } from '../encoder/basic-tokenize.js';
import { packageDataPath } from '../package-data.js';
import { redrawLabels } from './mnist-data.js';
import { streamRng } from './seeds.js';

export interface Sentence {
  source: string;
  /** 1 = positive. */
  label: number;
  text: string;
}

export const POSITIVE_ADJECTIVES = ['good', 'great', 'wonderful', 'excellent', 'best'] as const;
export const NEGATIVE_ADJECTIVES = ['bad', 'terrible', 'awful', 'poor', 'negative'] as const;

/** Random streams of the text tasks. */
const TEXT_STREAM = { split: 201, inject: 202, subsample: 203 } as const;

let cache: Sentence[] | undefined;

/** The 3,000 UCI sentences, in file order (IMDb, Amazon, Yelp). */
export function uciSentences(): Sentence[] {
  if (cache) return cache;
  const file = packageDataPath('uci-sentences.json');
  let doc: { sentences?: unknown };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as { sentences?: unknown };
  } catch (e) {
    throw new InputError(file, `cannot read the UCI sentences (${(e as Error).message})`);
  }
  if (!Array.isArray(doc.sentences)) throw new InputError(file, 'has no sentences array');
  cache = (doc.sentences as [string, number, string][]).map(([source, label, text]) => ({ source, label, text }));
  return cache;
}

/** The heuristic label of a text: 1 (only positive adjectives), 0 (only negative ones), or null. */
export function heuristicLabel(text: string): 0 | 1 | null {
  const words = new Set(basicTokenize(text));
  const pos = POSITIVE_ADJECTIVES.some((w) => words.has(w));
  const neg = NEGATIVE_ADJECTIVES.some((w) => words.has(w));
  return pos === neg ? null : pos ? 1 : 0;
}

export interface TextTask {
  trainTexts: string[];
  /** Training labels after injection / redraw. */
  trainLabels: Int32Array;
  valTexts: string[];
  /** True labels. */
  valLabels: Int32Array;
  /** Validation examples whose heuristic label differs from the true one (Sentiment Adjectives). */
  valConflicting: Uint8Array | null;
  /** The activations' inputs. */
  measureTexts: string[];
  /** Counts for training.json. */
  data: Record<string, number>;
}

/** Indices [0, n) split into a `trainFraction` part and the rest, by a seeded permutation (each part in index order). */
export function splitIndices(n: number, trainFraction: number, seed: number, tag: number): { train: number[]; val: number[] } {
  const perm = streamRng(seed, TEXT_STREAM.split, tag).permutation(n);
  const nTrain = Math.round(trainFraction * n);
  const train = Array.from(perm.subarray(0, nTrain)).sort((a, b) => a - b);
  const val = Array.from(perm.subarray(nTrain)).sort((a, b) => a - b);
  return { train, val };
}

/** The Sentiment Adjectives pool: indices of pooled sentences and their heuristic labels. */
export function adjectivePool(sentences: readonly Sentence[]): { index: number[]; heuristic: number[] } {
  const index: number[] = [];
  const heuristic: number[] = [];
  sentences.forEach((s, i) => {
    const h = heuristicLabel(s.text);
    if (h === null) return;
    index.push(i);
    heuristic.push(h);
  });
  return { index, heuristic };
}

export interface AdjectiveOptions {
  alpha: number;
  seed: number;
  trainFraction?: number;
  /** Subsample agreeing sentences so that conflicting ones make this share of the pool. */
  conflictShare?: number | null;
}

export function sentimentAdjectivesTask(sentences: readonly Sentence[], opts: AdjectiveOptions): TextTask {
  const { alpha, seed } = opts;
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`alpha must be in [0, 1], got ${alpha}`);
  const pool = adjectivePool(sentences);
  let members = pool.index.map((i, k) => ({ i, h: pool.heuristic[k] }));
  const conflicting = members.filter((m) => m.h !== sentences[m.i].label);
  if (opts.conflictShare !== undefined && opts.conflictShare !== null) {
    const share = opts.conflictShare;
    if (!(share > 0 && share < 1)) throw new RangeError(`conflictShare must be in (0, 1), got ${share}`);
    const agreeing = members.filter((m) => m.h === sentences[m.i].label);
    const keep = Math.min(agreeing.length, Math.round((conflicting.length * (1 - share)) / share));
    const chosen = new Set(Array.from(streamRng(seed, TEXT_STREAM.subsample).sample(agreeing.length, keep), (k) => agreeing[k].i));
    members = members.filter((m) => m.h !== sentences[m.i].label || chosen.has(m.i));
  }
  const { train, val } = splitIndices(members.length, opts.trainFraction ?? 0.8, seed, 1);
  const trainM = train.map((k) => members[k]);
  const valM = val.map((k) => members[k]);
  const trainLabels = Int32Array.from(trainM, (m) => sentences[m.i].label);
  const conflictTrain = trainM.map((m, k) => (m.h !== sentences[m.i].label ? k : -1)).filter((k) => k >= 0);
  const inject = Math.floor(alpha * conflictTrain.length);
  const picked = streamRng(seed, TEXT_STREAM.inject).sample(conflictTrain.length, inject);
  for (const p of picked) trainLabels[conflictTrain[p]] = trainM[conflictTrain[p]].h;
  const pooled = new Set(pool.index);
  const outside = sentences.map((_, i) => i).filter((i) => !pooled.has(i));
  const valTexts = valM.map((m) => sentences[m.i].text);
  return {
    trainTexts: trainM.map((m) => sentences[m.i].text),
    trainLabels,
    valTexts,
    valLabels: Int32Array.from(valM, (m) => sentences[m.i].label),
    valConflicting: Uint8Array.from(valM, (m) => (m.h !== sentences[m.i].label ? 1 : 0)),
    measureTexts: [...valTexts, ...outside.map((i) => sentences[i].text)],
    data: {
      pool: pool.index.length,
      poolConflicting: conflicting.length,
      used: members.length,
      train: trainM.length,
      val: valM.length,
      trainConflicting: conflictTrain.length,
      injected: inject,
      valConflicting: valM.filter((m) => m.h !== sentences[m.i].label).length,
      measure: valTexts.length + outside.length,
    },
  };
}

export function shuffledReviewsTask(sentences: readonly Sentence[], beta: number, seed: number, trainFraction = 0.8): TextTask {
  if (!(beta >= 0 && beta <= 1)) throw new RangeError(`beta must be in [0, 1], got ${beta}`);
  const { train, val } = splitIndices(sentences.length, trainFraction, seed, 2);
  const clean = Int32Array.from(train, (i) => sentences[i].label);
  const trainLabels = redrawLabels(clean, beta, 2, seed);
  let changed = 0;
  for (let k = 0; k < clean.length; k++) if (clean[k] !== trainLabels[k]) changed++;
  const valTexts = val.map((i) => sentences[i].text);
  return {
    trainTexts: train.map((i) => sentences[i].text),
    trainLabels,
    valTexts,
    valLabels: Int32Array.from(val, (i) => sentences[i].label),
    valConflicting: null,
    measureTexts: valTexts,
    data: { sentences: sentences.length, train: train.length, val: val.length, redrawn: Math.round(beta * train.length), labelsChanged: changed, measure: valTexts.length },
  };
}
