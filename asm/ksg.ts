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
// (x - one ulp for x > 0, else x: integer arithmetic, no f64 select, which V8 lowers to a branch)
@inline function prevDouble(x: f64): f64 {
  return reinterpret<f64>(reinterpret<i64>(x) - <i64>(x > 0));
}

// ---- marginal.ts
// A position offset guess, rad * sc ranks, in [0, n] (only a guess: every count checks it). JS:
// Math.min(rad * sc, S) | 0. Here rad * sc is rounded by the 2^52 trick (the low word of the
// sum's bits is the nearest integer for 0 <= rad * sc < 2^31), cheaper than V8's checked
// i32.trunc_sat_f64_s; any other value (huge, Infinity, NaN) gives some word, and the unsigned
// test sends negative ones to n (an i32 select, which V8 compiles to cmov).
@inline function guess(rad: f64, sc: f64, n: i32): i32 {
  const w = <i32>reinterpret<i64>(rad * sc + 4503599627370496.0);
  return <u32>w < <u32>n ? w : n;
}

@inline function le(x: f64, rad: f64): i32 { return <i32>(x <= rad); }

// Every 8th sorted value of the x and y neurons: B8X[j] = SX[8 j] for 0 <= 8 j <= S - 1, with
// STRIDED_GUARD guard entries on each side (-Infinity below, +Infinity above), filled per pair
// by fillStrided. countWithin's first level searches it, 8 values at a time.
let B8X: usize = 0;
let B8Y: usize = 0;
const STRIDED_GUARD: i32 = 16;
// Count ends (bench and tests only, reset by mi and mi3): the strided window slid once, the
// binary search after it.
let nSlid: i32 = 0;
let nSearched: i32 = 0;

export function setLayout4(b8x: usize, b8y: usize): void {
  B8X = b8x; B8Y = b8y;
}

function fillStrided(a: usize, b8: usize): void {
  const last = (S - 1) >> 3;
  for (let j = -STRIDED_GUARD; j < 0; j++) stf(b8, j, -Infinity);
  for (let j = 0; j <= last; j++) stf(b8, j, ldf(a, j << 3));
  for (let j = last + 1; j <= last + STRIDED_GUARD; j++) stf(b8, j, Infinity);
}

// #{i < 8: p[i] - v <= rad} and #{i < 8: v - p[i] <= rad} for the 8 values from p, two at a time
// (the scalar searches' comparisons, lane by lane: f64x2.le gives -1 per true lane).
@inline function countAbove8(p: usize, vv: v128, rv: v128): i32 {
  let acc = f64x2.le(f64x2.sub(v128.load(p), vv), rv);
  acc = i64x2.add(acc, f64x2.le(f64x2.sub(v128.load(p, 16), vv), rv));
  acc = i64x2.add(acc, f64x2.le(f64x2.sub(v128.load(p, 32), vv), rv));
  acc = i64x2.add(acc, f64x2.le(f64x2.sub(v128.load(p, 48), vv), rv));
  return -<i32>(i64x2.extract_lane(acc, 0) + i64x2.extract_lane(acc, 1));
}
@inline function countBelow8(p: usize, vv: v128, rv: v128): i32 {
  let acc = f64x2.le(f64x2.sub(vv, v128.load(p)), rv);
  acc = i64x2.add(acc, f64x2.le(f64x2.sub(vv, v128.load(p, 16)), rv));
  acc = i64x2.add(acc, f64x2.le(f64x2.sub(vv, v128.load(p, 32)), rv));
  acc = i64x2.add(acc, f64x2.le(f64x2.sub(vv, v128.load(p, 48)), rv));
  return -<i32>(i64x2.extract_lane(acc, 0) + i64x2.extract_lane(acc, 1));
}

// The upper end of #{t != rank: |a[t] - v| <= rad} for the value v at `rank` of the sorted
// values a (every 8th in b8), column c: u, the last rank with a[u] - v <= rad (monotone in t). A
// guess from the column's scale, then the 8 strided values around it (64 ranks) bracket the end
// between two of them, and the 8 values there give it; where the guess misses, a branch-free
// binary search over all ranks. The same comparisons as marginal.ts, so the same end.
function upperEnd(a: usize, b8: usize, cs: usize, sc: usize, rank: i32, c: i32, own: f64, vv: v128, rv: v128, v: f64, rad: f64): i32 {
  const n = S;
  let g: i32;
  if (own > 0) {
    g = rank + guess(rad, own, n);
  } else {
    g = ldi(cs, c + 1) - 1 + guess(rad, ldf(sc, c + 1), n);
  }
  if (g > n - 1) g = n - 1;
  let j0 = (g >> 3) - 4;
  let t1 = countAbove8(b8 + <usize>(j0 << 3), vv, rv); // true at b8[j0 .. j0 + t1 - 1]
  // all 8 true: the end is above them; none: below. Slide the window once (7 entries)
  if (t1 == 8) {
    nSlid++;
    j0 += 7;
    t1 = countAbove8(b8 + <usize>(j0 << 3), vv, rv);
  } else if (t1 == 0) {
    nSlid++;
    j0 -= 7;
    t1 = countAbove8(b8 + <usize>(j0 << 3), vv, rv);
  }
  if (<u32>(t1 - 1) < 7) {
    const js = j0 + t1 - 1; // a[8 js] true, a[8 js + 8] false
    return (js << 3) + countAbove8(a + <usize>(js << 6), vv, rv) - 1;
  }
  nSearched++;
  let b = rank;
  let m = n - rank;
  while (m > 1) {
    const h = m >>> 1;
    b += h * le(ldf(a, b + h) - v, rad);
    m -= h;
  }
  return b;
}

