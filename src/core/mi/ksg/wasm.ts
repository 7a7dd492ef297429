/**
 * The pair kernel's WebAssembly engine: the same computation as js.ts (grid, k-th neighbour
 * search, marginal counts, the two digamma sums in grid-position order), compiled from the
 * AssemblyScript port asm/ksg.ts (`npm run build:wasm` embeds the binary in wasm-binary.ts).
 * Every floating-point operation is the one the JS engine does, so the sums - and the MI - are
 * bit-for-bit identical; it is ~1.4x faster (no bounds checks, cheaper branch-free probes), and
 * 2-2.5x at k = 3, where it runs the certified SIMD window search (asm mi3) instead of the grid
 * search (the same distances, so the same bits).
 *
 * Each engine owns one instance with its own (non-shared) linear memory holding its scratch,
 * the digamma table and a copy of the two neurons' slices of the store, refreshed per pair
 * (~14 bytes per sample and neuron, a memcpy: ~1% of the pair's time at S = 10^4; the x
 * neuron's only when it is not the last pair's, checked by the store's per-neuron stamp). So stores
 * stay plain or shared typed arrays, usable from any thread, and no wasm threads are needed.
 *
 * ksgWasmAvailable() is false where WebAssembly is missing or refuses the module; the kernel then
 * uses the JS engine (same results).
 */
import { ksgLayout } from './layout.js';
import type { KsgSearch } from './options.js';
import type { KsgStore } from './store.js';
import { KSG_WASM_BASE64 } from './wasm-binary.js';
import { compileWasm, ensureWasmMemory, instantiateWasm, type WasmMemory } from '../../wasm/module.js';

interface KsgExports {
  readonly memory: WasmMemory;
  setLayout(...args: number[]): void;
  setLayout2(...args: number[]): void;
  setLayout3(...args: number[]): void;
  /** Absent from builds before the strided counts (bench/ksg-ab.ts can load one for its grid search). */
  setLayout4?(b8x: number, b8y: number): void;
  /** Absent from builds before the bucket tables (as bucketsPerValue). */
  setLayout5?(tx: number, ty: number): void;
  bucketsPerValue?(): number;
  /** sameX: 1 when the x neuron is the last pair's (its per-neuron tables are kept; builds before the bucket tables ignore it). */
  mi(k: number, ncx: number, ncy: number, smallX: number, smallY: number, sameX: number): number;
  /** sameX: as mi. */
  mi3(ncx: number, ncy: number, smallX: number, smallY: number, sameX: number): number;
  sumY(): number;
  stat(which: number): number;
}

/** The compiled module (once per thread), or null where WebAssembly is unavailable. */
function ksgModule(): object | null {
  return compileWasm(KSG_WASM_BASE64);
}

/** Whether the WebAssembly engine can run here. */
export function ksgWasmAvailable(): boolean {
  return ksgModule() !== null;
}

/** Zero entries on each side of the rank-indexed sweep arrays (asm mi3 reads 17 beyond). */
const SWEEP_GUARD = 32;

export class WasmPairEngine {
  sumX = 0;
  sumY = 0;
  private readonly samples: number;
  private readonly k: number;
  private readonly strict: number;
  private readonly numRows: number;
  private readonly rowShift: number;
  private readonly psi: Float64Array;
  private readonly ex: KsgExports;
  /** k = 3 with the certified window search (asm mi3), else the grid search (asm mi). */
  private readonly window: boolean;
  // capacities of the current layout
  private capCols = 0;
  private capPad = 0;
  // byte offsets of the per-neuron copies
  private sx = 0; // sorted x, from the first guard
  private rx = 0;
  private crx = 0;
  private csx = 0;
  private scx = 0;
  private sy = 0;
  private oy = 0;
  private cry = 0;
  private csy = 0;
  private scy = 0;
  private ox = 0;
  private ry = 0;
  private f64 = new Float64Array(0);
  private i32 = new Int32Array(0);
  private u16 = new Uint16Array(0);
  // the x neuron whose slices (and tables) are in memory: its store's sorted buffer,
  // index and stamp (null: none)
  private xBuffer: ArrayBufferLike | null = null;
  private xIndex = -1;
  private xStamp = -1;

