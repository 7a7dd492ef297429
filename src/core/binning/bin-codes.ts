/**
 * Bin index of each value, with `np.histogram` semantics: value x falls in bin i when
 * edges[i] <= x < edges[i + 1], except that the last bin is closed (x == edges[B] -> B - 1).
 * Values outside [edges[0], edges[B]] are an error here: every strategy spans its data.
 *
 * `equalWidth` takes NumPy's fast path (an arithmetic guess, then the same +-1 fix-up against
 * the edges that NumPy applies), otherwise a binary search; both give the semantics above.
 */
export type BinCodeArray = Uint8Array | Uint16Array;

export function binCodes(
  values: Float32Array | Float64Array,
  edges: Float64Array,
  bins: number,
  equalWidth: boolean,
  out: BinCodeArray,
  outOffset = 0,
): void {
  const lo = edges[0];
  const hi = edges[bins];
  const last = bins - 1;
  const S = values.length;
  const scale = bins / (hi - lo);
  if (equalWidth && scale > 0 && Number.isFinite(scale)) {
    // NumPy guesses floor((x - lo) / (hi - lo) * B) and then moves the guess by one bin if the
    // edges say so; any guess within one bin gives the same final bin, so a multiplication
    // stands in for the division.
    for (let s = 0; s < S; s++) {
      const x = values[s];
      if (!(x >= lo && x <= hi)) throw outOfRange(x, lo, hi);
      let i = ((x - lo) * scale) | 0;
      if (i > last) i = last;
      if (x < edges[i]) i--;
      else if (i !== last && x >= edges[i + 1]) i++;
      out[outOffset + s] = i;
    }
  } else {
    for (let s = 0; s < S; s++) {
      const x = values[s];
      if (!(x >= lo && x <= hi)) throw outOfRange(x, lo, hi);
      // upper bound: first edge index e in 1..bins with edges[e] > x
      let a = 1;
      let b = bins;
      while (a < b) {
        const m = (a + b) >>> 1;
        if (edges[m] > x) b = m;
        else a = m + 1;
      }
      out[outOffset + s] = a - 1 > last ? last : a - 1;
    }
  }
}

/** The smallest code array type that holds `bins` codes. */
export function allocateCodes(bins: number, length: number, shared = false): BinCodeArray {
  if (bins > 65536) throw new RangeError(`at most 65536 bins are supported, got ${bins}`);
  const bytes = bins <= 256 ? 1 : 2;
  const buffer = shared ? new SharedArrayBuffer(length * bytes) : new ArrayBuffer(length * bytes);
  return bytes === 1 ? new Uint8Array(buffer) : new Uint16Array(buffer);
}

function outOfRange(x: number, lo: number, hi: number): RangeError {
  return new RangeError(`value ${x} lies outside the bin range [${lo}, ${hi}]`);
}
