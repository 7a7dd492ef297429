/**
 * BERT's basic tokenization, exactly as the Hugging Face `BertNormalizer` (clean_text,
 * handle_chinese_chars, lowercase, strip accents) and `BertPreTokenizer` compute it in
 * transformers.js, so that a vocabulary built here and a `tokenizer.json` read by transformers.js
 * split text the same way:
 *
 * 1. clean: drop U+0000, U+FFFD and control characters (not tab/newline/CR); any whitespace -> ' ';
 * 2. CJK ideographs get spaces around them;
 * 3. lower-case, then NFD and drop nonspacing marks (accents);
 * 4. words are maximal runs of non-space, non-punctuation characters; every punctuation
 *    character (Unicode P, and the ASCII symbols !-/ :-@ [-` {-~) is a word of its own.
 *
 * @example basicTokenize("Don't  STOP!") // ['don', "'", 't', 'stop', '!']
 */

const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const WORD_RE = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');
// transformers.js's test, including its operator precedence: ^Cc, or Cf/Co anywhere, or Cs$.
const CONTROL_RE = /^\p{Cc}|\p{Cf}|\p{Co}|\p{Cs}$/u;
const SPACE_RE = /^\s$/;

function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return CONTROL_RE.test(ch);
}

/** The CJK Unified Ideographs blocks BERT spaces out (code unit test, as transformers.js does). */
function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** Steps 1-3: the normalised text. */
export function bertNormalize(text: string): string {
  let cleaned = '';
  for (const ch of text) {
    const cp = ch.charCodeAt(0);
    if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
    cleaned += SPACE_RE.test(ch) ? ' ' : ch;
  }
  let spaced = '';
  for (let i = 0; i < cleaned.length; i++) {
    const ch = cleaned[i];
    spaced += isChineseChar(ch.charCodeAt(0)) ? ` ${ch} ` : ch;
  }
  return spaced.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
}

/** Steps 1-4: the words of a text. */
export function basicTokenize(text: string): string[] {
  return bertNormalize(text).match(WORD_RE) ?? [];
}
