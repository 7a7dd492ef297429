// AssemblyScript port of the KSG pair kernel (see src/core/mi/ksg/kernel.ts). Experiment.
// All arrays live in linear memory at offsets set by init(); JS copies the two neurons in.

let S: i32 = 0;
let numRows: i32 = 0;
let rowShift: i32 = 0;
let strict: i32 = 0;
let smallCols: i32 = 0;
// scratch
let PX: usize = 0;
let PY: usize = 0;
let PXR: usize = 0;
let PYR: usize = 0;
let CELL: usize = 0;
let CMIN: usize = 0;
let CMAX: usize = 0;
let PSI: usize = 0;
// x neuron: sorted (rank 0), rank, colOfRank, colStart, colScale
let SX: usize = 0;
let RX: usize = 0;
let CRX: usize = 0;
let CSX: usize = 0;
let SCX: usize = 0;
// y neuron: sorted (rank 0), order, colOfRank, colStart, colScale
let SY: usize = 0;
let OY: usize = 0;
let CRY: usize = 0;
let CSY: usize = 0;
let SCY: usize = 0;

let sumYOut: f64 = 0;

export function init(
  s: i32, nr: i32, rs: i32, st: i32, sm: i32,
  px: usize, py: usize, pxr: usize, pyr: usize, cell: usize, cmin: usize, cmax: usize, psi: usize,
  sx: usize, rx: usize, crx: usize, csx: usize, scx: usize,
  sy: usize, oy: usize, cry: usize, csy: usize, scy: usize,
): void {
  S = s; numRows = nr; rowShift = rs; strict = st; smallCols = sm;
  PX = px; PY = py; PXR = pxr; PYR = pyr; CELL = cell; CMIN = cmin; CMAX = cmax; PSI = psi;
  SX = sx; RX = rx; CRX = crx; CSX = csx; SCX = scx;
  SY = sy; OY = oy; CRY = cry; CSY = csy; SCY = scy;
}

export function sumY(): f64 { return sumYOut; }

