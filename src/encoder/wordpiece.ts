/**
 * A WordPiece tokenizer (BERT's): basic tokenization ({@link basicTokenize}), then each word split
 * greedily into the longest vocabulary pieces from the left, continuation pieces prefixed `##`;
 * a word that cannot be split, or longer than 100 characters, becomes `[UNK]`. Sequences are
 * `[CLS] pieces [SEP]`, truncated to `maxLength` (the [SEP] kept) and right-padded with `[PAD]`.
 *
 * {@link buildVocabulary} makes a vocabulary from a corpus; {@link tokenizerJson} writes it as a
 * Hugging Face `tokenizer.json` that transformers.js turns into the same ids.
 */
import { basicTokenize } from './basic-tokenize.js';

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
export const PAD_ID = 0;
export const UNK_ID = 1;
export const CLS_ID = 2;
export const SEP_ID = 3;
export const MASK_ID = 4;
const MAX_WORD_CHARS = 100;

export class WordPiece {
  readonly vocab: readonly string[];
  private readonly ids: Map<string, number>;

  /** `vocab[i]` is the piece of id i; the first five are {@link SPECIAL_TOKENS} in that order. */
  constructor(vocab: readonly string[]) {
    SPECIAL_TOKENS.forEach((t, i) => {
      if (vocab[i] !== t) throw new RangeError(`vocabulary entry ${i} must be ${t}, got ${String(vocab[i])}`);
    });
    this.vocab = vocab;
    this.ids = new Map(vocab.map((w, i) => [w, i]));
    if (this.ids.size !== vocab.length) throw new RangeError('vocabulary has duplicate pieces');
  }

  get size(): number {
    return this.vocab.length;
  }

  id(piece: string): number | undefined {
    return this.ids.get(piece);
  }

  /** The WordPiece ids of one word (already basic-tokenized). */
  wordIds(word: string, out: number[] = []): number[] {
    const chars = [...word];
    if (chars.length > MAX_WORD_CHARS) {
      out.push(UNK_ID);
      return out;
    }
    const start0 = out.length;
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found = -1;
      while (start < end) {
        const sub = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        const id = this.ids.get(sub);
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
      }
      if (found < 0) {
        out.length = start0;
        out.push(UNK_ID);
        return out;
      }
      out.push(found);
      start = end;
    }
    return out;
  }

  /** The piece ids of a text, without [CLS]/[SEP]. */
  pieces(text: string): number[] {
    const out: number[] = [];
    for (const w of basicTokenize(text)) this.wordIds(w, out);
    return out;
  }

  /** `[CLS] pieces [SEP]`, truncated to `maxLength` ids (the [SEP] kept). */
  encode(text: string, maxLength: number): number[] {
    if (!(Number.isInteger(maxLength) && maxLength >= 2)) throw new RangeError(`maxLength must be an integer >= 2, got ${maxLength}`);
    const p = this.pieces(text);
    return [CLS_ID, ...p.slice(0, maxLength - 2), SEP_ID];
  }

  /**
   * A batch as B x T int32 ids and mask (1 = real token), T the longest encoded text (at most
   * `maxLength`), right-padded with [PAD].
   */
  encodeBatch(texts: readonly string[], maxLength: number): { ids: Int32Array; mask: Int32Array; length: number } {
    const seqs = texts.map((t) => this.encode(t, maxLength));
    const T = seqs.reduce((m, s) => Math.max(m, s.length), 2);
    const ids = new Int32Array(texts.length * T);
    const mask = new Int32Array(texts.length * T);
    seqs.forEach((s, b) => {
      ids.set(s, b * T);
      mask.fill(1, b * T, b * T + s.length);
    });
    return { ids, mask, length: T };
  }

  /** Pieces back to text: `##` pieces joined to the previous one, specials dropped. */
  decode(ids: readonly number[]): string {
    let s = '';
    for (const id of ids) {
      if (id < SPECIAL_TOKENS.length) continue;
      const p = this.vocab[id];
      if (p.startsWith('##')) s += p.slice(2);
      else s += (s ? ' ' : '') + p;
    }
    return s;
  }
}

