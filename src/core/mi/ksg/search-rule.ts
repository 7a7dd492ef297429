/**
 * Which search finds a point's k-th neighbour distance (speed only: every search gives the same
 * exact number). With wx, wy the value widths of the point's column in x and in y (store.ts):
 * - wx > SWEEP_RATIO * wy: a sweep along x (sweep.ts), at most SWEEP_BUDGET points;
 *   wy > SWEEP_RATIO * wx: a sweep along y;
 * - otherwise, or when the sweep gives up: the transposed grid (y-columns) when
 *   wy > TRANSPOSED_RATIO * wx, else the x-column grid (search.ts / search3.ts).
 * The transposed grid is only built for a pair when at least S / TRANSPOSED_MIN_SHARE points
 * would use it (it costs a second counting sort).
 * Chosen on trained MNIST activations and Gaussian data (README.md, Speed).
 */
export const SWEEP_RATIO = 8;
export const SWEEP_BUDGET = 32;
export const TRANSPOSED_RATIO = 2;
export const TRANSPOSED_MIN_SHARE = 4;
