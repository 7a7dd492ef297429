/**
 * A restricted reader of Python pickles (protocols 0-5, the opcodes that containers, numbers,
 * strings and object reconstruction use): it never runs anything. Where a pickle names a Python
 * callable (GLOBAL / STACK_GLOBAL), `findClass(module, name)` decides: it returns a function
 * of the arguments (REDUCE / NEWOBJ) that builds a plain value, or null, and the pickle is refused
 * with one line naming what it asked for. Persistent ids (how torch.save refers to its storages)
 * go to `persistentLoad`. Python's own `pickle.Unpickler.find_class` is the documented hook for
 * this ("Restricting Globals"); everything not allowed is refused before any effect, as nothing
 * here can have one.
 *
 * Values: None -> null, bool, int (a JS number; integers beyond 2^53 are refused), float, str,
 * bytes (Uint8Array), list -> array, tuple -> PickleTuple (a frozen array), dict -> Map, set ->
 * Set, and whatever `findClass`'s functions return.
 */
import { InputError } from './errors.js';

/** A Python tuple. */
export type PickleTuple = readonly unknown[] & { readonly tuple: true };

export interface UnpickleOptions {
  /** The callable `module.name`, or null to refuse it. */
  findClass(module: string, name: string): ((...args: unknown[]) => unknown) | null;
  /** What a persistent id stands for (BINPERSID / PERSID); absent: refused. */
  persistentLoad?(pid: unknown): unknown;
  /** BUILD on a value `findClass` made: sets its state (default: refused unless the state is empty or a dict to drop). */
  build?(obj: unknown, state: unknown): unknown;
}

const MARK = Symbol('mark');

export function tuple(items: unknown[]): PickleTuple {
  return Object.freeze(Object.assign(items, { tuple: true as const })) as PickleTuple;
}

export function isTuple(v: unknown): v is PickleTuple {
  return Array.isArray(v) && (v as { tuple?: boolean }).tuple === true;
}

/**
 * Unpickles `bytes`.
 * @throws InputError naming `file` for a refused callable, an unknown opcode, or a damaged pickle
 */
