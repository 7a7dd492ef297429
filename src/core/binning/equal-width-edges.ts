/**
 * Equal-width bin edges exactly as `np.histogram(a, bins=B)` makes them.
 *
 * Outer edges: lo = min(a), hi = max(a); if lo == hi they become lo - 0.5, hi + 0.5.
 * Inner edges follow `np.linspace(lo, hi, B + 1)`: edge_i = i * step + lo with step = (hi - lo) / B,
 * and the last edge is exactly hi. (When step underflows to 0, edge_i = (i / B) * (hi - lo) + lo,
 * as linspace does.)
 *
 * Writes B + 1 edges to `out` starting at `offset`.
 * @example equalWidthEdges(0, 1, 4) // [0, 0.25, 0.5, 0.75, 1]
 */
export function equalWidthEdges(
  min: number,
  max: number,
  bins: number,
  out: Float64Array = new Float64Array(bins + 1),
  offset = 0,
): Float64Array {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError(`bin range must be finite, got [${min}, ${max}]`);
  let lo = min;
  let hi = max;
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const delta = hi - lo;
  const step = delta / bins;
  if (step === 0) {
    for (let i = 0; i < bins; i++) out[offset + i] = (i / bins) * delta + lo;
  } else {
    for (let i = 0; i < bins; i++) out[offset + i] = i * step + lo;
  }
  out[offset + bins] = hi;
  return out;
}

/** Minimum and maximum of `values[from..to)`. */
export function extent(values: ArrayLike<number>, from = 0, to = values.length): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const v = values[i];
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  return [lo, hi];
}