// The lower end: l, the first rank with v - a[l] <= rad; as upperEnd.
function lowerEnd(a: usize, b8: usize, cs: usize, sc: usize, rank: i32, c: i32, own: f64, vv: v128, rv: v128, v: f64, rad: f64): i32 {
  const n = S;
  let g: i32;
  if (own > 0) {
    g = rank - guess(rad, own, n);
  } else {
    const st = ldi(cs, c);
    g = c > 0 ? st - guess(rad, ldf(sc, c - 1), n) : st;
  }
  if (g < 0) g = 0;
  let k0 = (g >> 3) - 4;
  let f1 = 8 - countBelow8(b8 + <usize>(k0 << 3), vv, rv); // false at b8[k0 .. k0 + f1 - 1]
  if (f1 == 8) {
    nSlid++;
    k0 += 7;
    f1 = 8 - countBelow8(b8 + <usize>(k0 << 3), vv, rv);
  } else if (f1 == 0) {
    nSlid++;
    k0 -= 7;
    f1 = 8 - countBelow8(b8 + <usize>(k0 << 3), vv, rv);
  }
  if (<u32>(f1 - 1) < 7) {
    const jl = k0 + f1 - 1; // a[8 jl] false, a[8 jl + 8] true
    return (jl << 3) + 8 - countBelow8(a + <usize>(jl << 6), vv, rv);
  }
  nSearched++;
  let b = rank;
  let m = rank + 1;
  while (m > 1) {
    const h = m >>> 1;
    b -= h * le(v - ldf(a, b - h), rad);
    m -= h;
  }
  return b;
}

// #{t != rank: |a[t] - v| <= rad}: u - l (upperEnd, lowerEnd).
function countWithin(a: usize, b8: usize, cs: usize, sc: usize, rank: i32, c: i32, v: f64, rad: f64): i32 {
  const vv = f64x2.splat(v);
  const rv = f64x2.splat(rad);
  const own = ldf(sc, c);
  return upperEnd(a, b8, cs, sc, rank, c, own, vv, rv, v, rad) - lowerEnd(a, b8, cs, sc, rank, c, own, vv, rv, v, rad);
}

// ---- bucket tables: a direct first guess for the counts' ends
// For a neuron's sorted values a: BUCKETS = BPP S (rounded up to a multiple of 4) equal-width
// buckets between lo = a[q] and a[S - 1 - q] (q: see fillBuckets), bucketOf(w) =
// round((w - lo) inv) clamped to [0, BUCKETS - 1] (monotone in w), and T[b] = the first rank t
// with bucketOf(a[t]) >= b (T[BUCKETS] = S). The upper end u of the run of values within rad of
// v is near the top of bucket b = bucketOf(v + rad): the 8 values a[T[b + 1] - 7 ..] are
// compared (countAbove8); the lower end l near the bottom of b' = bucketOf(v - rad):
// a[T[b'] - 1 ..] (countBelow8). Where the end is not strictly inside those 8 values (a bucket
// of more than 6 values, rounding), upperEnd / lowerEnd find it. Anchoring u at its bucket's top
// and l at its bottom also serves a long run of ties (the zeros of ReLU units) that fills one
// bucket. The table is only a guess: every end is still given by the exact comparisons, so the
// counts are the same.
const BPP: i32 = 2;
let BUCKETS: i32 = 0;
let TX: usize = 0;
let TY: usize = 0;
let loX: f64 = 0;
let invX: f64 = 0;
let loY: f64 = 0;
let invY: f64 = 0;
// Buckets used / missed (bench only)
let nBucketHit: i32 = 0;
let nBucketMiss: i32 = 0;

/** Buckets per value (wasm.ts sizes the tables by it: BPP S + 4 i32 each). */
export function bucketsPerValue(): i32 { return BPP; }

export function setLayout5(tx: usize, ty: usize): void {
  TX = tx; TY = ty;
}

// round(x) + 2^20 in the low word of x + 2^52 + 2^20 (for -2^20 < x < 2^31 - 2^20; any other x gives
// some bucket, which only costs a miss)
@inline function bucketOf(w: f64, lo: f64, inv: f64): i32 {
  let b = <i32>reinterpret<i64>((w - lo) * inv + 4503599628419072.0) - (1 << 20);
  b = b < 0 ? 0 : b;
  const last = BUCKETS - 1;
  return b > last ? last : b;
}

// The table's value range leaves out q ranks at each end: a few huge values (the outlier units
// of transformers, heavy tails) would otherwise stretch the buckets until the bulk of the values
// shares a few of them. Values beyond the range fall in the end buckets (their counts' ends then
// mostly miss and are searched). q: the first of 0, S >> 8 and S >> 6 whose buckets are not
// crowded.
// The table's low end (set by fillBuckets).
let bucketLo: f64 = 0;