  /**
   * Throws if WebAssembly is unavailable (check ksgWasmAvailable first). `mod`: another
   * compiled build of asm/ksg.ts with the same exports (bench/ksg-ab.ts: A/B of two kernels).
   */
  constructor(samples: number, k: number, strict: number, psi: Float64Array, search: KsgSearch = 'auto', mod: object | null = ksgModule()) {
    if (mod === null) throw new Error('KSG: WebAssembly engine unavailable');
    this.samples = samples;
    this.k = k;
    this.strict = strict;
    this.psi = psi;
    this.window = k === 3 && search !== 'grid';
    const lay = ksgLayout(samples, k);
    this.numRows = lay.numRows;
    this.rowShift = lay.rowShift;
    this.ex = instantiateWasm<KsgExports>(mod);
    // as js.ts: room for the most columns a neuron can have when the cell table stays <= 16 MiB
    const cols = lay.maxCols * lay.numRows <= 1 << 22 ? lay.maxCols : Math.ceil(samples / lay.colWidth) + 8;
    this.layout(cols, lay.pad);
  }

  /** (Re)place every array in linear memory for up to `cols` columns and `pad` guards. */
  private layout(cols: number, pad: number): void {
    const S = this.samples;
    let off = 1024;
    const take = (bytes: number): number => {
      const o = off;
      off += Math.ceil(bytes / 64) * 64 + 64;
      return o;
    };
    const px = take(S * 8);
    const py = take(S * 8);
    const pxr = take(S * 4);
    const pyr = take(S * 4);
    const cell = take((cols * this.numRows + 2) * 4);
    const cmin = take(cols * 8);
    const cmax = take(cols * 8);
    const best = take((this.k + 1) * 8);
    const psi = take((S + 1) * 8);
    this.sx = take((S + 2 * pad) * 8);
    this.rx = take(S * 4);
    this.crx = take(S * 4);
    this.csx = take((cols + 1) * 4);
    this.scx = take((cols + 1) * 8);
    this.sy = take((S + 2 * pad) * 8);
    this.oy = take(S * 4);
    this.cry = take(S * 4);
    this.csy = take((cols + 1) * 4);
    this.scy = take((cols + 1) * 8);
    const qx = take(S * 8);
    const qy = take(S * 8);
    const qxr = take(S * 4);
    const qyr = take(S * 4);
    const cell2 = take((cols * this.numRows + 2) * 4);
    const cmin2 = take(cols * 8);
    const cmax2 = take(cols * 8);
    const posy = take(S * 4);
    this.ox = take(S * 4);
    this.ry = take(S * 4);
    // indexed by rank, with SWEEP_GUARD zero entries on each side (the k = 3 sweep windows)
    const yox = take((S + 2 * SWEEP_GUARD) * 8);
    const xoy = take((S + 2 * SWEEP_GUARD) * 8);
    const how = take(S);
    // k = 3 window search (asm mi3): slots = points + guards (asm LEAD = 21, GAP = 14)
    const slots = S + 2 * 21 + 14 * cols + 2;
    const gx = take(slots * 8);
    const gy = take(slots * 8);
    const gyr = take(slots * 4);
    const gxr = take(slots * 4);
    const nb = take(slots * 32); // per slot 8 i32 (asm NB)
    const cur = take((cols + 8) * 4);
    const csl = take((cols + 1) * 4);
    // every 8th sorted value of x and y, 16 guard entries on each side (asm countWithin)
    const strided = (S >> 3) + 34;
    const b8x = take(strided * 8);
    const b8y = take(strided * 8);
    // the x and y neurons' bucket tables (asm fillBuckets: BPP S rounded up to a multiple of 4,
    // plus 4, i32 each)
    const tableBytes = ((this.ex.bucketsPerValue?.() ?? 0) * S + 8) * 4;
    const tx = take(tableBytes);
    const ty = take(tableBytes);
    ensureWasmMemory(this.ex.memory, off);
    const buf = this.ex.memory.buffer;
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
    this.u16 = new Uint16Array(buf);
    this.f64.set(this.psi.subarray(0, S + 1), psi >> 3);
    this.f64.fill(0, yox >> 3, (yox >> 3) + S + 2 * SWEEP_GUARD);
    this.f64.fill(0, xoy >> 3, (xoy >> 3) + S + 2 * SWEEP_GUARD);
    this.capCols = cols;
    this.capPad = pad;
    this.xBuffer = null;
    this.ex.setLayout(
      S, this.numRows, this.rowShift, this.strict,
      px, py, pxr, pyr, cell, cmin, cmax, best, psi,
      this.sx + pad * 8, this.rx, this.crx, this.csx, this.scx,
      this.sy + pad * 8, this.oy, this.cry, this.csy, this.scy,
    );
    this.ex.setLayout2(qx, qy, qxr, qyr, cell2, cmin2, cmax2, posy, this.ox, this.ry, yox + SWEEP_GUARD * 8, xoy + SWEEP_GUARD * 8, how);
    this.ex.setLayout3(gx, gy, gyr, gxr, nb, cur, csl);
    this.ex.setLayout4?.(b8x + 16 * 8, b8y + 16 * 8);
    this.ex.setLayout5?.(tx, ty);
  }

