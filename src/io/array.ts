/**
 * The in-memory form of an array read from disk.
 *
 * Whatever the source dtype, byte order or memory layout, `data` holds the values as float64 in
 * C (row-major) order: element `[i0, i1, ..., ik]` is at `sum(i_j * prod(shape[j+1..]))`.
 */
export interface NdArray {
  /** Dimensions, outermost first; `[]` for a 0-d (scalar) array, which then has exactly one element. */
  shape: number[];
  /** All elements converted to float64, row-major. Length is the product of `shape` (1 for 0-d). */
  data: Float64Array;
  /**
   * The source dtype in NumPy's `dtype.str` style, e.g. `'<f4'`, `'>i8'`, `'|u1'`, `'|b1'`.
   * bfloat16 (safetensors `BF16`), which NumPy lacks, is reported as `'bfloat16'`.
   */
  dtype: string;
}

/** Number of elements for `shape` (1 for `[]`). Assumes the entries are non-negative integers. */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `[1000, 20]` -> `'1000x20'`; `[]` -> `'scalar'`. Used in messages. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('x');
}

/**
 * Reorders `src`, laid out in Fortran (column-major) order for `shape`, into a new array in C
 * (row-major) order. Rank 0 and 1 arrays are copied unchanged.
 */
export function fortranToC(src: Float64Array, shape: readonly number[]): Float64Array {
  const n = src.length;
  const rank = shape.length;
  if (rank <= 1 || n === 0) return src.slice();
  // Fortran strides (in elements) of each axis.
  const fStride = new Array<number>(rank);
  let s = 1;
  for (let k = 0; k < rank; k++) {
    fStride[k] = s;
    s *= shape[k];
  }
  const out = new Float64Array(n);
  const idx = new Array<number>(rank).fill(0);
  const last = rank - 1;
  const lastDim = shape[last];
  const lastStride = fStride[last];
  let base = 0; // Fortran offset of idx with idx[last] = 0
  let o = 0;
  while (o < n) {
    // Innermost C axis is contiguous in the output and strided in the input.
    for (let j = 0, f = base; j < lastDim; j++, f += lastStride) out[o++] = src[f];
    // Advance the multi-index over axes 0..last-1 (odometer, rightmost fastest).
    let k = last - 1;
    while (k >= 0) {
      idx[k]++;
      base += fStride[k];
      if (idx[k] < shape[k]) break;
      base -= fStride[k] * shape[k];
      idx[k] = 0;
      k--;
    }
    if (k < 0) break;
  }
  return out;
}
