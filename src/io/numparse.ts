/**
 * Parsing decimal numbers straight from bytes, shared by the CSV/TSV and JSON readers.
 *
 * The fast path handles the common case (at most 15 significant digits and a decimal exponent
 * within +-22) with one exactly-rounded multiplication or division (Clinger's fast path), so the
 * result is identical to `Number(text)`. Everything else (long mantissas such as NumPy's
 * `%.18e`, large exponents) falls back to `Number()` on the cell's text, after checking that the
 * text is a plain decimal number (no hex, no underscores, no empty string).
 */

const POW10 = new Float64Array(23);
for (let i = 0, p = 1; i < 23; i++, p *= 10) POW10[i] = p;

/** Result marker for text that is not a number. Distinct from every parsed value (including NaN). */
export const NOT_A_NUMBER = Symbol('not a number');

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Latin-1 text of `bytes[start, end)` (number cells are ASCII, so this is exact for them). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  // Chunked so that very long cells do not exceed the argument-count limit.
  for (let p = start; p < end; p += 4096) {
    s += String.fromCharCode.apply(null, bytes.subarray(p, Math.min(end, p + 4096)) as unknown as number[]);
  }
  return s;
}

/**
 * Parses a number written as text. Accepts plain decimals (`1`, `-0.5`, `.5`, `1e-3`, `+2.`) and,
 * case-insensitively, `nan`, `inf`, `infinity` with an optional sign. Leading and trailing spaces
 * are ignored.
 * @returns the value, or {@link NOT_A_NUMBER}
 */
export function parseNumberText(text: string): number | typeof NOT_A_NUMBER {
  const t = text.trim();
  if (DECIMAL.test(t)) return Number(t);
  const lower = t.toLowerCase();
  const body = lower.startsWith('-') || lower.startsWith('+') ? lower.slice(1) : lower;
  if (body === 'nan') return NaN;
  if (body === 'inf' || body === 'infinity') return lower.startsWith('-') ? -Infinity : Infinity;
  return NOT_A_NUMBER;
}

/** Node's Buffer.latin1Slice, when present (fast latin-1 text of a byte range). */
const latin1Slice = typeof Buffer === 'undefined' ? undefined : (Buffer.prototype as unknown as { latin1Slice?: (this: Uint8Array, start: number, end: number) => string }).latin1Slice;

/** V8 refuses strings longer than about 2^29 characters; stay below that for the whole-buffer text. */
const MAX_WHOLE_TEXT = 2 ** 28;

/**
 * Parses numbers from ranges of one byte buffer. Slow-path cells (long mantissas, `nan`, spaces)
 * take their text from a latin-1 copy of the whole buffer, made once on first need, which is much
 * cheaper than building a string per cell.
 */
export class ByteNumberParser {
  private text: string | undefined;

  constructor(private readonly bytes: Uint8Array) {}

  private slice(start: number, end: number): string {
    const b = this.bytes;
    if (this.text === undefined && b.length <= MAX_WHOLE_TEXT && latin1Slice !== undefined) {
      this.text = latin1Slice.call(b, 0, b.length);
    }
    if (this.text !== undefined) return this.text.substring(start, end);
    return latin1(b, start, end);
  }

  /**
   * Parses the number in `bytes[start, end)` (no surrounding quotes).
   * @returns the value, or {@link NOT_A_NUMBER} when the text is not a number
   */
  parse(start: number, end: number): number | typeof NOT_A_NUMBER {
    const bytes = this.bytes;
    let i = start;
    let neg = false;
    let c = bytes[i];
    if (i < end && (c === 45 || c === 43)) {
      neg = c === 45;
      c = bytes[++i];
    }
    let m = 0;
    let sig = 0; // significant digits accumulated into m (leading zeros excluded)
    let digits = 0;
    let scale = 0;
    while (i < end && c >= 48 && c <= 57) {
      if (sig > 0 || c !== 48) {
        m = m * 10 + (c - 48);
        sig++;
      }
      digits++;
      c = bytes[++i];
    }
    if (i < end && c === 46) {
      c = bytes[++i];
      while (i < end && c >= 48 && c <= 57) {
        if (sig > 0 || c !== 48) {
          m = m * 10 + (c - 48);
          sig++;
        }
        scale--;
        digits++;
        c = bytes[++i];
      }
    }
    if (digits > 0 && i < end && (c === 101 || c === 69)) {
      c = bytes[++i];
      let eneg = false;
      if (i < end && (c === 45 || c === 43)) {
        eneg = c === 45;
        c = bytes[++i];
      }
      let e = 0;
      let ed = 0;
      while (i < end && c >= 48 && c <= 57) {
        if (e < 100000) e = e * 10 + (c - 48);
        ed++;
        c = bytes[++i];
      }
      if (ed === 0) return NOT_A_NUMBER;
      scale += eneg ? -e : e;
    }
    if (digits > 0 && i === end) {
      // A plain decimal: exact fast path, else Number() on its text (same grammar, so no re-check).
      if (sig <= 15) {
        let v: number;
        if (scale === 0 || m === 0) v = m;
        else if (scale > 0 && scale <= 22) v = m * POW10[scale];
        else if (scale < 0 && scale >= -22) v = m / POW10[-scale];
        else return Number(this.slice(start, end));
        return neg ? -v : v;
      }
      return Number(this.slice(start, end));
    }
    return parseNumberText(this.slice(start, end));
  }
}