// Whether the buckets of [a[q], a[S - 1 - q]] (inv buckets per unit) are crowded: more than 1
// in 16 of the sampled runs of 7 consecutive ranks between, not all tied, fall in one bucket (a
// miss costs several hits' savings).
function crowded(a: usize, q: i32, inv: f64): bool {
  const lo = ldf(a, q);
  const end = S - q;
  let samples = 0;
  let full = 0;
  for (let r = q; r + 6 < end; r += 32) {
    const v0 = ldf(a, r);
    const v6 = ldf(a, r + 6);
    samples++;
    full += <i32>(bucketOf(v6, lo, inv) == bucketOf(v0, lo, inv)) & <i32>(v6 != v0);
  }
  return full * 16 > samples;
}

// Buckets per unit of value for the range [a[q], a[S - 1 - q]]; 0 where it is empty or too small.
function bucketScale(a: usize, q: i32): f64 {
  const span = ldf(a, S - 1 - q) - ldf(a, q);
  const inv = <f64>BUCKETS / span;
  return span > 0 && isFinite(inv) ? inv : 0;
}

// Fills the table of the sorted values a into t; returns inv (0: no table, every end searched:
// the range is empty, or its buckets are crowded at every trim) and sets bucketLo.
// Branch-free: bucketOf(a[r]) is non-decreasing in r, so T[b] is the least r of bucket b (r
// stored in descending order, the last store wins), or of the next non-empty bucket above b (a
// suffix minimum), or S.
function fillBuckets(a: usize, t: usize): f64 {
  const n = S;
  // the first of q = 0, S >> 8, S >> 6 whose buckets are not crowded
  let q = 0;
  let inv = bucketScale(a, q);
  for (let step = 0; inv == 0 || crowded(a, q, inv); step++) {
    if (step == 2) return 0;
    q = step == 0 ? n >> 8 : n >> 6;
    inv = bucketScale(a, q);
  }
  const lo = ldf(a, q);
  bucketLo = lo;
  const nv = i32x4.splat(n);
  for (let b = 0; b <= BUCKETS; b += 4) v128.store(t + (<usize>b << 2), nv);
  for (let r = n - 1; r >= 0; r--) sti(t, bucketOf(ldf(a, r), lo, inv), r);
  // suffix minima, 4 entries a step from the top (BUCKETS is a multiple of 4): within the step
  // by two shifted minima, then with the minimum carried from above
  let m = nv;
  for (let b = BUCKETS - 4; b >= 0; b -= 4) {
    const p = t + (<usize>b << 2);
    let v = v128.load(p);
    v = i32x4.min_s(v, i32x4.shuffle(v, v, 1, 2, 3, 3));
    v = i32x4.min_s(v, i32x4.shuffle(v, v, 2, 3, 3, 3));
    v = i32x4.min_s(v, m);
    v128.store(p, v);
    m = i32x4.shuffle(v, v, 0, 0, 0, 0);
  }
  return inv;
}

// countWithin with the bucket table t (lo, inv) as the first guess of both ends.
@inline function countBucketed(a: usize, b8: usize, cs: usize, sc: usize, t: usize, lo: f64, inv: f64, rank: i32, c: i32, v: f64, rad: f64): i32 {
  if (inv == 0) return countWithin(a, b8, cs, sc, rank, c, v, rad);
  const vv = f64x2.splat(v);
  const rv = f64x2.splat(rad);
  const r0 = ldi(t, bucketOf(v + rad, lo, inv) + 1) - 7;
  const t1 = countAbove8(a + (<usize>r0 << 3), vv, rv); // true at a[r0 .. r0 + t1 - 1]
  let u: i32;
  if (<u32>(t1 - 1) < 7) {
    nBucketHit++;
    u = r0 + t1 - 1;
  } else {
    nBucketMiss++;
    u = upperEnd(a, b8, cs, sc, rank, c, ldf(sc, c), vv, rv, v, rad);
  }
  const r1 = ldi(t, bucketOf(v - rad, lo, inv)) - 1;
  const f1 = 8 - countBelow8(a + (<usize>r1 << 3), vv, rv); // false at a[r1 .. r1 + f1 - 1]
  let l: i32;
  if (<u32>(f1 - 1) < 7) {
    nBucketHit++;
    l = r1 + f1;
  } else {
    nBucketMiss++;
    l = lowerEnd(a, b8, cs, sc, rank, c, ldf(sc, c), vv, rv, v, rad);
  }
  return u - l;
}

// The least and greatest value of each of the nc columns of the sorted values a (column starts
// cs) into cmin, cmax.
function columnBounds(a: usize, cs: usize, nc: i32, cmin: usize, cmax: usize): void {
  for (let c = 0; c < nc; c++) {
    stf(cmin, c, ldf(a, ldi(cs, c)));
    stf(cmax, c, ldf(a, ldi(cs, c + 1) - 1));
  }
}

