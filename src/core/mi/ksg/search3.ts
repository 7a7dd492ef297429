/**
 * kthDistance specialised to k = 3 (the default and by far the most used k): the same search,
 * scan order and stopping rules as search.ts (see there for the definitions and the exactness
 * argument), with the three smallest distances kept in local variables instead of an array
 * (about 20% faster). Returns the 3rd smallest max-norm distance from the point at position p
 * (column c) to the other points.
 */
export function kthDistance3(
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
  p: number,
  c: number,
): number {
  const xs = px[p];
  const ys = py[p];
  const yr = pyr[p];
  // b0 <= b1 <= b2 = kth: the three smallest distances so far
  let b0 = Infinity;
  let b1 = Infinity;
  let b2 = Infinity;
  const cb = colPos[cpb + c];
  const ce = colPos[cpb + c + 1];
  // own column, upward then downward from p; a candidate with dy < b2 is closer iff dx < b2
  for (let q = p + 1; q < ce; q++) {
    const dy = py[q] - ys;
    if (dy >= b2) break;
    const dx = Math.abs(px[q] - xs);
    if (dx < b2) {
      const d = dx > dy ? dx : dy;
      if (d < b1) {
        b2 = b1;
        if (d < b0) {
          b1 = b0;
          b0 = d;
        } else b1 = d;
      } else b2 = d;
    }
  }
  for (let q = p - 1; q >= cb; q--) {
    const dy = ys - py[q];
    if (dy >= b2) break;
    const dx = Math.abs(px[q] - xs);
    if (dx < b2) {
      const d = dx > dy ? dx : dy;
      if (d < b1) {
        b2 = b1;
        if (d < b0) {
          b1 = b0;
          b0 = d;
        } else b1 = d;
      } else b2 = d;
    }
  }
  // neighbouring columns, smallest x-distance bound first, while that bound is below b2
  let L = c - 1;
  let R = c + 1;
  let bl = L >= 0 ? xs - cmax[L] : Infinity;
  let br = R < ncx ? cmin[R] - xs : Infinity;
  const row = yr >> rowShift;
  for (;;) {
    let col: number;
    if (bl <= br) {
      if (bl >= b2) break;
      col = L--;
      bl = L >= 0 ? xs - cmax[L] : Infinity;
    } else {
      if (br >= b2) break;
      col = R++;
      br = R < ncx ? cmin[R] - xs : Infinity;
    }
    const qb = colPos[cpb + col];
    const qe = colPos[cpb + col + 1];
    let q0 = cell[col * numRows + row];
    while (q0 < qe && pyr[q0] < yr) q0++;
    for (let q = q0; q < qe; q++) {
      const dy = py[q] - ys;
      if (dy >= b2) break;
      const dx = Math.abs(px[q] - xs);
      if (dx < b2) {
        const d = dx > dy ? dx : dy;
        if (d < b1) {
          b2 = b1;
          if (d < b0) {
            b1 = b0;
            b0 = d;
          } else b1 = d;
        } else b2 = d;
      }
    }
    for (let q = q0 - 1; q >= qb; q--) {
      const dy = ys - py[q];
      if (dy >= b2) break;
      const dx = Math.abs(px[q] - xs);
      if (dx < b2) {
        const d = dx > dy ? dx : dy;
        if (d < b1) {
          b2 = b1;
          if (d < b0) {
            b1 = b0;
            b0 = d;
          } else b1 = d;
        } else b2 = d;
      }
    }
  }
  return b2;
}
