/**
 * The k-th nearest neighbour distance (max-norm) of one point of a pair laid out by grid.ts.
 *
 * Layout (per pair): positions 0..S-1 hold the points grouped by x-column (column c occupies
 * positions colStart[c] .. colStart[c+1]-1), and inside a column sorted by y-rank; px, py are
 * the values, pyr the y-ranks. cell[col * numRows + row] is the first position in column col
 * whose y-rank is >= row << rowShift.
 *
 * Search for the point at position p of column c: scan its own column upward and downward from
 * p, then neighbouring columns in increasing order of their x-distance lower bound (xs - max of
 * a column on the left, min - xs of one on the right) while it is below the current k-th
 * distance, each from the position of the point's y-rank upward and downward. A scan direction
 * stops as soon as its |dy| (monotone along the column, fl-subtraction being monotone) reaches
 * the current k-th smallest distance; columns stop once their bound reaches it. Every
 * point left unexamined therefore has distance >= the final k-th distance, which is thus exact.
 * Duplicates of the point count (distance 0); the point itself is never examined.
 *
 * best[0..k-1] is left holding the k smallest distances found (ascending).
 */
export function kthDistance(
  px: Float64Array,
  py: Float64Array,
  pyr: Int32Array,
  cell: Int32Array,
  colPos: Int32Array,
  cpb: number,
  cmin: Float64Array,
  cmax: Float64Array,
  ncx: number,
  numRows: number,
  rowShift: number,
  best: Float64Array,
  k: number,
  p: number,
  c: number,
): number {
  const xs = px[p];
  const ys = py[p];
  const yr = pyr[p];
  const km = k - 1;
  for (let m = 0; m < k; m++) best[m] = Infinity;
  let kth = Infinity;
  const cb = colPos[cpb + c];
  const ce = colPos[cpb + c + 1];
  // own column, upward then downward from p
  for (let q = p + 1; q < ce; q++) {
    const dy = py[q] - ys;
    if (dy >= kth) break;
    // dy < kth already, so d = max(dx, dy) < kth iff dx < kth
    const dx = Math.abs(px[q] - xs);
    if (dx < kth) {
      const d = dx > dy ? dx : dy;
      let m = km;
      while (m > 0 && best[m - 1] > d) {
        best[m] = best[m - 1];
        m--;
      }
      best[m] = d;
      kth = best[km];
    }
  }
  for (let q = p - 1; q >= cb; q--) {
    const dy = ys - py[q];
    if (dy >= kth) break;
    // dy < kth already, so d = max(dx, dy) < kth iff dx < kth
    const dx = Math.abs(px[q] - xs);
    if (dx < kth) {
      const d = dx > dy ? dx : dy;
      let m = km;
      while (m > 0 && best[m - 1] > d) {
        best[m] = best[m - 1];
        m--;
      }
      best[m] = d;
      kth = best[km];
    }
  }
  // neighbouring columns, smallest x-distance bound first, while that bound is below kth
  let L = c - 1;
  let R = c + 1;
  let bl = L >= 0 ? xs - cmax[L] : Infinity;
  let br = R < ncx ? cmin[R] - xs : Infinity;
  const row = yr >> rowShift;
  for (;;) {
    let col: number;
    if (bl <= br) {
      if (bl >= kth) break;
      col = L--;
      bl = L >= 0 ? xs - cmax[L] : Infinity;
    } else {
      if (br >= kth) break;
      col = R++;
      br = R < ncx ? cmin[R] - xs : Infinity;
    }
    const qb = colPos[cpb + col];
    const qe = colPos[cpb + col + 1];
    let q0 = cell[col * numRows + row];
    while (q0 < qe && pyr[q0] < yr) q0++;
    for (let q = q0; q < qe; q++) {
      const dy = py[q] - ys;
      if (dy >= kth) break;
      const dx = Math.abs(px[q] - xs);
      if (dx < kth) {
        const d = dx > dy ? dx : dy;
        let m = km;
        while (m > 0 && best[m - 1] > d) {
          best[m] = best[m - 1];
          m--;
        }
        best[m] = d;
        kth = best[km];
      }
    }
    for (let q = q0 - 1; q >= qb; q--) {
      const dy = ys - py[q];
      if (dy >= kth) break;
      const dx = Math.abs(px[q] - xs);
      if (dx < kth) {
        const d = dx > dy ? dx : dy;
        let m = km;
        while (m > 0 && best[m - 1] > d) {
          best[m] = best[m - 1];
          m--;
        }
        best[m] = d;
        kth = best[km];
      }
    }
  }
  return kth;
}