// The per-neuron tables of a pair: the strided values, bucket table and column bounds of x
// (unless sameX: x is the last call's neuron, wasm.ts copied only y's slices, and its tables are
// still here) and of y; the count-end counters reset.
function neuronTables(ncx: i32, ncy: i32, sameX: i32): void {
  BUCKETS = (BPP * S + 3) & ~3;
  if (!sameX) {
    fillStrided(SX, B8X);
    invX = TX != 0 ? fillBuckets(SX, TX) : 0;
    loX = bucketLo;
    columnBounds(SX, CSX, ncx, CMIN, CMAX);
  }
  fillStrided(SY, B8Y);
  invY = TY != 0 ? fillBuckets(SY, TY) : 0;
  loY = bucketLo;
  columnBounds(SY, CSY, ncy, CMIN2, CMAX2);
  nSlid = 0; nSearched = 0; nBucketHit = 0; nBucketMiss = 0;
}

// ---- kernel.ts: the per-point loop. Returns sum_s psi(n_x(s) + 1); sumY() gives the y sum.
// sameX: as neuronTables.
export function mi(k: i32, ncx: i32, ncy: i32, sx: i32, sy: i32, sameX: i32): f64 {
  smallX = sx;
  smallY = sy;
  fillGrid(ncx, RX, CRX, sx, OY, SX, SY, CELL, PX, PY, PXR, PYR);
  neuronTables(ncx, ncy, sameX);
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
        nx = countBucketed(SX, B8X, CSX, SCX, TX, loX, invX, ldi(PXR, p), c, ldf(PX, p), rad);
        ny = countBucketed(SY, B8Y, CSY, SCY, TY, loY, invY, yr, colOf(CRY, sy, yr), ldf(PY, p), rad);
      }
      sumX += ldf(PSI, nx + 1);
      sumY += ldf(PSI, ny + 1);
    }
  }
  sumYOut = sumY;
  return sumX;
}

// ==== k = 3: the certified window search (mi3) ===========================================
// The same per-point results and the same summation order as mi() (grid position order =
// slot order below), so the sums are bit-for-bit those of mi() and of the JS engine.
//
// Per point (x_s, y_s), instead of a search whose every step is a data-dependent branch:
// 1. a fixed window of candidates, distances max(|dx|, |dy|) two at a time (f64x2) into two
//    branch-free per-lane top-3 sets; e = the 3rd smallest of the lanes' triples. Windows: a
//    sweep of SWEEP ranks on each side along x (or y) when the point's x column is more than
//    SWEEP_RATIO times wider in value than its y column (or the reverse); else WO slots on each
//    side in the point's own column and 2 WN slots around its y rank's place in columns c +- 1
//    (then, if needed, c +- 2).
// 2. a certificate: e is a real 3rd distance, so the true k-th distance eps <= e; if every
//    unexamined point is at distance >= e (bounds: the x gap to the first unexamined column, the
//    |dy| of the first unexamined slot of each examined column, or the gap to the first
//    unexamined rank of a sweep), fewer than 3 points are closer than e, so eps = e exactly.
//    When several windows were tried, e is the least of their 3rd distances: still a real 3rd
//    distance, and the last windows' bounds still certify it (fewer than 3 of their points are
//    closer than their own 3rd distance >= e).
// 3. uncertified points (1-5%): exact3, the exact scan with every bound starting at e.
// A certified sweep with e > 0 saw every point within e along its axis, so that axis's marginal
// count is read off its window (countWindow) instead of searched (countWithin): same comparisons.
//
// Slots: the points laid out by x column (the store's columns), y rank inside, in one pass.
// Around them, guard slots: a point's windows below it (in y) read -Infinity guards, those above
// it +Infinity guards, so every distance to a guard is +Infinity while the sorted axis's
// difference is taken signed (no |.|). Layout: LEAD slots (HALF -Inf, HALF +Inf: the virtual
// columns -2 and -1 sit between them; then HALF -Inf), the columns with GAP = 2 HALF slots
// between them (HALF +Inf, then HALF -Inf), then LEAD slots (HALF +Inf, HALF -Inf, the virtual
// columns ncx and ncx + 1, HALF +Inf). While a point is placed, the cursors of columns c +- 1,
// c +- 2 and c +- 3 are where its y rank falls in them (the first slot there of a larger y
// rank): they are copied into its record (NB, nb()).
// window half-widths (even): WO slots on each side in the point's own column, WN on each side
// of its y rank's place in the other columns; HALF > both
const WO: i32 = 4;
const WN: i32 = 6;
const HALF: i32 = 7;
const GAP: i32 = 2 * HALF;
const LEAD: i32 = 3 * HALF;
// sweep windows: SWEEP ranks on each side (8: countWindow counts them as two 8-value blocks; the
// sweep arrays have 32 guards each side)
const SWEEP: i32 = 8;
let GX: usize = 0; // f64 slots: x value
let GY: usize = 0; // f64 slots: y value (+Infinity in guards)
let GYR: usize = 0; // i32 slots: y rank (points only)
let GXR: usize = 0; // i32 slots: x rank (points only)
let CUR: usize = 0; // i32[ncx + 8]: cursor of column c at c + 3 (three virtual columns each side, one spare: placeSlots reads 8 from c)
let CSL: usize = 0; // i32[ncx + 1]: first slot of column c

