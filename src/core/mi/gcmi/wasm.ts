/**
 * The WebAssembly engine of the correlation blocks (asm/gcmi.ts, f64x2): the same products as
 * correlation.ts's `dot2`, in the same order, so the same bits, about 2x faster than the
 * TypeScript blocks. Each engine owns one instance with its own memory, into which the rows of
 * a block are copied (the i rows are kept while consecutive blocks share them).
 */
import { compileWasm, ensureWasmMemory, instantiateWasm, type WasmMemory } from '../../wasm/module.js';
import { GCMI_WASM_BASE64 } from './wasm-binary.js';

interface GcmiExports {
  readonly memory: WasmMemory;
  dots(a: number, na: number, b: number, nb: number, S: number, out: number): void;
}

/** Whether the WebAssembly engine can run here. */
export function gcmiWasmAvailable(): boolean {
  return compileWasm(GCMI_WASM_BASE64) !== null;
}

export class GcmiWasmEngine {
  private readonly ex: GcmiExports;
  private cap = 0;
  private f64 = new Float64Array(0);
  // which rows region A holds: (array, first row, rows)
  private heldA: Float64Array | null = null;
  private heldA0 = -1;
  private heldAn = 0;
  // rows (and their length) region B holds for crossHeld; -1: none
  private heldB = -1;
  private heldS = 0;

  /** Throws where WebAssembly is unavailable (check gcmiWasmAvailable first). */
  constructor() {
    const mod = compileWasm(GCMI_WASM_BASE64);
    if (mod === null) throw new Error('GCMI: WebAssembly engine unavailable');
    this.ex = instantiateWasm<GcmiExports>(mod);
  }

  /**
   * out[i * N + j] = sum_s u[i][s] u[j][s] for i in [i0, i1), j in [j0, j1), from the unit
   * scores `u` (rows of S).
   */
  block(u: Float64Array, N: number, S: number, i0: number, i1: number, j0: number, j1: number, out: Float64Array): void {
    const na = i1 - i0;
    const nb = j1 - j0;
    if (na <= 0 || nb <= 0) return;
    const rowsA = 64; // capacity in rows of each region
    const a = 1024;
    const b = a + rowsA * S * 8;
    const o = b + rowsA * S * 8;
    if (na > rowsA || nb > rowsA) {
      // larger blocks: in pieces
      for (let i = i0; i < i1; i += rowsA) for (let j = j0; j < j1; j += rowsA) this.block(u, N, S, i, Math.min(i1, i + rowsA), j, Math.min(j1, j + rowsA), out);
      return;
    }
    this.reserve(S);
    this.heldB = -1; // region B is overwritten
    const f = this.f64;
    if (!(this.heldA === u && this.heldA0 === i0 && this.heldAn === na)) {
      f.set(u.subarray(i0 * S, i1 * S), a >> 3);
      this.heldA = u;
      this.heldA0 = i0;
      this.heldAn = na;
    }
    const same = i0 === j0 && i1 === j1;
    if (!same) f.set(u.subarray(j0 * S, j1 * S), b >> 3);
    this.ex.dots(a, na, same ? a : b, nb, S, o);
    const r = o >> 3;
    for (let i = 0; i < na; i++) {
      const row = (i0 + i) * N + j0;
      for (let j = 0; j < nb; j++) out[row + j] = f[r + i * nb + j];
    }
  }

  /**
   * Holds rows b0..b0+nb of `b` (at most 64, S each) for {@link crossHeld}: the side that stays
   * while the other side moves is copied once.
   */
  hold(b: Float64Array, b0: number, nb: number, S: number): void {
    if (nb > 64) throw new RangeError('GCMI hold: at most 64 rows');
    this.reserve(S);
    this.f64.set(b.subarray(b0 * S, (b0 + nb) * S), (1024 + 64 * S * 8) >> 3);
    this.heldA = null; // at another S, region B may lie over block's region A
    this.heldB = nb;
    this.heldS = S;
  }

  /**
   * out[i * nb + j] = sum_s a[(a0 + i) S + s] held[j][s] for i < na (at most 64), j < nb: the
   * rows of `a` against the rows last given to {@link hold}, in dot2's order.
   */
  crossHeld(a: Float64Array, a0: number, na: number, out: Float64Array): void {
    const S = this.heldS;
    const nb = this.heldB;
    if (na > 64) throw new RangeError('GCMI cross: at most 64 rows a side');
    if (nb < 0) throw new Error('GCMI cross: no rows held (hold first; block and cross overwrite them)');
    if (nb === 0 || na === 0) return;
    const pa = 1024;
    const pb = pa + 64 * S * 8;
    const po = pb + 64 * S * 8;
    this.heldA = null; // region A is overwritten
    const f = this.f64;
    f.set(a.subarray(a0 * S, (a0 + na) * S), pa >> 3);
    this.ex.dots(pa, na, pb, nb, S, po);
    out.set(f.subarray(po >> 3, (po >> 3) + na * nb));
  }

  /** Memory for two regions of 64 rows of S and a 64 x 64 output. */
  private reserve(S: number): void {
    const need = 1024 + 2 * 64 * S * 8 + 64 * 64 * 8;
    if (this.cap < need || this.cap !== this.ex.memory.buffer.byteLength) {
      ensureWasmMemory(this.ex.memory, need);
      this.cap = this.ex.memory.buffer.byteLength;
      this.f64 = new Float64Array(this.ex.memory.buffer);
      this.heldA = null;
    }
  }

  /**
   * out[i * nb + j] = sum_s a[(a0 + i) S + s] b[(b0 + j) S + s] for i < na, j < nb (at most 64
   * each): dot products of rows of two arrays, in dot2's order.
   */
  cross(a: Float64Array, a0: number, na: number, b: Float64Array, b0: number, nb: number, S: number, out: Float64Array): void {
    if (na > 64 || nb > 64) throw new RangeError('GCMI cross: at most 64 rows a side');
    this.hold(b, b0, nb, S);
    this.crossHeld(a, a0, na, out);
  }

}