@inline function ldf(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
@inline function ldi(base: usize, i: i32): i32 { return load<i32>(base + (<usize>i << 2)); }
@inline function sti(base: usize, i: i32, v: i32): void { store<i32>(base + (<usize>i << 2), v); }
@inline function stf(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }
@inline function colOf(base: usize, r: i32): i32 {
  return smallCols ? <i32>load<u16>(base + (<usize>r << 1)) : load<i32>(base + (<usize>r << 2));
}

function fillGrid(ncx: i32): void {
  const nCells = ncx * numRows;
  memory.fill(CELL, 0, <usize>(nCells + 2) << 2);
  const n = S;
  for (let r = 0; r < n; r++) {
    const xr = ldi(RX, ldi(OY, r));
    const key = colOf(CRX, xr) * numRows + (r >> rowShift) + 2;
    sti(CELL, key, ldi(CELL, key) + 1);
  }
  for (let q = 2; q < nCells + 2; q++) sti(CELL, q, ldi(CELL, q) + ldi(CELL, q - 1));
  for (let r = 0; r < n; r++) {
    const xr = ldi(RX, ldi(OY, r));
    const key = colOf(CRX, xr) * numRows + (r >> rowShift) + 1;
    const p = ldi(CELL, key);
    sti(CELL, key, p + 1);
    stf(PX, p, ldf(SX, xr));
    stf(PY, p, ldf(SY, r));
    sti(PXR, p, xr);
    sti(PYR, p, r);
  }
}

// k = 3 search state
let b0: f64 = 0;
let b1: f64 = 0;
let b2: f64 = 0;

@inline function insert(d: f64): void {
  if (d < b1) {
    b2 = b1;
    if (d < b0) {
      b1 = b0;
      b0 = d;
    } else b1 = d;
  } else b2 = d;
}

function kth3(ncx: i32, p: i32, c: i32): f64 {
  const xs = ldf(PX, p);
  const ys = ldf(PY, p);
  const yr = ldi(PYR, p);
  let B0 = Infinity, B1 = Infinity, B2 = Infinity;
  const cb = ldi(CSX, c);
  const ce = ldi(CSX, c + 1);
  for (let q = p + 1; q < ce; q++) {
    const dy = ldf(PY, q) - ys;
    if (dy >= B2) break;
    const dx = abs<f64>(ldf(PX, q) - xs);
    if (dx < B2) {
      const d = dx > dy ? dx : dy;
      if (d < B1) { B2 = B1; if (d < B0) { B1 = B0; B0 = d; } else B1 = d; } else B2 = d;
    }
  }
  for (let q = p - 1; q >= cb; q--) {
    const dy = ys - ldf(PY, q);
    if (dy >= B2) break;
    const dx = abs<f64>(ldf(PX, q) - xs);
    if (dx < B2) {
      const d = dx > dy ? dx : dy;
      if (d < B1) { B2 = B1; if (d < B0) { B1 = B0; B0 = d; } else B1 = d; } else B2 = d;
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
      if (bl >= B2) break;
      col = L--;
      bl = L >= 0 ? xs - ldf(CMAX, L) : Infinity;
    } else {
      if (br >= B2) break;
      col = R++;
      br = R < ncx ? ldf(CMIN, R) - xs : Infinity;
    }
    const qb = ldi(CSX, col);
    const qe = ldi(CSX, col + 1);
    let q0 = ldi(CELL, col * numRows + row);
    while (q0 < qe && ldi(PYR, q0) < yr) q0++;
    for (let q = q0; q < qe; q++) {
      const dy = ldf(PY, q) - ys;
      if (dy >= B2) break;
      const dx = abs<f64>(ldf(PX, q) - xs);
      if (dx < B2) {
        const d = dx > dy ? dx : dy;
        if (d < B1) { B2 = B1; if (d < B0) { B1 = B0; B0 = d; } else B1 = d; } else B2 = d;
      }
    }
    for (let q = q0 - 1; q >= qb; q--) {
      const dy = ys - ldf(PY, q);
      if (dy >= B2) break;
      const dx = abs<f64>(ldf(PX, q) - xs);
      if (dx < B2) {
        const d = dx > dy ? dx : dy;
        if (d < B1) { B2 = B1; if (d < B0) { B1 = B0; B0 = d; } else B1 = d; } else B2 = d;
      }
    }
  }
  return B2;
}

@inline function prevDouble(x: f64): f64 {
  return x > 0 ? reinterpret<f64>(reinterpret<i64>(x) - 1) : 0;
}

@inline function guess(rad: f64, sc: f64, n: i32): i32 {
  return <i32>min<f64>(rad * sc, <f64>n);
}

@inline function le(x: f64, rad: f64): i32 { return <i32>(x <= rad); }

function countWithin(a: usize, cs: usize, sc: usize, rank: i32, c: i32, v: f64, rad: f64): i32 {
  const n = S;
  const own = ldf(sc, c);
  let g: i32;
  if (own > 0) {
    g = rank + guess(rad, own, n);
  } else {
    const e = ldi(cs, c + 1) - 1;
    g = e + guess(rad, ldf(sc, c + 1), n);
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
    let m = n - 1 - rank + 1;
    while (m > 1) {
      const h = m >>> 1;
      b += h * le(ldf(a, b + h) - v, rad);
      m -= h;
    }
    u = b;
  }
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

/** Returns sumX; sumY() gives sumY. */
export function mi3(ncx: i32): f64 {
  fillGrid(ncx);
  for (let c = 0; c < ncx; c++) {
    stf(CMIN, c, ldf(SX, ldi(CSX, c)));
    stf(CMAX, c, ldf(SX, ldi(CSX, c + 1) - 1));
  }
  let sX: f64 = 0;
  let sY: f64 = 0;
  for (let c = 0; c < ncx; c++) {
    const pe = ldi(CSX, c + 1);
    for (let p = ldi(CSX, c); p < pe; p++) {
      const eps = kth3(ncx, p, c);
      let nx = 0;
      let ny = 0;
      if (eps > 0 || strict == 0) {
        const rad = prevDouble(eps);
        const yr = ldi(PYR, p);
        nx = countWithin(SX, CSX, SCX, ldi(PXR, p), c, ldf(PX, p), rad);
        ny = countWithin(SY, CSY, SCY, yr, colOf(CRY, yr), ldf(PY, p), rad);
      }
      sX += ldf(PSI, nx + 1);
      sY += ldf(PSI, ny + 1);
    }
  }
  sumYOut = sY;
  return sX;
}