// The slot q's record, 8 i32: where its y rank falls in columns c - 3 .. c + 4 (c its own column;
// entries 3 and 7 unused), i.e. the first slot there of a larger y rank. One record, written
// with two v128 stores, instead of one array per column offset: fewer cache lines per point.
let NB: usize = 0;
/** The slot where q's y rank falls in column c + d (d = -3 .. 3, d != 0). */
@inline function nb(q: i32, d: i32): i32 { return load<i32>(NB + (<usize>q << 5) + (<usize>(d + 3) << 2)); }

export function setLayout3(gx: usize, gy: usize, gyr: usize, gxr: usize, nb: usize, cur: usize, csl: usize): void {
  GX = gx; GY = gy; GYR = gyr; GXR = gxr; NB = nb; CUR = cur; CSL = csl;
}

function placeSlots(ncx: i32): void {
  const end = LEAD + S + GAP * (ncx - 1); // the first slot after the last column
  const total = end + LEAD;
  // -Infinity guards everywhere first, then the +Infinity runs (points overwrite their slots)
  const ninf = f64x2.splat(-Infinity);
  const zero = f64x2.splat(0);
  for (let q = 0; q < total; q += 2) {
    v128.store(GY + (<usize>q << 3), ninf);
    v128.store(GX + (<usize>q << 3), zero);
  }
  plusInf(HALF);
  for (let c = 0; c < ncx; c++) {
    const s = LEAD + ldi(CSX, c) + GAP * c;
    sti(CSL, c, s);
    sti(CUR, c + 3, s);
    plusInf(s + ldi(CSX, c + 1) - ldi(CSX, c));
  }
  plusInf(end + 2 * HALF);
  sti(CSL, ncx, LEAD + S + GAP * ncx);
  // virtual columns -3..-1 and ncx..ncx + 2: between a -Inf and a +Inf run
  for (let v = 0; v < 3; v++) {
    sti(CUR, v, HALF);
    sti(CUR, ncx + 3 + v, end + 2 * HALF);
  }
  const sm = smallX;
  for (let r = 0; r < S; r++) {
    const xr = ldi(RX, ldi(OY, r));
    const c = colOf(CRX, sm, xr);
    const q = ldi(CUR, c + 3);
    sti(CUR, c + 3, q + 1);
    stf(GX, q, ldf(SX, xr));
    stf(GY, q, ldf(SY, r));
    sti(GYR, q, r);
    sti(GXR, q, xr);
    // the cursors of columns c - 3 .. c + 4, as they are now, into the slot's record
    const from = CUR + (<usize>c << 2);
    const to = NB + (<usize>q << 5);
    v128.store(to, v128.load(from));
    v128.store(to, v128.load(from, 16), 16);
  }
}

// HALF +Infinity guards from slot q
@inline function plusInf(q: i32): void {
  for (let t = 0; t < HALF; t++) stf(GY, q + t, Infinity);
}

// Two running top-3 sets, A and B (A0 <= A1 <= A2 in each lane, B likewise), of the current
// window search: two independent chains, so the min/max latencies overlap.
let A0: v128 = f64x2.splat(Infinity);
let A1: v128 = f64x2.splat(Infinity);
let A2: v128 = f64x2.splat(Infinity);
let B0: v128 = f64x2.splat(Infinity);
let B1: v128 = f64x2.splat(Infinity);
let B2: v128 = f64x2.splat(Infinity);

// Insert into A the distances of the window [fb, fb + 2n) below the point and into B those of
// [fa, fa + 2n) above it, along a sorted axis (values `sv`, the point's `ss`: signed
// differences, ss - v below and v - ss above, both >= 0) and an unsorted one (values `rv`, the
// point's `rs`: |v - rs|); distance = the larger, per lane.
@inline function scanWindows(rv: usize, sv: usize, fb: i32, fa: i32, n: i32, rs: v128, ss: v128): void {
  let a0 = A0, a1 = A1, a2 = A2;
  let b0 = B0, b1 = B1, b2 = B2;
  let pra = rv + (<usize>fb << 3);
  let psa = sv + (<usize>fb << 3);
  let prb = rv + (<usize>fa << 3);
  let psb = sv + (<usize>fa << 3);
  for (let i = 0; i < n; i++) {
    const da = f64x2.pmax(f64x2.abs(f64x2.sub(v128.load(pra), rs)), f64x2.sub(ss, v128.load(psa)));
    const db = f64x2.pmax(f64x2.abs(f64x2.sub(v128.load(prb), rs)), f64x2.sub(v128.load(psb), ss));
    const ta = f64x2.pmax(a0, da);
    const tb = f64x2.pmax(b0, db);
    a0 = f64x2.pmin(a0, da);
    b0 = f64x2.pmin(b0, db);
    const ua = f64x2.pmax(a1, ta);
    const ub = f64x2.pmax(b1, tb);
    a1 = f64x2.pmin(a1, ta);
    b1 = f64x2.pmin(b1, tb);
    a2 = f64x2.pmin(a2, ua);
    b2 = f64x2.pmin(b2, ub);
    pra += 16;
    psa += 16;
    prb += 16;
    psb += 16;
  }
  A0 = a0; A1 = a1; A2 = a2;
  B0 = b0; B1 = b1; B2 = b2;
}

