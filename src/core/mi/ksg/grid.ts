/**
 * Per-pair layout of the points, built by a counting sort (no comparisons).
 *
 * For x = neuron i of store a and y = neuron j of store b, key(s) = colX(s) * numRows + row(s)
 * with colX(s) = x's column of sample s (store.ts) and row(s) = rankY(s) >> rowShift. Points
 * are visited in y-rank order and placed stably by key, so afterwards:
 * - positions colStartX[c] .. colStartX[c+1]-1 hold column c (column c of x holds exactly the
 *   samples whose x-rank lies in that range), sorted by y-rank;
 * - px[p], py[p], pxr[p], pyr[p] are the x value, y value, x-rank and y-rank at position p;
 * - cell[key] is the first position of key's cell (cell[key + 1] its end).
 * `cell` must have at least numCols * numRows + 2 entries.
 */
import type { KsgStore } from './store.js';

export function fillGrid(
  a: KsgStore,
  i: number,
  b: KsgStore,
  j: number,
  numRows: number,
  rowShift: number,
  cell: Int32Array,
  px: Float64Array,
  py: Float64Array,
  pxr: Int32Array,
  pyr: Int32Array,
): void {
  const S = a.meta.samples;
  const xb = i * S;
  const yb = j * S;
  const xsb = i * a.meta.sortedStride + a.meta.pad;
  const ysb = j * b.meta.sortedStride + b.meta.pad;
  const rankX = a.rank;
  const colX = a.colOfRank;
  const sortedX = a.sorted;
  const orderY = b.order;
  const sortedY = b.sorted;
  const nCells = a.numCols[i] * numRows;
  cell.fill(0, 0, nCells + 2);
  for (let r = 0; r < S; r++) {
    const xr = rankX[xb + orderY[yb + r]];
    cell[colX[xb + xr] * numRows + (r >> rowShift) + 2]++;
  }
  for (let q = 2; q < nCells + 2; q++) cell[q] += cell[q - 1];
  for (let r = 0; r < S; r++) {
    const xr = rankX[xb + orderY[yb + r]];
    const p = cell[colX[xb + xr] * numRows + (r >> rowShift) + 1]++;
    px[p] = sortedX[xsb + xr];
    py[p] = sortedY[ysb + r];
    pxr[p] = xr;
    pyr[p] = r;
  }
}