export interface VocabularyOptions {
  /** Total size, specials included. */
  size: number;
  /** Share of the non-character budget given to `##` suffix pieces (default 0.1). */
  suffixShare?: number;
  /** Characters seen fewer times than this are left out (default 2). */
  minCharCount?: number;
}

/**
 * A vocabulary from texts: the five specials; every character seen at least `minCharCount`
 * times, alone and as `##c`; the most frequent `##` suffixes (2 to 6 characters) of the words left
 * outside; the most frequent whole words. Ties break by the piece (code unit order), so the
 * result depends only on the texts.
 */
export function buildVocabulary(texts: Iterable<string>, opts: VocabularyOptions): string[] {
  const minChar = opts.minCharCount ?? 2;
  const suffixShare = opts.suffixShare ?? 0.1;
  const words = new Map<string, number>();
  for (const t of texts) for (const w of basicTokenize(t)) words.set(w, (words.get(w) ?? 0) + 1);
  const chars = new Map<string, number>();
  for (const [w, n] of words) for (const c of w) chars.set(c, (chars.get(c) ?? 0) + n);
  const byCount = (m: Map<string, number>): string[] => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k]) => k);
  const vocab: string[] = [...SPECIAL_TOKENS];
  const seen = new Set<string>(vocab);
  const add = (p: string): void => {
    if (!seen.has(p)) {
      seen.add(p);
      vocab.push(p);
    }
  };
  for (const c of byCount(chars)) if ((chars.get(c) ?? 0) >= minChar && !seen.has(c)) add(c);
  for (const c of [...vocab.slice(SPECIAL_TOKENS.length)]) add(`##${c}`);
  if (vocab.length >= opts.size) throw new RangeError(`vocabulary size ${opts.size} cannot hold the ${vocab.length} specials and characters`);
  const budget = opts.size - vocab.length;
  const wordBudget = budget - Math.floor(budget * suffixShare);
  const ranked = byCount(words).filter((w) => !seen.has(w));
  const kept = ranked.slice(0, wordBudget);
  const suffixes = new Map<string, number>();
  for (const w of ranked.slice(wordBudget)) {
    const cs = [...w];
    const n = words.get(w) ?? 0;
    for (let len = 2; len <= 6 && len < cs.length; len++) {
      const s = `##${cs.slice(cs.length - len).join('')}`;
      suffixes.set(s, (suffixes.get(s) ?? 0) + n);
    }
  }
  for (const w of kept) add(w);
  for (const s of byCount(suffixes)) {
    if (vocab.length >= opts.size) break;
    add(s);
  }
  for (const w of ranked.slice(wordBudget)) {
    if (vocab.length >= opts.size) break;
    add(w);
  }
  return vocab;
}

/** The Hugging Face `tokenizer.json` of a vocabulary (BERT normaliser, pre-tokenizer, template). */
export function tokenizerJson(vocab: readonly string[]): Record<string, unknown> {
  const ids = Object.fromEntries(vocab.map((w, i) => [w, i]));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((c, id) => ({ id, content: c, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [CLS_ID], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [SEP_ID], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: MAX_WORD_CHARS, vocab: ids },
  };
}

/** The `tokenizer_config.json` that goes with {@link tokenizerJson}. */
export function tokenizerConfigJson(maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: maxLength,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
}

/** Reads the vocabulary back from a `tokenizer.json` written by {@link tokenizerJson}. */
export function vocabularyFromTokenizerJson(json: unknown): string[] {
  const vocab = (json as { model?: { type?: string; vocab?: Record<string, number> } }).model;
  if (!vocab || vocab.type !== 'WordPiece' || typeof vocab.vocab !== 'object') throw new RangeError('not a WordPiece tokenizer.json');
  const out: string[] = [];
  for (const [w, i] of Object.entries(vocab.vocab)) out[i] = w;
  for (let i = 0; i < out.length; i++) if (out[i] === undefined) throw new RangeError(`tokenizer.json vocabulary has no id ${i}`);
  return out;
}