// V8 (x64) lowers a scalar f64 `select`, f64.min and f64.max to branches, which mispredict on
// these data-dependent comparisons (about 8 ns each, measured); the per-point minima below are
// therefore taken in SIMD lanes (pmin / pmax: minpd / maxpd), and the certificates' tests are
// combined with `&`, not `&&`. (All these distances are >= +0 and never NaN, where pmin / pmax
// equal min / max.)
@inline function swap(v: v128): v128 { return f64x2.shuffle(v, v, 1, 0); }
/** The smaller lane, in both lanes. */
@inline function hmin(v: v128): v128 { return f64x2.pmin(v, swap(v)); }

// The 3rd smallest of two sorted triples held in lanes (a, d) (c0 <= c1 <= c2 lane-wise), in both
// lanes: min(a2, d2, max(a1, d0), max(a0, d1)).
@inline function thirdOfLanes(c0: v128, c1: v128, c2: v128): v128 {
  return hmin(f64x2.pmin(c2, f64x2.pmax(c1, swap(c0))));
}

// The 3rd smallest distance in A and B (4 lanes of sorted triples), in both lanes.
@inline function third(): v128 {
  // lane-wise: the 3rd smallest of A's and B's triples
  const c2 = f64x2.pmin(f64x2.pmin(A2, B2), f64x2.pmin(f64x2.pmax(A1, B0), f64x2.pmax(A0, B1)));
  const c1 = f64x2.pmin(f64x2.pmax(A0, B0), f64x2.pmin(A1, B1));
  const c0 = f64x2.pmin(A0, B0);
  return thirdOfLanes(c0, c1, c2);
}

// The y distances from ys (in yv's lanes) to the first unexamined slots below (slot lo) and
// above (slot hi) a window, in both lanes: min(ys - GY[lo], GY[hi] - ys).
@inline function yGap(yv: v128, lo: i32, hi: i32): v128 {
  const a = f64x2.replace_lane(yv, 1, ldf(GY, hi)); // (ys, GY[hi])
  const b = f64x2.replace_lane(yv, 0, ldf(GY, lo)); // (GY[lo], ys)
  return hmin(f64x2.sub(a, b));
}

@inline function resetTop(): void {
  const inf = f64x2.splat(Infinity);
  A0 = inf; A1 = inf; A2 = inf;
  B0 = inf; B1 = inf; B2 = inf;
}

// #{t != r, |a[t] - v| <= rad} over the ranks r - SWEEP .. r + SWEEP of the sorted values a,
// by the same comparisons as countWithin (equal to it when no rank outside is within rad): the
// 8 ranks below r and the 8 above (SWEEP = 8), counted as countWithin's levels count.
@inline function countWindow(a: usize, r: i32, v: f64, rad: f64): i32 {
  const vv = f64x2.splat(v);
  const rv = f64x2.splat(rad);
  return countBelow8(a + (<usize>(r - SWEEP) << 3), vv, rv) + countAbove8(a + (<usize>(r + 1) << 3), vv, rv);
}

// The running top 3 of exact3's scans, in two lanes: E0 <= E1 <= E2 lane-wise (slots are
// scanned two at a time, branch-free inside a step; the scalar version's data-dependent
// branches mispredicted).
let E0: v128 = f64x2.splat(Infinity);
let E1: v128 = f64x2.splat(Infinity);
let E2: v128 = f64x2.splat(Infinity);

// The 3rd smallest of the two lanes' triples, as a number.
@inline function thirdOf(e0: v128, e1: v128, e2: v128): f64 {
  return f64x2.extract_lane(thirdOfLanes(e0, e1, e2), 0);
}

// Scans a column's slots from t upwards (t, t + 1, ...), or downwards (t, t - 1, ...) when up
// is false, two at a time, until the nearer slot of a step has |dy| >= the current 3rd distance
// (slots are in y order, so every later one does too), putting both slots' distances into
// E0..E2. The guards (|dy| = Infinity) end every scan; one slot past the first guard may be read.
@inline function scanColumn(t: i32, up: bool, xv: v128, yv: v128): void {
  let e0 = E0, e1 = E1, e2 = E2;
  for (;;) {
    const o = <usize>(up ? t : t - 1) << 3; // lanes: (t, t + 1) up, (t - 1, t) down
    const dyv = f64x2.abs(f64x2.sub(v128.load(GY + o), yv));
    const near = up ? f64x2.extract_lane(dyv, 0) : f64x2.extract_lane(dyv, 1);
    if (near >= thirdOf(e0, e1, e2)) break;
    const d = f64x2.pmax(f64x2.abs(f64x2.sub(v128.load(GX + o), xv)), dyv);
    const t1 = f64x2.pmax(e0, d);
    e0 = f64x2.pmin(e0, d);
    const t2 = f64x2.pmax(e1, t1);
    e1 = f64x2.pmin(e1, t1);
    e2 = f64x2.pmin(e2, t2);
    t = up ? t + 2 : t - 2;
  }
  E0 = e0; E1 = e1; E2 = e2;
}

