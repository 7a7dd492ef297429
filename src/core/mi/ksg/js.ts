/**
 * The pair kernel's JavaScript engine: for one validated pair, the two digamma sums
 * sum_s psi(n_x(s) + 1) and sum_s psi(n_y(s) + 1) (kernel.ts combines them).
 *
 * grid.ts lays the points out by x-column and y-rank (counting sort); for every point search.ts
 * (search3.ts for k = 3) finds eps = its k-th neighbour distance; marginal.ts counts the points
 * within the radius on each axis from the neurons' sorted values. The sums run in grid-position
 * order, exactly as in the WebAssembly engine (wasm.ts, asm/ksg.ts), so both give the same bits.
 * All scratch is allocated once per engine (only at S >~ 10^5 may the cell table grow once).
 */
import { fillGrid } from './grid.js';
import { ksgLayout } from './layout.js';
import { countWithin } from './marginal.js';
import { kthDistance } from './search.js';
import { kthDistance3 } from './search3.js';
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
  }

  /** Sets sumX, sumY for neuron i of a (as x) and neuron j of b (as y), both prepared. */
  run(a: KsgStore, i: number, b: KsgStore, j: number): void {
    const S = this.samples;
    const k = this.k;
    const numRows = this.numRows;
    const rowShift = this.rowShift;
    const ncx = a.numCols[i];
    if (this.cell.length < ncx * numRows + 2) this.cell = new Int32Array(ncx * numRows + 2);
    if (this.cmin.length < ncx) {
      this.cmin = new Float64Array(ncx);
      this.cmax = new Float64Array(ncx);
    }
    const { px, py, pxr, pyr, best, psi, cell, cmin, cmax } = this;
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
    const strict = this.strict;
    let sumX = 0;
    let sumY = 0;
    for (let c = 0; c < ncx; c++) {
      const pe = csX[cbX + c + 1];
      for (let p = csX[cbX + c]; p < pe; p++) {
        const eps =
          k === 3
            ? kthDistance3(px, py, pyr, cell, csX, cbX, cmin, cmax, ncx, numRows, rowShift, p, c)
            : kthDistance(px, py, pyr, cell, csX, cbX, cmin, cmax, ncx, numRows, rowShift, best, k, p, c);
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
