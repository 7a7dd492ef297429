// AssemblyScript (compiled to WebAssembly by asm/build.mjs) port of the KSG pair kernel of
// src/core/mi/ksg/: grid.ts (fillGrid), search3.ts / search.ts (k-th neighbour distance),
// sweep.ts, marginal.ts (countWithin) and the per-point loop of js.ts (search-rule.ts: the
// per-point choice of sweep, grid or transposed grid; constants duplicated below). Same algorithm, same scan
// order, same floating-point operations, so the two digamma sums are bit-for-bit those of the
// JS kernel (the final combination is done in JS, see wasm.ts).
//
// All arrays live in this instance's linear memory at byte offsets chosen by wasm.ts and passed
// to setLayout(); wasm.ts copies the two neurons' slices of the store in before each pair.
// Compiled with --runtime stub (no allocations, no GC).

// ---- geometry and pointers (setLayout)
let S: i32 = 0;
let numRows: i32 = 0;
let rowShift: i32 = 0;
let strict: i32 = 0;
// per-pair scratch
let PX: usize = 0; // f64[S] x value at grid position p
let PY: usize = 0; // f64[S] y value
let PXR: usize = 0; // i32[S] x rank
let PYR: usize = 0; // i32[S] y rank
let CELL: usize = 0; // i32[cells + 2]
let CMIN: usize = 0; // f64[cols] column minima of x
let CMAX: usize = 0; // f64[cols] column maxima of x
let BEST: usize = 0; // f64[k] (general k)
let PSI: usize = 0; // f64[S + 1] digamma table
// x neuron: sorted values (address of rank 0, guards around), rank, colOfRank, colStart, colScale
let SX: usize = 0;
let RX: usize = 0;
let CRX: usize = 0;
let CSX: usize = 0;
let SCX: usize = 0;
// y neuron: sorted values (rank 0), order, colOfRank, colStart, colScale
let SY: usize = 0;
let OY: usize = 0;
let CRY: usize = 0;
let CSY: usize = 0;
let SCY: usize = 0;
// colOfRank element size per neuron: 1 = u16, 0 = i32
let smallX: i32 = 1;
let smallY: i32 = 1;

// the transposed grid (y as columns, sorted by x-rank inside): values, ranks, cells, column
// bounds; the position of each y-rank in it; x's order and y's rank (to build it)
let QX: usize = 0;
let QY: usize = 0;
let QXR: usize = 0;
let QYR: usize = 0;
let CELL2: usize = 0;
let CMIN2: usize = 0;
let CMAX2: usize = 0;
let POSY: usize = 0;
let OX: usize = 0;
let RY: usize = 0;
// y value of each x-rank, x value of each y-rank (sweep.ts)
let YOX: usize = 0;
let XOY: usize = 0;
// per grid position: which search (u8)
let HOW: usize = 0;
// search-rule.ts
const SWEEP_RATIO: f64 = 8;
const SWEEP_BUDGET: i32 = 32;
const TRANSPOSED_RATIO: f64 = 2;
const TRANSPOSED_MIN_SHARE: i32 = 4;

let sumYOut: f64 = 0;

export function setLayout(
  s: i32, nr: i32, rs: i32, st: i32,
  px: usize, py: usize, pxr: usize, pyr: usize, cell: usize, cmin: usize, cmax: usize, best: usize, psi: usize,
  sx: usize, rx: usize, crx: usize, csx: usize, scx: usize,
  sy: usize, oy: usize, cry: usize, csy: usize, scy: usize,
): void {
  S = s; numRows = nr; rowShift = rs; strict = st;
  PX = px; PY = py; PXR = pxr; PYR = pyr; CELL = cell; CMIN = cmin; CMAX = cmax; BEST = best; PSI = psi;
  SX = sx; RX = rx; CRX = crx; CSX = csx; SCX = scx;
  SY = sy; OY = oy; CRY = cry; CSY = csy; SCY = scy;
}

export function setLayout2(
  qx: usize, qy: usize, qxr: usize, qyr: usize, cell2: usize, cmin2: usize, cmax2: usize, posy: usize, ox: usize, ry: usize,
  yox: usize, xoy: usize, how: usize,
): void {
  QX = qx; QY = qy; QXR = qxr; QYR = qyr; CELL2 = cell2; CMIN2 = cmin2; CMAX2 = cmax2; POSY = posy; OX = ox; RY = ry;
  YOX = yox; XOY = xoy; HOW = how;
}