// Exact k = 3 distance over the slots, all bounds starting at e (a real 3rd distance, so the
// true one is <= e): the scans only look for closer points.
function exact3(q: i32, c: i32, ncx: i32, e: f64): f64 {
  const xs = ldf(GX, q);
  const ys = ldf(GY, q);
  const xv = f64x2.splat(xs);
  const yv = f64x2.splat(ys);
  const yr = ldi(GYR, q);
  // lane 0 holds e three times (the bound), lane 1 nothing yet: the 3rd distance starts at e
  E0 = f64x2.replace_lane(f64x2.splat(Infinity), 0, e);
  E1 = E0;
  E2 = E0;
  scanColumn(q + 1, true, xv, yv);
  scanColumn(q - 1, false, xv, yv);
  let L = c - 1;
  let R = c + 1;
  let bl: f64 = L >= 0 ? xs - ldf(CMAX, L) : Infinity;
  let br: f64 = R < ncx ? ldf(CMIN, R) - xs : Infinity;
  for (;;) {
    const t2 = thirdOf(E0, E1, E2);
    let col: i32;
    if (bl <= br) {
      if (bl >= t2) break;
      col = L--;
      bl = L >= 0 ? xs - ldf(CMAX, L) : Infinity;
    } else {
      if (br >= t2) break;
      col = R++;
      br = R < ncx ? ldf(CMIN, R) - xs : Infinity;
    }
    let q0: i32;
    const d = col - c;
    if (<u32>(d + 3) <= 6) q0 = nb(q, d); // columns c +- 1 .. 3: from the record
    else {
      // first slot of column col with a larger y rank
      let lo = ldi(CSL, col);
      let m = ldi(CSX, col + 1) - ldi(CSX, col);
      while (m > 0) {
        const h = m >>> 1;
        if (ldi(GYR, lo + h) < yr) { lo += h + 1; m -= h + 1; } else m = h;
      }
      q0 = lo;
    }
    scanColumn(q0, true, xv, yv);
    scanColumn(q0 - 1, false, xv, yv);
  }
  return thirdOf(E0, E1, E2);
}

// Counters of the last mi3() call (bench only): certified by grid window, by sweep window, fallbacks.
let nGrid: i32 = 0;
let nSweepOk: i32 = 0;
let nFallback: i32 = 0;
let nTier2: i32 = 0;



export function stat(which: i32): i32 {
  return which == 0 ? nGrid : which == 1 ? nSweepOk : which == 2 ? nFallback : which == 3 ? nTier2 : which == 4 ? nSlid : which == 5 ? nSearched : which == 6 ? nBucketHit : nBucketMiss;
}

// YOX: the y value of each x rank; XOY: the x value of each y rank (the sweeps' second axis).
function fillSweeps(ncx: i32): void {
  for (let c = 0; c < ncx; c++) {
    const qe = ldi(CSL, c) + ldi(CSX, c + 1) - ldi(CSX, c);
    for (let q = ldi(CSL, c); q < qe; q++) {
      stf(YOX, ldi(GXR, q), ldf(GY, q));
      stf(XOY, ldi(GYR, q), ldf(GX, q));
    }
  }
}