export function unpickle(bytes: Uint8Array, file: string, opts: UnpickleOptions): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder('utf-8', { fatal: true });
  const latin1 = new TextDecoder('latin1');
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let pos = 0;
  const fail = (problem: string): never => {
    throw new InputError(file, problem);
  };
  const need = (n: number): number => {
    if (pos + n > bytes.length) fail('truncated pickle');
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = (): number => bytes[need(1)];
  const u16 = (): number => view.getUint16(need(2), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const i32 = (): number => view.getInt32(need(4), true);
  const u64 = (): number => {
    const lo = view.getUint32(need(4), true);
    const hi = view.getUint32(need(4), true);
    if (hi >= 2 ** 21) fail('a length beyond 2^53 bytes');
    return hi * 2 ** 32 + lo;
  };
  const raw = (n: number): Uint8Array => {
    const at = need(n);
    return bytes.subarray(at, at + n);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('truncated pickle (a text line without its end)');
    const s = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const utf8 = (b: Uint8Array): string => {
    try {
      return text.decode(b);
    } catch {
      return fail('a string that is not UTF-8');
    }
  };
  const pop = (): unknown => {
    if (stack.length === 0 || (marks.length > 0 && stack.length <= marks[marks.length - 1])) fail('damaged pickle (stack underflow)');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail('damaged pickle (empty stack)');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) fail('damaged pickle (no mark)');
    return stack.splice(m!);
  };
  const callable = (module: string, name: string): ((...args: unknown[]) => unknown) => {
    const f = opts.findClass(module, name);
    if (!f) fail(`holds a pickled call to ${module}.${name}, which is refused (only tensors, dicts, lists, tuples, numbers and strings are read; nothing in the file was run)`);
    return f!;
  };
  const longOf = (b: Uint8Array): number => {
    // little-endian two's complement
    if (b.length === 0) return 0;
    if (b.length > 7) {
      // beyond 2^53 unless it is a sign extension
      for (let i = 7; i < b.length; i++) if (b[i] !== (b[6] & 0x80 ? 0xff : 0)) fail('an integer beyond 2^53');
    }
    let v = 0;
    const n = Math.min(b.length, 7);
    for (let i = n - 1; i >= 0; i--) v = v * 256 + b[i];
    if (b[b.length - 1] & 0x80) v -= 2 ** (8 * n);
    return v;
  };
  const setItems = (d: unknown, items: unknown[]): void => {
    if (!(d instanceof Map)) fail('damaged pickle (SETITEM on a non-dict)');
    for (let i = 0; i + 1 < items.length; i += 2) (d as Map<unknown, unknown>).set(items[i], items[i + 1]);
  };
  const append = (l: unknown, items: unknown[]): void => {
    if (!Array.isArray(l) || isTuple(l)) fail('damaged pickle (APPEND on a non-list)');
    (l as unknown[]).push(...items);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('pickle protocol beyond 5');
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(longOf(raw(u8())));
        break;
      case 0x8b: // LONG4
        stack.push(longOf(raw(u32())));
        break;
      case 0x49: {
        // INT (text): also True/False as 01/00
        const s = line().trim();
        if (s === '01' || s === '00') stack.push(s === '01');
        else {
          const v = Number(s);
          if (!Number.isSafeInteger(v)) fail(`an integer beyond 2^53 or damaged ('${s.slice(0, 20)}')`);
          stack.push(v);
        }
        break;
      }
      case 0x4c: {
        // LONG (text)
        const v = Number(line().trim().replace(/L$/, ''));
        if (!Number.isSafeInteger(v)) fail('an integer beyond 2^53');
        stack.push(v);
        break;
      }
      case 0x47: // BINFLOAT
        stack.push(view.getFloat64(need(8), false));
        break;
      case 0x46: // FLOAT (text)
        stack.push(Number(line()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8(raw(u8())));
        break;
      case 0x58: // BINUNICODE
        stack.push(utf8(raw(u32())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(utf8(raw(u64())));
        break;
      case 0x56: // UNICODE (raw-unicode-escape text; ASCII in practice)
        stack.push(line());
        break;
      case 0x55: // SHORT_BINSTRING (Python 2 str)
        stack.push(latin1.decode(raw(u8())));
        break;
      case 0x54: // BINSTRING
        stack.push(latin1.decode(raw(u32())));
        break;
      case 0x53: {
        // STRING (quoted text)
        const s = line();
        stack.push(s.slice(1, -1));
        break;
      }
      case 0x43: // SHORT_BINBYTES
        stack.push(raw(u8()).slice());
        break;
      case 0x42: // BINBYTES
        stack.push(raw(u32()).slice());
        break;
      case 0x8e: // BINBYTES8
        stack.push(raw(u64()).slice());
        break;
      case 0x96: // BYTEARRAY8
        stack.push(raw(u64()).slice());
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(tuple([]));
        break;
      case 0x8f: // EMPTY_SET
        stack.push(new Set());
        break;
      case 0x85: // TUPLE1
        stack.push(tuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        const a = pop();
        stack.push(tuple([a, b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(tuple([a, b, c]));
        break;
      }
      case 0x74: // TUPLE
        stack.push(tuple(popMark()));
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        const d = new Map();
        setItems(d, items);
        stack.push(d);
        break;
      }
      case 0x91: // FROZENSET
        stack.push(new Set(popMark()));
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof Set)) fail('damaged pickle (ADDITEMS on a non-set)');
        for (const x of items) (s as Set<unknown>).add(x);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        append(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x30: // POP
        if (marks.length > 0 && stack.length === marks[marks.length - 1]) marks.pop();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x70: // PUT (text)
        memo.set(Number(line()), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: // LONG_BINGET
      case 0x67: {
        // GET (text)
        const k = op === 0x68 ? u8() : op === 0x6a ? u32() : Number(line());
        if (!memo.has(k)) fail('damaged pickle (a memo entry that was never stored)');
        stack.push(memo.get(k));
        break;
      }
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        const name = line();
        stack.push(callable(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('damaged pickle (STACK_GLOBAL without names)');
        stack.push(callable(module as string, name as string));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const f = pop();
        if (typeof f !== 'function' || !isTuple(args)) fail('damaged pickle (REDUCE)');
        stack.push((f as (...a: unknown[]) => unknown)(...(args as PickleTuple)));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const cls = pop();
        if (typeof cls !== 'function' || !isTuple(args)) fail('damaged pickle (NEWOBJ)');
        stack.push((cls as (...a: unknown[]) => unknown)(...(args as PickleTuple)));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        if (typeof cls !== 'function' || !isTuple(args) || !(kwargs instanceof Map) || kwargs.size > 0) fail('damaged pickle (NEWOBJ_EX)');
        stack.push((cls as (...a: unknown[]) => unknown)(...(args as PickleTuple)));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const obj = pop();
        if (opts.build) stack.push(opts.build(obj, state));
        else if (state === null || (state instanceof Map && state.size === 0)) stack.push(obj);
        else fail('holds an object whose state is set by its class (BUILD), which is refused');
        break;
      }
      case 0x51: // BINPERSID
      case 0x50: {
        // PERSID (text)
        const pid = op === 0x51 ? pop() : line();
        if (!opts.persistentLoad) fail('holds a persistent reference, which this reader does not take');
        stack.push(opts.persistentLoad!(pid));
        break;
      }
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        fail('holds out-of-band buffers (pickle protocol 5), which are refused');
        break;
      case 0x69: // INST
      case 0x6f: // OBJ
        fail('holds an old-style class instance (INST/OBJ), which is refused');
        break;
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        fail('holds a copyreg extension code, which is refused');
        break;
      default:
        fail(`damaged pickle (unknown opcode 0x${op.toString(16).padStart(2, '0')} at byte ${pos - 1})`);
    }
  }
}
