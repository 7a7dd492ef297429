/**
 * A small parser for the Python literal subset used in `.npy` headers: dicts, tuples, lists,
 * single- or double-quoted strings, integers (optionally with Python 2's `L` suffix), floats,
 * `True`, `False` and `None`. Anything else is a syntax error.
 */

/** A parsed Python literal. Tuples and lists are distinguished; dict keys must be strings. */
export type PyValue =
  | { type: 'str'; value: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'none' }
  | { type: 'tuple'; items: PyValue[] }
  | { type: 'list'; items: PyValue[] }
  | { type: 'dict'; entries: Map<string, PyValue> };

/** Thrown by {@link parsePyLiteral} with a short description and the character position. */
export class PySyntaxError extends Error {
  constructor(message: string, readonly pos: number) {
    super(`${message} at character ${pos}`);
    this.name = 'PySyntaxError';
  }
}

const MAX_DEPTH = 32;

/** Parses `text` (surrounding whitespace allowed) as one Python literal. */
export function parsePyLiteral(text: string): PyValue {
  let pos = 0;

  const skipWs = (): void => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const fail = (msg: string): never => {
    throw new PySyntaxError(msg, pos);
  };
  const expect = (ch: string): void => {
    skipWs();
    if (text[pos] !== ch) fail(`expected '${ch}' but found ${describe()}`);
    pos++;
  };
  const describe = (): string => (pos >= text.length ? 'end of header' : `'${text[pos]}'`);

  const parseString = (): PyValue => {
    const quote = text[pos];
    pos++;
    let out = '';
    while (true) {
      if (pos >= text.length) fail('unterminated string');
      const c = text[pos];
      if (c === quote) {
        pos++;
        return { type: 'str', value: out };
      }
      if (c === '\n') fail('line break inside string');
      if (c === '\\') {
        const n = text[pos + 1];
        if (n === undefined) fail('unterminated string');
        const simple: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '0': '\0' };
        if (n in simple) {
          out += simple[n];
          pos += 2;
        } else if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(pos + 2, pos + 4))) {
          out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 4), 16));
          pos += 4;
        } else {
          out += '\\';
          pos++;
        }
        continue;
      }
      out += c;
      pos++;
    }
  };

  const parseNumber = (): PyValue => {
    const m = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[lL]?/.exec(text.slice(pos));
    if (m === null) return fail(`unexpected ${describe()}`);
    pos += m[0].length;
    const lit = m[0].replace(/[lL]$/, '');
    if (/^[+-]?\d+$/.test(lit)) return { type: 'int', value: Number(lit) };
    return { type: 'float', value: Number(lit) };
  };

  const parseSeq = (close: string, depth: number): { items: PyValue[]; sawComma: boolean } => {
    const items: PyValue[] = [];
    let sawComma = false;
    while (true) {
      skipWs();
      if (text[pos] === close) {
        pos++;
        return { items, sawComma };
      }
      items.push(parseValue(depth + 1));
      skipWs();
      if (text[pos] === ',') {
        pos++;
        sawComma = true;
      } else if (text[pos] !== close) {
        fail(`expected ',' or '${close}' but found ${describe()}`);
      }
    }
  };

  const parseValue = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipWs();
    const c = text[pos];
    if (c === undefined) return fail('unexpected end of header');
    if (c === "'" || c === '"') return parseString();
    if (c === '{') {
      pos++;
      const entries = new Map<string, PyValue>();
      while (true) {
        skipWs();
        if (text[pos] === '}') {
          pos++;
          return { type: 'dict', entries };
        }
        const keyPos = pos;
        const key = parseValue(depth + 1);
        if (key.type !== 'str') {
          pos = keyPos;
          fail('dict key is not a string');
        }
        const k = (key as { value: string }).value;
        if (entries.has(k)) {
          pos = keyPos;
          fail(`duplicate key '${k}'`);
        }
        expect(':');
        entries.set(k, parseValue(depth + 1));
        skipWs();
        if (text[pos] === ',') pos++;
        else if (text[pos] !== '}') fail(`expected ',' or '}' but found ${describe()}`);
      }
    }
    if (c === '(') {
      pos++;
      const { items, sawComma } = parseSeq(')', depth);
      // "(x)" is just a parenthesised value in Python, not a tuple.
      if (items.length === 1 && !sawComma) return items[0];
      return { type: 'tuple', items };
    }
    if (c === '[') {
      pos++;
      return { type: 'list', items: parseSeq(']', depth).items };
    }
    for (const [word, v] of [
      ['True', { type: 'bool', value: true }],
      ['False', { type: 'bool', value: false }],
      ['None', { type: 'none' }],
    ] as const) {
      if (text.startsWith(word, pos) && !/[A-Za-z0-9_]/.test(text[pos + word.length] ?? '')) {
        pos += word.length;
        return v;
      }
    }
    return parseNumber();
  };

  const value = parseValue(0);
  skipWs();
  if (pos !== text.length) fail(`unexpected ${describe()} after the literal`);
  return value;
}