/** The y sum of the last mi() call. */
export function sumY(): f64 { return sumYOut; }

@inline function ldf(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function ldi(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
@inline function sti(base: usize, i: i32, v: i32): void { store<i32>(base + (<usize>i << 2), v); }
@inline function stf(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function colOf(base: usize, small: i32, r: i32): i32 {
  return small ? <i32>load<u16>(base + (<usize>r << 1)) : load<i32>(base + (<usize>r << 2));
}

// ---- grid.ts
// Columns of the neuron with rank `rx`, colOfRank `crx` (element size `sm`) and sorted values
// `sx`; rows by the rank of the neuron with order `oy` and sorted values `sy`.
function fillGrid(ncx: i32, rx: usize, crx: usize, sm: i32, oy: usize, sx: usize, sy: usize, cell: usize, px: usize, py: usize, pxr: usize, pyr: usize): void {
  const nCells = ncx * numRows;
  memory.fill(cell, 0, <usize>(nCells + 2) << 2);
  const n = S;
  for (let r = 0; r < n; r++) {
    const xr = ldi(rx, ldi(oy, r));
    const key = colOf(crx, sm, xr) * numRows + (r >> rowShift) + 2;
    sti(cell, key, ldi(cell, key) + 1);
  }
  for (let q = 2; q < nCells + 2; q++) sti(cell, q, ldi(cell, q) + ldi(cell, q - 1));
  for (let r = 0; r < n; r++) {
    const xr = ldi(rx, ldi(oy, r));
    const key = colOf(crx, sm, xr) * numRows + (r >> rowShift) + 1;
    const p = ldi(cell, key);
    sti(cell, key, p + 1);
    stf(px, p, ldf(sx, xr));
    stf(py, p, ldf(sy, r));
    sti(pxr, p, xr);
    sti(pyr, p, r);
  }
}

// ---- search3.ts (k = 3). b0 <= b1 <= b2: the three smallest distances so far.
function kth3(PX: usize, PY: usize, PYR: usize, CELL: usize, CSX: usize, CMIN: usize, CMAX: usize, ncx: i32, p: i32, c: i32): f64 {
  const xs = ldf(PX, p);
  const ys = ldf(PY, p);
  const yr = ldi(PYR, p);
  let b0 = Infinity, b1 = Infinity, b2 = Infinity;
  const cb = ldi(CSX, c);
  const ce = ldi(CSX, c + 1);
  for (let q = p + 1; q < ce; q++) {
    const dy = ldf(PY, q) - ys;
    if (dy >= b2) break;
    const dx = abs<f64>(ldf(PX, q) - xs);
    if (dx < b2) {
      const d = dx > dy ? dx : dy;
      if (d < b1) { b2 = b1; if (d < b0) { b1 = b0; b0 = d; } else b1 = d; } else b2 = d;
    }
  }
  for (let q = p - 1; q >= cb; q--) {
    const dy = ys - ldf(PY, q);
    if (dy >= b2) break;
    const dx = abs<f64>(ldf(PX, q) - xs);
    if (dx < b2) {
      const d = dx > dy ? dx : dy;
      if (d < b1) { b2 = b1; if (d < b0) { b1 = b0; b0 = d; } else b1 = d; } else b2 = d;
    }
  }
  let L = c - 1;
  let R = c + 1;
  let bl: f64 = L >= 0 ? xs - ldf(CMAX, L) : Infinity;
  let br: f64 = R < ncx ? ldf(CMIN, R) - xs : Infinity;
  const row = yr >> rowShift;
  for (;;) {
    let col: i32;
    if (bl <= br) {
      if (bl >= b2) break;
      col = L--;
      bl = L >= 0 ? xs - ldf(CMAX, L) : Infinity;
    } else {
      if (br >= b2) break;
      col = R++;
      br = R < ncx ? ldf(CMIN, R) - xs : Infinity;
    }
    const qb = ldi(CSX, col);
    const qe = ldi(CSX, col + 1);
    let q0 = ldi(CELL, col * numRows + row);
    while (q0 < qe && ldi(PYR, q0) < yr) q0++;
    for (let q = q0; q < qe; q++) {
      const dy = ldf(PY, q) - ys;
      if (dy >= b2) break;
      const dx = abs<f64>(ldf(PX, q) - xs);
      if (dx < b2) {
        const d = dx > dy ? dx : dy;
        if (d < b1) { b2 = b1; if (d < b0) { b1 = b0; b0 = d; } else b1 = d; } else b2 = d;
      }
    }
    for (let q = q0 - 1; q >= qb; q--) {
      const dy = ys - ldf(PY, q);
      if (dy >= b2) break;
      const dx = abs<f64>(ldf(PX, q) - xs);
      if (dx < b2) {
        const d = dx > dy ? dx : dy;
        if (d < b1) { b2 = b1; if (d < b0) { b1 = b0; b0 = d; } else b1 = d; } else b2 = d;
      }
    }
  }
  return b2;
}

// ---- search.ts (any k): best[0..k-1] ascending, kth = best[k-1]
@inline function insertBest(d: f64, km: i32): f64 {
  let m = km;
  while (m > 0 && ldf(BEST, m - 1) > d) {
    stf(BEST, m, ldf(BEST, m - 1));
    m--;
  }
  stf(BEST, m, d);
  return ldf(BEST, km);
}

function kthK(PX: usize, PY: usize, PYR: usize, CELL: usize, CSX: usize, CMIN: usize, CMAX: usize, ncx: i32, k: i32, p: i32, c: i32): f64 {
  const xs = ldf(PX, p);
  const ys = ldf(PY, p);
  const yr = ldi(PYR, p);
  const km = k - 1;
  for (let m = 0; m < k; m++) stf(BEST, m, Infinity);
  let kth = Infinity;
  const cb = ldi(CSX, c);
  const ce = ldi(CSX, c + 1);
  for (let q = p + 1; q < ce; q++) {
    const dy = ldf(PY, q) - ys;
    if (dy >= kth) break;
    const dx = abs<f64>(ldf(PX, q) - xs);
    if (dx < kth) kth = insertBest(dx > dy ? dx : dy, km);
  }
  for (let q = p - 1; q >= cb; q--) {
    const dy = ys - ldf(PY, q);
    if (dy >= kth) break;
    const dx = abs<f64>(ldf(PX, q) - xs);
    if (dx < kth) kth = insertBest(dx > dy ? dx : dy, km);
  }
  let L = c - 1;
  let R = c + 1;
  let bl: f64 = L >= 0 ? xs - ldf(CMAX, L) : Infinity;
  let br: f64 = R < ncx ? ldf(CMIN, R) - xs : Infinity;
  const row = yr >> rowShift;
  for (;;) {
    let col: i32;
    if (bl <= br) {
      if (bl >= kth) break;
      col = L--;
      bl = L >= 0 ? xs - ldf(CMAX, L) : Infinity;
    } else {
      if (br >= kth) break;
      col = R++;
      br = R < ncx ? ldf(CMIN, R) - xs : Infinity;
    }
    const qb = ldi(CSX, col);
    const qe = ldi(CSX, col + 1);
    let q0 = ldi(CELL, col * numRows + row);
    while (q0 < qe && ldi(PYR, q0) < yr) q0++;
    for (let q = q0; q < qe; q++) {
      const dy = ldf(PY, q) - ys;
      if (dy >= kth) break;
      const dx = abs<f64>(ldf(PX, q) - xs);
      if (dx < kth) kth = insertBest(dx > dy ? dx : dy, km);
    }
    for (let q = q0 - 1; q >= qb; q--) {
      const dy = ys - ldf(PY, q);
      if (dy >= kth) break;
      const dx = abs<f64>(ldf(PX, q) - xs);
      if (dx < kth) kth = insertBest(dx > dy ? dx : dy, km);
    }
  }
  return kth;
}

// ---- sweep.ts: k-th distance by a sweep along one neuron's sorted values; -1 past the budget
function kthSweep(v: usize, w: usize, r: i32, k: i32): f64 {
  const vs = ldf(v, r);
  const ws = ldf(w, r);
  const km = k - 1;
  for (let m = 0; m < k; m++) stf(BEST, m, Infinity);
  let kth: f64 = Infinity;
  let lo = r - 1;
  let hi = r + 1;
  let dl: f64 = vs - ldf(v, lo);
  let dh: f64 = ldf(v, hi) - vs;
  for (let seen = 0; ; seen++) {
    let dv: f64;
    let q: i32;
    if (dl <= dh) {
      if (dl >= kth) break;
      dv = dl;
      q = lo--;
      dl = vs - ldf(v, lo);
    } else {
      if (dh >= kth) break;
      dv = dh;
      q = hi++;
      dh = ldf(v, hi) - vs;
    }
    if (seen == SWEEP_BUDGET) return -1;
    const dw = abs<f64>(ldf(w, q) - ws);
    const d = dv > dw ? dv : dw;
    if (d < kth) kth = insertBest(d, km);
  }
  return kth;
}

// ---- ulp.ts: nextafter(x, 0) for finite x >= 0
@inline function prevDouble(x: f64): f64 {
  return x > 0 ? reinterpret<f64>(reinterpret<i64>(x) - 1) : 0;
}

// ---- marginal.ts
// JS: Math.min(rad * sc, S) | 0 (a position guess only). AS converts with i32.trunc_sat_f64_s
// (nontrapping-f2i, on by default): NaN -> 0 like `| 0`, no trap.
@inline function guess(rad: f64, sc: f64, n: i32): i32 {
  return <i32>min<f64>(rad * sc, <f64>n);
}

@inline function le(x: f64, rad: f64): i32 { return <i32>(x <= rad); }

function countWithin(a: usize, cs: usize, sc: usize, rank: i32, c: i32, v: f64, rad: f64): i32 {
  const n = S;
  const own = ldf(sc, c);
  // ---- upper end u: last rank with a[u] - v <= rad
  let g: i32;
  if (own > 0) {
    g = rank + guess(rad, own, n);
  } else {
    g = ldi(cs, c + 1) - 1 + guess(rad, ldf(sc, c + 1), n);
  }
  if (g > n - 1) g = n - 1;
  let lo = g - 32;
  if (lo < rank) lo = rank;
  let u: i32;
  if (ldf(a, lo) - v <= rad && ldf(a, lo + 64) - v > rad) {
    let b = lo;
    b += 16 * (le(ldf(a, b + 16) - v, rad) + le(ldf(a, b + 32) - v, rad) + le(ldf(a, b + 48) - v, rad));
    b += 4 * (le(ldf(a, b + 4) - v, rad) + le(ldf(a, b + 8) - v, rad) + le(ldf(a, b + 12) - v, rad));
    b += le(ldf(a, b + 1) - v, rad) + le(ldf(a, b + 2) - v, rad) + le(ldf(a, b + 3) - v, rad);
    u = b;
  } else {
    let b = rank;
    let m = n - rank;
    while (m > 1) {
      const h = m >>> 1;
      b += h * le(ldf(a, b + h) - v, rad);
      m -= h;
    }
    u = b;
  }
  // ---- lower end l: first rank with v - a[l] <= rad
  if (own > 0) {
    g = rank - guess(rad, own, n);
  } else {
    const st = ldi(cs, c);
    g = c > 0 ? st - guess(rad, ldf(sc, c - 1), n) : st;
  }
  if (g < 0) g = 0;
  let hi = g + 31;
  if (hi > rank) hi = rank;
  let l: i32;
  if (v - ldf(a, hi) <= rad && v - ldf(a, hi - 64) > rad) {
    let b = hi;
    b -= 16 * (le(v - ldf(a, b - 16), rad) + le(v - ldf(a, b - 32), rad) + le(v - ldf(a, b - 48), rad));
    b -= 4 * (le(v - ldf(a, b - 4), rad) + le(v - ldf(a, b - 8), rad) + le(v - ldf(a, b - 12), rad));
    b -= le(v - ldf(a, b - 1), rad) + le(v - ldf(a, b - 2), rad) + le(v - ldf(a, b - 3), rad);
    l = b;
  } else {
    let b = rank;
    let m = rank + 1;
    while (m > 1) {
      const h = m >>> 1;
      b -= h * le(v - ldf(a, b - h), rad);
      m -= h;
    }
    l = b;
  }
  return u - l;
}

// ---- kernel.ts: the per-point loop. Returns sum_s psi(n_x(s) + 1); sumY() gives the y sum.
export function mi(k: i32, ncx: i32, ncy: i32, sx: i32, sy: i32): f64 {
  smallX = sx;
  smallY = sy;
  fillGrid(ncx, RX, CRX, sx, OY, SX, SY, CELL, PX, PY, PXR, PYR);
  for (let c = 0; c < ncx; c++) {
    stf(CMIN, c, ldf(SX, ldi(CSX, c)));
    stf(CMAX, c, ldf(SX, ldi(CSX, c + 1) - 1));
  }
  for (let c = 0; c < ncy; c++) {
    stf(CMIN2, c, ldf(SY, ldi(CSY, c)));
    stf(CMAX2, c, ldf(SY, ldi(CSY, c + 1) - 1));
  }
  // which search for each point (search-rule.ts): 0 grid, 1 transposed grid, 2/3 sweep x/y
  let nT = 0;
  let nSweep = 0;
  for (let c = 0; c < ncx; c++) {
    const wx = ldf(CMAX, c) - ldf(CMIN, c);
    const pe = ldi(CSX, c + 1);
    for (let p = ldi(CSX, c); p < pe; p++) {
      const c2 = colOf(CRY, sy, ldi(PYR, p));
      const wy = ldf(CMAX2, c2) - ldf(CMIN2, c2);
      const h: i32 = wx > SWEEP_RATIO * wy ? 2 : wy > SWEEP_RATIO * wx ? 3 : wy > TRANSPOSED_RATIO * wx ? 1 : 0;
      store<u8>(HOW + <usize>p, <u8>h);
      if (h >= 2) nSweep++;
      if (h == 1 || h == 3) nT++;
    }
  }
  const transposed = nT * TRANSPOSED_MIN_SHARE >= S;
  if (transposed) {
    fillGrid(ncy, RY, CRY, sy, OX, SY, SX, CELL2, QX, QY, QXR, QYR);
    for (let q = 0; q < S; q++) sti(POSY, ldi(QXR, q), q);
  }
  if (nSweep > 0) {
    for (let p = 0; p < S; p++) {
      stf(YOX, ldi(PXR, p), ldf(PY, p));
      stf(XOY, ldi(PYR, p), ldf(PX, p));
    }
  }
  let sumX: f64 = 0;
  let sumY: f64 = 0;
  for (let c = 0; c < ncx; c++) {
    const pe = ldi(CSX, c + 1);
    for (let p = ldi(CSX, c); p < pe; p++) {
      const h = <i32>load<u8>(HOW + <usize>p);
      let eps: f64 = h == 2 ? kthSweep(SX, YOX, ldi(PXR, p), k) : h == 3 ? kthSweep(SY, XOY, ldi(PYR, p), k) : -1;
      if (eps < 0 && transposed && (h == 1 || h == 3)) {
        const yr0 = ldi(PYR, p);
        const c2 = colOf(CRY, sy, yr0);
        const q = ldi(POSY, yr0);
        eps = k == 3 ? kth3(QX, QY, QYR, CELL2, CSY, CMIN2, CMAX2, ncy, q, c2) : kthK(QX, QY, QYR, CELL2, CSY, CMIN2, CMAX2, ncy, k, q, c2);
      } else if (eps < 0) {
        eps = k == 3 ? kth3(PX, PY, PYR, CELL, CSX, CMIN, CMAX, ncx, p, c) : kthK(PX, PY, PYR, CELL, CSX, CMIN, CMAX, ncx, k, p, c);
      }
      let nx = 0;
      let ny = 0;
      if (eps > 0 || strict == 0) {
        const rad = prevDouble(eps);
        const yr = ldi(PYR, p);
        nx = countWithin(SX, CSX, SCX, ldi(PXR, p), c, ldf(PX, p), rad);
        ny = countWithin(SY, CSY, SCY, yr, colOf(CRY, sy, yr), ldf(PY, p), rad);
      }
      sumX += ldf(PSI, nx + 1);
      sumY += ldf(PSI, ny + 1);
    }
  }
  sumYOut = sumY;
  return sumX;
}
