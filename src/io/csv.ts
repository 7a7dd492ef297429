/**
 * Reading activations from CSV/TSV text: an optional header row of column names, then one row per
 * example with one numeric cell per neuron.
 *
 * Header detection (`header: 'auto'`, the default): a first row whose every cell is a number is
 * data (`np.savetxt` writes no header), anything else is the header. `'first'` always takes the
 * first row as the header, `'none'` never. Without a header the columns are one layer named after
 * the file, and no row is lost.
 *
 * Quoting follows RFC 4180 (fields in double quotes may hold delimiters, line breaks and `""`
 * escapes); lines may end in LF, CRLF or CR; a UTF-8 byte-order mark is skipped. Every data cell
 * must be a number; `nan`, `inf`, `-inf`, `infinity` (any case) count as numbers so that the NaN
 * policy of the loader can deal with them. Columns are grouped into layers by
 * {@link groupColumns}.
 *
 * The scanner works on the raw bytes (numbers are ASCII) and parses most numbers without
 * creating strings, so a 100 MB file reads in about a second.
 */
import type { NdArray } from './array.js';
import { groupColumns, splitRowMajor } from './columns.js';
import { InputError } from './errors.js';
import { ByteNumberParser, NOT_A_NUMBER, parseNumberText } from './numparse.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;

export interface DelimitedOptions {
  /** Field separator: `','` (default) or `'\t'`. */
  delimiter?: ',' | '\t';
  /** Layer name for columns without a `layer/` prefix (usually the file's base name). */
  layerName: string;
  /** Whether the first row names the columns: detected (`'auto'`, default), `'first'` or `'none'`. */
  header?: CsvHeader;
}

/** How the first row of a CSV/TSV file is read. */
export type CsvHeader = 'auto' | 'first' | 'none';
export const CSV_HEADERS: readonly CsvHeader[] = ['auto', 'first', 'none'];

const utf8 = new TextDecoder('utf-8');

/** Shortens a cell for an error message. */
function show(text: string): string {
  const t = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return JSON.stringify(t);
}

/**
 * Parses CSV (or, with `delimiter: '\t'`, TSV) bytes into layers.
 *
 * @returns one S x N float64 array per layer, in order of first appearance
 * @throws InputError for an empty file or first row, an empty/duplicate column name, an unterminated
 *   quote, a ragged or blank row, or a cell that is not a number (naming the row as a spreadsheet
 *   numbers it, header = row 1, and the column name)
 */
