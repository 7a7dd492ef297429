/**
 * Masked-LM training data: documents cut into `[CLS] pieces [SEP]` sequences of at most
 * `length` ids, and BERT's masking of a batch.
 */
import type { Rng } from '../core/random/rng.js';
import { CLS_ID, MASK_ID, PAD_ID, SEP_ID, SPECIAL_TOKENS, type WordPiece } from './wordpiece.js';

export interface SequenceSet {
  /** count x length ids, [PAD]-filled after each sequence's [SEP]. */
  ids: Int32Array;
  count: number;
  length: number;
  /** Real tokens (specials included) over all sequences. */
  tokens: number;
}

/** Each document's pieces in consecutive chunks of `length - 2`, each made `[CLS] chunk [SEP]`. */
export function cutSequences(tok: WordPiece, documents: Iterable<string>, length: number): SequenceSet {
  const body = length - 2;
  if (body < 1) throw new RangeError(`sequence length must be at least 3, got ${length}`);
  const chunks: number[][] = [];
  for (const doc of documents) {
    const p = tok.pieces(doc);
    for (let s = 0; s < p.length; s += body) chunks.push(p.slice(s, s + body));
  }
  const ids = new Int32Array(chunks.length * length).fill(PAD_ID);
  let tokens = 0;
  chunks.forEach((c, i) => {
    ids[i * length] = CLS_ID;
    ids.set(c, i * length + 1);
    ids[i * length + 1 + c.length] = SEP_ID;
    tokens += c.length + 2;
  });
  return { ids, count: chunks.length, length, tokens };
}

export interface MaskedBatch {
  /** B x T input ids after masking. */
  input: Int32Array;
  /** B x T attention mask. */
  mask: Int32Array;
  /** Flat positions (b*T + t) chosen for prediction. */
  positions: Int32Array;
  /** The original ids at those positions. */
  labels: Int32Array;
}

/**
 * BERT's masking of the sequences `rows` of a set: each real, non-special token is chosen with
 * probability `rate`; a chosen token becomes [MASK] with probability 0.8, a random non-special
 * piece with 0.1, and stays with 0.1. At least one token per batch is chosen.
 */
export function maskBatch(set: SequenceSet, rows: ArrayLike<number>, vocabSize: number, rate: number, rng: Rng): MaskedBatch {
  const T = set.length;
  const B = rows.length;
  const input = new Int32Array(B * T);
  const mask = new Int32Array(B * T);
  const positions: number[] = [];
  const labels: number[] = [];
  const specials = SPECIAL_TOKENS.length;
  let firstReal = -1;
  for (let b = 0; b < B; b++) {
    const src = rows[b] * T;
    for (let t = 0; t < T; t++) {
      const id = set.ids[src + t];
      input[b * T + t] = id;
      if (id !== PAD_ID) mask[b * T + t] = 1;
      if (id < specials) continue;
      if (firstReal < 0) firstReal = b * T + t;
      if (rng.float() >= rate) continue;
      positions.push(b * T + t);
      labels.push(id);
      const r = rng.float();
      if (r < 0.8) input[b * T + t] = MASK_ID;
      else if (r < 0.9) input[b * T + t] = specials + rng.int(vocabSize - specials);
    }
  }
  if (positions.length === 0 && firstReal >= 0) {
    positions.push(firstReal);
    labels.push(input[firstReal]);
    input[firstReal] = MASK_ID;
  }
  return { input, mask, positions: Int32Array.from(positions), labels: Int32Array.from(labels) };
}