  /** Sets sumX, sumY for neuron i of a (as x) and neuron j of b (as y), both prepared. */
  run(a: KsgStore, i: number, b: KsgStore, j: number): void {
    const ma = a.meta;
    const mb = b.meta;
    const ncx = a.numCols[i];
    const ncy = b.numCols[j];
    const cols = Math.max(ncx, ncy);
    if (cols > this.capCols || ma.pad !== this.capPad || mb.pad !== this.capPad) {
      if (ma.pad !== mb.pad) throw new RangeError('KsgPairKernel: stores with different guard sizes');
      this.layout(Math.max(cols, this.capCols), ma.pad);
    }
    // x's slices, unless they are the last pair's (the same slices of the same store, not
    // prepared again since), and y's
    const sameX = a.sorted.buffer === this.xBuffer && i === this.xIndex && a.stamp[i] === this.xStamp;
    if (!sameX) {
      this.copyNeuron(a, i, ncx, this.sx, this.rx, this.ox, this.crx, this.csx, this.scx);
      this.xBuffer = a.sorted.buffer;
      this.xIndex = i;
      this.xStamp = a.stamp[i];
    }
    this.copyNeuron(b, j, ncy, this.sy, this.ry, this.oy, this.cry, this.csy, this.scy);
    this.sumX = this.window
      ? this.ex.mi3(ncx, ncy, ma.smallCols, mb.smallCols, sameX ? 1 : 0)
      : this.ex.mi(this.k, ncx, ncy, ma.smallCols, mb.smallCols, sameX ? 1 : 0);
    this.sumY = this.ex.sumY();
  }

  /** How the last k = 3 window pair found its points' distances: [grid window, sweep window, exact fallback, of the grid windows: certified at the second tier]. */
  windowStats(): [number, number, number, number] {
    return [this.ex.stat(0), this.ex.stat(1), this.ex.stat(2), this.ex.stat(3)];
  }

  /** How the last pair's marginal counts found their ends: [strided window slid once, binary search, bucket table hit, bucket table missed]. */
  countStats(): [number, number, number, number] {
    return [this.ex.stat(4), this.ex.stat(5), this.ex.stat(6), this.ex.stat(7)];
  }

  /**
   * Copies neuron n's slices of store s to the byte offsets given: sorted values (with guards),
   * rank, order, colOfRank, colStart[0..nc], colScale[0..nc].
   */
  private copyNeuron(s: KsgStore, n: number, nc: number, sorted: number, rank: number, order: number, cols: number, colStart: number, colScale: number): void {
    const S = this.samples;
    const { f64, i32 } = this;
    const m = s.meta;
    f64.set(s.sorted.subarray(n * m.sortedStride, (n + 1) * m.sortedStride), sorted >> 3);
    i32.set(s.rank.subarray(n * S, n * S + S), rank >> 2);
    i32.set(s.order.subarray(n * S, n * S + S), order >> 2);
    const src = s.colOfRank.subarray(n * S, n * S + S);
    if (m.smallCols) this.u16.set(src, cols >> 1);
    else i32.set(src, cols >> 2);
    i32.set(s.colStart.subarray(n * (m.maxCols + 1), n * (m.maxCols + 1) + nc + 1), colStart >> 2);
    f64.set(s.colScale.subarray(n * m.maxCols, n * m.maxCols + nc + 1), colScale >> 3);
  }
}
