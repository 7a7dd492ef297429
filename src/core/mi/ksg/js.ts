/**
 * The pair kernel's JavaScript engine: for one validated pair, the two digamma sums
 * sum_s psi(n_x(s) + 1) and sum_s psi(n_y(s) + 1) (kernel.ts combines them).
 *
 * grid.ts lays the points out by x-column and y-rank (counting sort). For every point, eps = its
 * k-th neighbour distance comes from one of three searches, picked by search-rule.ts from the
 * value widths of the point's x- and y-columns (trained networks' units have dense cores, long
 * tails and different scales, so one neuron is often locally much sparser than the other):
 * a sweep along the sparser neuron's sorted values (sweep.ts), the x-column grid (search.ts,
 * search3.ts for k = 3), or the same grid built transposed (y-columns sorted by x-rank). All
 * three find the same exact eps, so the choice changes the speed, never the result.
 * marginal.ts counts the points within the radius on each axis from the neurons' sorted values. The sums run in grid-position
 * order, exactly as in the WebAssembly engine (wasm.ts, asm/ksg.ts), so both give the same bits.
 * All scratch is allocated once per engine (only at S >~ 10^5 may the cell table grow once).
 */
import { fillGrid } from './grid.js';
import { ksgLayout } from './layout.js';
import { countWithin } from './marginal.js';
import { kthDistance } from './search.js';
import { kthDistance3 } from './search3.js';
import { SWEEP_BUDGET, SWEEP_RATIO, TRANSPOSED_MIN_SHARE, TRANSPOSED_RATIO } from './search-rule.js';
import { kthDistanceSweep } from './sweep.js';
import type { KsgStore } from './store.js';
import { prevDouble } from './ulp.js';

export class JsPairEngine {
  sumX = 0;
  sumY = 0;
  private readonly samples: number;
  private readonly k: number;
  private readonly strict: number;
  private readonly rowShift: number;
  private readonly numRows: number;
  private readonly psi: Float64Array;
  private readonly best: Float64Array;
  private readonly px: Float64Array;
  private readonly py: Float64Array;
  private readonly pxr: Int32Array;
  private readonly pyr: Int32Array;
  private cell: Int32Array;
  private cmin: Float64Array;
  private cmax: Float64Array;
  // the transposed grid (y as columns): its positions' values and ranks, cells, column bounds,
  // and the position of each y-rank in it
  private readonly qx: Float64Array;
  private readonly qy: Float64Array;
  private readonly qxr: Int32Array;
  private readonly qyr: Int32Array;
  private readonly posOfYRank: Int32Array;
  // yOfXRank[r]: y value of the sample of x-rank r; xOfYRank the converse (for sweep.ts)
  private readonly yOfXRank: Float64Array;
  private readonly xOfYRank: Float64Array;
  // per grid position: 0 x-column grid, 1 transposed grid, 2 sweep along x, 3 sweep along y
  private readonly how: Uint8Array;
  private cell2: Int32Array;
  private cmin2: Float64Array;
  private cmax2: Float64Array;

  constructor(samples: number, k: number, strict: number, psi: Float64Array) {
    this.samples = samples;
    this.k = k;
    this.strict = strict;
    this.psi = psi;
    const lay = ksgLayout(samples, k);
    this.rowShift = lay.rowShift;
    this.numRows = lay.numRows;
    this.best = new Float64Array(k + 1);
    this.px = new Float64Array(samples);
    this.py = new Float64Array(samples);
    this.pxr = new Int32Array(samples);
    this.pyr = new Int32Array(samples);
    // Scratch for the cell table: sized for the most columns a neuron can have (ties make
    // columns wider but more numerous, layout.ts) when that is <= 16 MiB, else for the typical
    // count, growing on demand (once) for neurons with many big runs of ties.
    const cols = lay.maxCols * lay.numRows <= 1 << 22 ? lay.maxCols : Math.ceil(samples / lay.colWidth) + 8;
    this.cell = new Int32Array(cols * lay.numRows + 2);
    this.cmin = new Float64Array(lay.maxCols);
    this.cmax = new Float64Array(lay.maxCols);
    this.qx = new Float64Array(samples);
    this.qy = new Float64Array(samples);
    this.qxr = new Int32Array(samples);
    this.qyr = new Int32Array(samples);
    this.posOfYRank = new Int32Array(samples);
    this.yOfXRank = new Float64Array(samples);
    this.xOfYRank = new Float64Array(samples);
    this.how = new Uint8Array(samples);
    this.cell2 = new Int32Array(cols * lay.numRows + 2);
    this.cmin2 = new Float64Array(lay.maxCols);
    this.cmax2 = new Float64Array(lay.maxCols);
  }