// k = 3: per point a window of fixed size (sweep along one axis when the point's columns are
// much wider in that axis, search-rule.ts; else the point's own column and columns c +- 1), its
// 3rd distance e certified exact by bounds on every unexamined point, else exact3 from e.
// sameX: as neuronTables.
export function mi3(ncx: i32, ncy: i32, sx: i32, sy: i32, sameX: i32): f64 {
  smallX = sx;
  smallY = sy;
  placeSlots(ncx);
  neuronTables(ncx, ncy, sameX);
  // y value of each x rank, x value of each y rank (the sweeps), 32 zero guards each side
  let sweepReady = false; // YOX / XOY are filled on the first point that sweeps
  nGrid = 0; nSweepOk = 0; nFallback = 0; nTier2 = 0;
  let sumX: f64 = 0;
  let sumY: f64 = 0;
  for (let c = 0; c < ncx; c++) {
    const wx = ldf(CMAX, c) - ldf(CMIN, c);
    const qb = ldi(CSL, c);
    const qe = qb + ldi(CSX, c + 1) - ldi(CSX, c);
    const bxl: f64 = c >= 2 ? ldf(CMAX, c - 2) : -Infinity;
    const bxr: f64 = c + 2 < ncx ? ldf(CMIN, c + 2) : Infinity;
    const bxl3: f64 = c >= 3 ? ldf(CMAX, c - 3) : -Infinity;
    const bxr3: f64 = c + 3 < ncx ? ldf(CMIN, c + 3) : Infinity;
    const bxl4: f64 = c >= 4 ? ldf(CMAX, c - 4) : -Infinity;
    const bxr4: f64 = c + 4 < ncx ? ldf(CMIN, c + 4) : Infinity;
    for (let q = qb; q < qe; q++) {
      const xsv = ldf(GX, q);
      const ysv = ldf(GY, q);
      const xr = ldi(GXR, q);
      const yr = ldi(GYR, q);
      const c2 = colOf(CRY, sy, yr);
      const wy = ldf(CMAX2, c2) - ldf(CMIN2, c2);
      const xv = f64x2.splat(xsv);
      const yv = f64x2.splat(ysv);
      // 1: sweep along x (SWEEP ranks each side), 2: along y, 0: none
      let sweep: i32 = wx > SWEEP_RATIO * wy ? 1 : wy > SWEEP_RATIO * wx ? 2 : 0;
      if (sweep != 0 && !sweepReady) {
        fillSweeps(ncx);
        sweepReady = true;
      }
      // ev: the least 3rd distance found so far, in both lanes
      let ev = f64x2.splat(Infinity);
      let e: f64 = Infinity;
      let ok = false;
      if (sweep == 1) {
        resetTop();
        scanWindows(YOX, SX, xr - SWEEP, xr + 1, SWEEP >> 1, yv, xv);
        ev = third();
        e = f64x2.extract_lane(ev, 0);
        ok = <bool>(<i32>(e <= xsv - ldf(SX, xr - SWEEP - 1)) & <i32>(e <= ldf(SX, xr + SWEEP + 1) - xsv));
      } else if (sweep == 2) {
        resetTop();
        scanWindows(XOY, SY, yr - SWEEP, yr + 1, SWEEP >> 1, xv, yv);
        ev = third();
        e = f64x2.extract_lane(ev, 0);
        ok = <bool>(<i32>(e <= ysv - ldf(SY, yr - SWEEP - 1)) & <i32>(e <= ldf(SY, yr + SWEEP + 1) - ysv));
      }
      if (ok) nSweepOk++;
      else {
        // the point's own column and columns c +- 1, bounded by columns c +- 2. e stays the least
        // of the 3rd distances found: still certified by these bounds (see above)
        resetTop();
        const pl = nb(q, -1);
        const pr = nb(q, 1);
        scanWindows(GX, GY, q - WO, q + 1, WO >> 1, xv, yv);
        scanWindows(GX, GY, pl - WN, pl, WN >> 1, xv, yv);
        scanWindows(GX, GY, pr - WN, pr, WN >> 1, xv, yv);
        ev = f64x2.pmin(ev, third());
        e = f64x2.extract_lane(ev, 0);
        let byv = f64x2.pmin(f64x2.pmin(yGap(yv, q - WO - 1, q + WO + 1), yGap(yv, pl - WN - 1, pl + WN)), yGap(yv, pr - WN - 1, pr + WN));
        let yOk = <i32>(e <= f64x2.extract_lane(byv, 0));
        ok = <bool>(yOk & <i32>(e <= xsv - bxl) & <i32>(e <= bxr - xsv));
        if (!ok && yOk) {
          // second tier: the windows of columns c +- 2, bounded by columns c +- 3
          const pl2 = nb(q, -2);
          const pr2 = nb(q, 2);
          scanWindows(GX, GY, pl2 - WN, pl2, WN >> 1, xv, yv);
          scanWindows(GX, GY, pr2 - WN, pr2, WN >> 1, xv, yv);
          ev = f64x2.pmin(ev, third());
          e = f64x2.extract_lane(ev, 0);
          byv = f64x2.pmin(byv, f64x2.pmin(yGap(yv, pl2 - WN - 1, pl2 + WN), yGap(yv, pr2 - WN - 1, pr2 + WN)));
          yOk = <i32>(e <= f64x2.extract_lane(byv, 0));
          ok = <bool>(yOk & <i32>(e <= xsv - bxl3) & <i32>(e <= bxr3 - xsv));
          if (!ok && yOk) {
            // third tier: columns c +- 3, bounded by columns c +- 4
            const pl3 = nb(q, -3);
            const pr3 = nb(q, 3);
            scanWindows(GX, GY, pl3 - WN, pl3, WN >> 1, xv, yv);
            scanWindows(GX, GY, pr3 - WN, pr3, WN >> 1, xv, yv);
            ev = f64x2.pmin(ev, third());
            e = f64x2.extract_lane(ev, 0);
            byv = f64x2.pmin(byv, f64x2.pmin(yGap(yv, pl3 - WN - 1, pl3 + WN), yGap(yv, pr3 - WN - 1, pr3 + WN)));
            ok = <bool>(<i32>(e <= f64x2.extract_lane(byv, 0)) & <i32>(e <= xsv - bxl4) & <i32>(e <= bxr4 - xsv));
          }
          if (ok) nTier2++;
        }
        sweep = 0; // its window did not certify: count by search
        if (ok) nGrid++;
        else {
          e = exact3(q, c, ncx, e);
          nFallback++;
        }
      }
      let nx = 0;
      let ny = 0;
      if (e > 0 || strict == 0) {
        const rad = prevDouble(e);
        // a certified sweep with e > 0 saw every point within e along its axis: count there
        nx = sweep == 1 && e > 0 ? countWindow(SX, xr, xsv, rad) : countBucketed(SX, B8X, CSX, SCX, TX, loX, invX, xr, c, xsv, rad);
        ny = sweep == 2 && e > 0 ? countWindow(SY, yr, ysv, rad) : countBucketed(SY, B8Y, CSY, SCY, TY, loY, invY, yr, c2, ysv, rad);
      }
      sumX += ldf(PSI, nx + 1);
      sumY += ldf(PSI, ny + 1);
    }
  }
  sumYOut = sumY;
  return sumX;
}
