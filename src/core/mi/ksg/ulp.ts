/**
 * `nextafter(x, 0)` for doubles: the largest double strictly smaller than x for x > 0, and 0 for
 * x = 0. Only defined here for finite x >= 0 (all a KSG radius can be).
 *
 * For x > 0 and any double d: d <= prevDouble(x)  <=>  d < x.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;

export function prevDouble(x: number): number {
  if (!(x > 0)) return 0;
  f64[0] = x;
  // x > 0 finite: its bit pattern read as an unsigned 64-bit integer, minus one.
  if (u32[LO] === 0) {
    u32[LO] = 0xffffffff;
    u32[HI] = u32[HI] - 1;
  } else {
    u32[LO] = u32[LO] - 1;
  }
  return f64[0];
}