  /** Sets sumX, sumY for neuron i of a (as x) and neuron j of b (as y), both prepared. */
  run(a: KsgStore, i: number, b: KsgStore, j: number): void {
    const S = this.samples;
    const k = this.k;
    const numRows = this.numRows;
    const rowShift = this.rowShift;
    const ncx = a.numCols[i];
    const ncy = b.numCols[j];
    if (this.cell.length < ncx * numRows + 2) this.cell = new Int32Array(ncx * numRows + 2);
    if (this.cmin.length < ncx) {
      this.cmin = new Float64Array(ncx);
      this.cmax = new Float64Array(ncx);
    }
    if (this.cell2.length < ncy * numRows + 2) this.cell2 = new Int32Array(ncy * numRows + 2);
    if (this.cmin2.length < ncy) {
      this.cmin2 = new Float64Array(ncy);
      this.cmax2 = new Float64Array(ncy);
    }
    const { px, py, pxr, pyr, best, psi, cell, cmin, cmax, qx, qy, qxr, qyr, posOfYRank, cell2, cmin2, cmax2, yOfXRank, xOfYRank, how } = this;
    fillGrid(a, i, b, j, numRows, rowShift, cell, px, py, pxr, pyr);

    const yb = j * S;
    const xsb = i * a.meta.sortedStride + a.meta.pad;
    const ysb = j * b.meta.sortedStride + b.meta.pad;
    const sortedX = a.sorted;
    const sortedY = b.sorted;
    const csX = a.colStart;
    const csY = b.colStart;
    const cbX = i * (a.meta.maxCols + 1);
    const cbY = j * (b.meta.maxCols + 1);
    const scX = a.colScale;
    const scY = b.colScale;
    const sbX = i * a.meta.maxCols;
    const sbY = j * b.meta.maxCols;
    const colY = b.colOfRank;
    for (let c = 0; c < ncx; c++) {
      cmin[c] = sortedX[xsb + csX[cbX + c]];
      cmax[c] = sortedX[xsb + csX[cbX + c + 1] - 1];
    }
    for (let c = 0; c < ncy; c++) {
      cmin2[c] = sortedY[ysb + csY[cbY + c]];
      cmax2[c] = sortedY[ysb + csY[cbY + c + 1] - 1];
    }
    // which search for each point (search-rule.ts)
    let nT = 0;
    let nSweep = 0;
    for (let c = 0; c < ncx; c++) {
      const wx = cmax[c] - cmin[c];
      const pe = csX[cbX + c + 1];
      for (let p = csX[cbX + c]; p < pe; p++) {
        const c2 = colY[yb + pyr[p]];
        const wy = cmax2[c2] - cmin2[c2];
        const h = wx > SWEEP_RATIO * wy ? 2 : wy > SWEEP_RATIO * wx ? 3 : wy > TRANSPOSED_RATIO * wx ? 1 : 0;
        how[p] = h;
        if (h >= 2) nSweep++;
        if (h === 1 || h === 3) nT++;
      }
    }
    const transposed = nT * TRANSPOSED_MIN_SHARE >= S;
    if (transposed) {
      // y's columns, sorted by x-rank inside (qx holds y values, qy x values)
      fillGrid(b, j, a, i, numRows, rowShift, cell2, qx, qy, qxr, qyr);
      for (let q = 0; q < S; q++) posOfYRank[qxr[q]] = q;
    }
    if (nSweep > 0) {
      for (let p = 0; p < S; p++) {
        yOfXRank[pxr[p]] = py[p];
        xOfYRank[pyr[p]] = px[p];
      }
    }
    const strict = this.strict;
    let sumX = 0;
    let sumY = 0;
    for (let c = 0; c < ncx; c++) {
      const pe = csX[cbX + c + 1];
      for (let p = csX[cbX + c]; p < pe; p++) {
        // a sweep where one neuron's column is much wider (it usually ends after a few points),
        // else (or if it gives up) the grid with the wider column: the same exact distance
        const h = how[p];
        let eps = h === 2 ? kthDistanceSweep(sortedX, xsb, yOfXRank, pxr[p], k, best, SWEEP_BUDGET) : h === 3 ? kthDistanceSweep(sortedY, ysb, xOfYRank, pyr[p], k, best, SWEEP_BUDGET) : -1;
        if (eps < 0 && transposed && (h === 1 || h === 3)) {
          const c2 = colY[yb + pyr[p]];
          const q = posOfYRank[pyr[p]];
          eps =
            k === 3
              ? kthDistance3(qx, qy, qyr, cell2, csY, cbY, cmin2, cmax2, ncy, numRows, rowShift, q, c2)
              : kthDistance(qx, qy, qyr, cell2, csY, cbY, cmin2, cmax2, ncy, numRows, rowShift, best, k, q, c2);
        } else if (eps < 0) {
          eps =
            k === 3
              ? kthDistance3(px, py, pyr, cell, csX, cbX, cmin, cmax, ncx, numRows, rowShift, p, c)
              : kthDistance(px, py, pyr, cell, csX, cbX, cmin, cmax, ncx, numRows, rowShift, best, k, p, c);
        }
        let nx = 0;
        let ny = 0;
        if (eps > 0 || strict === 0) {
          const rad = prevDouble(eps);
          const yr = pyr[p];
          nx = countWithin(sortedX, xsb, csX, cbX, scX, sbX, S, pxr[p], c, px[p], rad);
          ny = countWithin(sortedY, ysb, csY, cbY, scY, sbY, S, yr, colY[yb + yr], py[p], rad);
        }
        sumX += psi[nx + 1];
        sumY += psi[ny + 1];
      }
    }
    this.sumX = sumX;
    this.sumY = sumY;
  }
}
