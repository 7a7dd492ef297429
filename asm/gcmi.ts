// AssemblyScript (compiled to WebAssembly by asm/build.mjs) kernel of src/core/mi/gcmi/wasm.ts:
// the dot products of a block of unit-score rows against another, two examples at a time
// (f64x2). Each product sums the even examples in lane 0 and the odd ones in lane 1, in
// increasing order, adds a last odd-S example to lane 0, then returns lane 0 + lane 1: exactly
// the order of dot2 in correlation.ts, so the two engines give the same bits.
// Compiled with --runtime stub (no allocations, no GC); wasm.ts places the arrays.

@inline function finish(c: v128, x: usize, y: usize, odd: bool, last: usize): f64 {
  let l0 = f64x2.extract_lane(c, 0);
  if (odd) l0 += load<f64>(x + last) * load<f64>(y + last);
  return l0 + f64x2.extract_lane(c, 1);
}

// out[i * nb + j] = sum_s a[i][s] b[j][s] for the na rows at `a` and the nb rows at `b`
// (S doubles each, row after row).
export function dots(a: usize, na: i32, b: usize, nb: i32, S: i32, out: usize): void {
  const stride = <usize>S << 3;
  const S2 = S & ~1;
  const odd = (S & 1) != 0;
  const last = <usize>(S - 1) << 3;
  let i = 0;
  for (; i + 4 <= na; i += 4) {
    const a0 = a + <usize>i * stride;
    const a1 = a0 + stride;
    const a2 = a1 + stride;
    const a3 = a2 + stride;
    let j = 0;
    for (; j + 2 <= nb; j += 2) {
      const b0 = b + <usize>j * stride;
      const b1 = b0 + stride;
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      for (let s = 0; s < S2; s += 2) {
        const o = <usize>s << 3;
        const y0 = v128.load(b0 + o);
        const y1 = v128.load(b1 + o);
        const x0 = v128.load(a0 + o);
        c00 = f64x2.add(c00, f64x2.mul(x0, y0));
        c01 = f64x2.add(c01, f64x2.mul(x0, y1));
        const x1 = v128.load(a1 + o);
        c10 = f64x2.add(c10, f64x2.mul(x1, y0));
        c11 = f64x2.add(c11, f64x2.mul(x1, y1));
        const x2 = v128.load(a2 + o);
        c20 = f64x2.add(c20, f64x2.mul(x2, y0));
        c21 = f64x2.add(c21, f64x2.mul(x2, y1));
        const x3 = v128.load(a3 + o);
        c30 = f64x2.add(c30, f64x2.mul(x3, y0));
        c31 = f64x2.add(c31, f64x2.mul(x3, y1));
      }
      const r0 = out + ((<usize>i * <usize>nb + <usize>j) << 3);
      const rs = <usize>nb << 3;
      store<f64>(r0, finish(c00, a0, b0, odd, last));
      store<f64>(r0 + 8, finish(c01, a0, b1, odd, last));
      store<f64>(r0 + rs, finish(c10, a1, b0, odd, last));
      store<f64>(r0 + rs + 8, finish(c11, a1, b1, odd, last));
      store<f64>(r0 + 2 * rs, finish(c20, a2, b0, odd, last));
      store<f64>(r0 + 2 * rs + 8, finish(c21, a2, b1, odd, last));
      store<f64>(r0 + 3 * rs, finish(c30, a3, b0, odd, last));
      store<f64>(r0 + 3 * rs + 8, finish(c31, a3, b1, odd, last));
    }
    for (; j < nb; j++) for (let k = 0; k < 4; k++) store<f64>(out + ((<usize>(i + k) * <usize>nb + <usize>j) << 3), dot1(a + <usize>(i + k) * stride, b + <usize>j * stride, S2, odd, last));
  }
  for (; i < na; i++) for (let j = 0; j < nb; j++) store<f64>(out + ((<usize>i * <usize>nb + <usize>j) << 3), dot1(a + <usize>i * stride, b + <usize>j * stride, S2, odd, last));
}

function dot1(x: usize, y: usize, S2: i32, odd: bool, last: usize): f64 {
  let c = f64x2.splat(0);
  for (let s = 0; s < S2; s += 2) {
    const o = <usize>s << 3;
    c = f64x2.add(c, f64x2.mul(v128.load(x + o), v128.load(y + o)));
  }
  return finish(c, x, y, odd, last);
}
