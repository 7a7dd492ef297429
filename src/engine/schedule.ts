/**
 * Work units over the upper triangle (diagonal included) of an N x N pair matrix.
 * Neurons are cut into blocks of `tile`; the units are the block pairs (a, b) with a <= b,
 * numbered row by row. A unit covers pairs (i, j), i in block a, j in block b, i <= j.
 */
export interface TriangleSchedule {
  readonly n: number;
  readonly tile: number;
  readonly blocks: number;
  readonly units: number;
}

export function triangleSchedule(n: number, tile: number): TriangleSchedule {
  const blocks = Math.ceil(n / tile);
  return { n, tile, blocks, units: (blocks * (blocks + 1)) / 2 };
}

/** Block pair of unit u: writes [a, b] into `out`. */
export function triangleUnit(s: TriangleSchedule, u: number, out: Int32Array): void {
  // row a holds blocks - a units; walk rows (blocks is at most a few hundred)
  let a = 0;
  let rest = u;
  while (rest >= s.blocks - a) {
    rest -= s.blocks - a;
    a++;
  }
  out[0] = a;
  out[1] = a + rest;
}

/** Number of pairs (i <= j) in the triangle: n (n + 1) / 2. */
export function trianglePairs(n: number): number {
  return (n * (n + 1)) / 2;
}

/** A tile size that gives every thread many units while keeping a block's data in cache. */
export function defaultTile(n: number, threads: number): number {
  if (n >= 32 * 6 * threads) return 32;
  return Math.max(1, Math.ceil(n / (6 * threads)));
}