export function parseDelimited(bytes: Uint8Array, file: string, opts: DelimitedOptions): Map<string, NdArray> {
  const delim = (opts.delimiter ?? ',').charCodeAt(0);
  const n = bytes.length;
  let p = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (p >= n) throw new InputError(file, 'empty file (expected a header row of column names)');

  const num = new ByteNumberParser(bytes);
  let row = 1; // spreadsheet row number of the record being read (header = 1)

  /** Reads a quoted field starting at `p` (on the opening quote); returns its text, leaves `p` after the closing quote. */
  const readQuoted = (): string => {
    const open = p;
    let q = p + 1;
    const parts: string[] = [];
    let from = q;
    for (;;) {
      while (q < n && bytes[q] !== QUOTE) q++;
      if (q >= n) throw new InputError(file, `row ${row}: unterminated quoted field (opening quote at byte ${open})`);
      if (q + 1 < n && bytes[q + 1] === QUOTE) {
        parts.push(utf8.decode(bytes.subarray(from, q + 1)));
        q += 2;
        from = q;
        continue;
      }
      parts.push(utf8.decode(bytes.subarray(from, q)));
      p = q + 1;
      return parts.join('');
    }
  };

  /** After a field: checks that `p` is at a delimiter, line end or EOF. */
  const afterQuoted = (col: string): void => {
    if (p < n && bytes[p] !== delim && bytes[p] !== LF && bytes[p] !== CR) {
      throw new InputError(file, `row ${row}, column ${col}: unexpected text after a closing quote`);
    }
  };

  /** Consumes a line end at `p` (LF, CRLF or CR). */
  const skipLineEnd = (): void => {
    if (bytes[p] === CR) {
      p++;
      if (p < n && bytes[p] === LF) p++;
    } else p++;
  };

  // Header.
  const headerMode = opts.header ?? 'auto';
  const start = p;
  if (bytes[p] === LF || bytes[p] === CR) throw new InputError(file, 'empty first row (expected column names or values on the first line)');
  let names: string[] = [];
  for (;;) {
    let name: string;
    if (bytes[p] === QUOTE) {
      name = readQuoted();
      afterQuoted(`${names.length + 1}`);
    } else {
      let q = p;
      while (q < n && bytes[q] !== delim && bytes[q] !== LF && bytes[q] !== CR) q++;
      name = utf8.decode(bytes.subarray(p, q)).trim();
      p = q;
    }
    names.push(name);
    if (p >= n) break;
    if (bytes[p] === delim) {
      p++;
      continue;
    }
    skipLineEnd();
    break;
  }
  if (headerMode === 'none' || (headerMode === 'auto' && names.every((t) => parseNumberText(t) !== NOT_A_NUMBER))) {
    // No header: the first row is the first example; columns are numbered from 0.
    names = names.map((_, i) => String(i));
    p = start;
    row = 0;
  }
  const groups = groupColumns(names, opts.layerName, file);
  const C = names.length;
  const colName = (c: number): string => `'${names[c]}'`;

  // Capacity guess from the mean length of the first (up to 64) data lines, never above the most
  // rows the remaining bytes can hold (C cells of at least one character plus a separator each);
  // grown by doubling if short, trimmed at the end.
  let q = p;
  let sampled = 0;
  while (q < n && sampled < 64) {
    while (q < n && bytes[q] !== LF) q++;
    q++;
    sampled++;
  }
  const meanLen = sampled > 0 ? (Math.min(q, n) - p) / sampled : 1;
  const maxRows = Math.ceil((n - p) / (2 * C)) + 1;
  let cap = Math.max(16, Math.min(maxRows, Math.ceil(((n - p) / Math.max(1, meanLen)) * 1.05) + 16));
  let data = new Float64Array(cap * C);
  let rows = 0;

  const notANumber = (c: number, text: string): InputError => {
    const what = text.trim() === '' ? 'empty cell' : `${show(text)} is not a number`;
    return new InputError(file, `row ${row} (example ${rows}), column ${colName(c)}: ${what}`);
  };

  while (p < n) {
    row++;
    if (bytes[p] === LF || bytes[p] === CR) {
      // A blank line: fine at the end of the file, an error elsewhere.
      let q = p;
      while (q < n && (bytes[q] === LF || bytes[q] === CR)) q++;
      if (q >= n) break;
      throw new InputError(file, `row ${row} is blank (expected ${C} values)`);
    }
    if (rows === cap) {
      cap *= 2;
      const grown = new Float64Array(cap * C);
      grown.set(data);
      data = grown;
    }
    const base = rows * C;
    let col = 0;
    for (;;) {
      if (col >= C) throw new InputError(file, `row ${row} has more than the ${C} fields of the header`);
      let v: number | typeof NOT_A_NUMBER;
      if (bytes[p] === QUOTE) {
        const text = readQuoted();
        afterQuoted(colName(col));
        v = parseNumberText(text);
        if (v === NOT_A_NUMBER) throw notANumber(col, text);
      } else {
        let q = p;
        while (q < n) {
          const b = bytes[q];
          if (b === delim || b === LF || b === CR) break;
          q++;
        }
        v = num.parse(p, q);
        if (v === NOT_A_NUMBER) throw notANumber(col, utf8.decode(bytes.subarray(p, q)));
        p = q;
      }
      data[base + col] = v;
      col++;
      if (p >= n) break;
      if (bytes[p] === delim) {
        p++;
        continue;
      }
      skipLineEnd();
      break;
    }
    if (col !== C) throw new InputError(file, `row ${row} has ${col} field${col === 1 ? '' : 's'} but the header has ${C} columns`);
    rows++;
  }

  const parts = splitRowMajor(data, rows, C, groups);
  const out = new Map<string, NdArray>();
  groups.forEach((g, i) => out.set(g.layer, { shape: [rows, g.columns.length], data: parts[i], dtype: '<f8' }));
  return out;
}
