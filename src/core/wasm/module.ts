/**
 * Loading the embedded WebAssembly kernels (asm/*.ts, built by asm/build.mjs into base64
 * strings): decode, compile once per thread, instantiate with no imports. Where WebAssembly is
 * missing or refuses a module (no SIMD, say), `compileWasm` gives null and the caller uses its
 * TypeScript engine, which gives the same bits.
 */

/** The few WebAssembly JS API types used (lib "dom" is not in this project's libs). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

export const WASM_PAGE = 65536;

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** Standard base64 (no line breaks) to bytes. */
export function decodeBase64(s: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const val = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) val[alphabet.charCodeAt(i)] = i;
  let n = s.length;
  while (n > 0 && s[n - 1] === '=') n--;
  const out = new Uint8Array((n * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    const v = val[s.charCodeAt(i) & 127];
    if (v < 0) throw new Error('wasm: bad base64');
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

const cache = new Map<string, object | null>();

/** The compiled module of a base64 binary (once per thread), or null where it cannot run. */
export function compileWasm(base64: string): object | null {
  let m = cache.get(base64);
  if (m === undefined) {
    m = null;
    const api = wasmApi();
    if (api !== undefined) {
      try {
        m = new api.Module(decodeBase64(base64));
      } catch {
        m = null;
      }
    }
    cache.set(base64, m);
  }
  return m;
}

/** A new instance (its own memory) of a compiled module. */
export function instantiateWasm<E>(module: object): E {
  const api = wasmApi();
  if (api === undefined) throw new Error('wasm: WebAssembly unavailable');
  return new api.Instance(module, {}).exports as E;
}

/** Grows `memory` to at least `bytes`. */
export function ensureWasmMemory(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength / WASM_PAGE;
  const need = Math.ceil(bytes / WASM_PAGE);
  if (need > have) memory.grow(need - have);
}
