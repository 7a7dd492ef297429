/**
 * Geometry of the fast KSG kernel: a pure function of (samples, k).
 *
 * Columns: every neuron's sorted values are cut into columns of consecutive ranks, never splitting
 * a run of equal values: runs are appended to the current column while it holds fewer than
 * `colWidth` ranks; a run longer than colWidth / 2 ("big run") always gets a column of its own.
 * So max(column c) < min(column c + 1), a column holds < 1.5 colWidth ranks unless it is one big
 * run, and there are at most `maxCols` = 5 * ceil(samples / colWidth) + 1 columns.
 * colWidth = 0.6 * sqrt(k * S), about the typical max-norm k-NN radius in ranks for independent
 * data, so that a neighbour search touches ~2-3 columns (speed is flat from 0.45 to 1.2 in
 * bench/ksg-kernel.ts).
 *
 * Rows: when a neuron plays y in a pair, rank r lies in row r >> rowShift. Rows only serve to find
 * where a given y-rank falls inside a column, so they need not respect ties.
 *
 * Guards: every neuron's sorted values are stored with `pad` = 64 guard entries on each side
 * (-Infinity before rank 0, +Infinity after rank S-1), so that the 64-rank windows of the
 * marginal-count search (marginal.ts) never need clamping.
 */
export interface KsgLayout {
  colWidth: number;
  maxCols: number;
  rowShift: number;
  numRows: number;
  /** guard entries on each side of a neuron's sorted values */
  pad: number;
  /** samples + 2 * pad: distance between two neurons' sorted values */
  sortedStride: number;
}

export function ksgLayout(samples: number, k: number): KsgLayout {
  const colWidth = Math.max(4, Math.min(samples, Math.round(0.6 * Math.sqrt(k * samples))));
  const maxCols = 5 * Math.ceil(samples / colWidth) + 1;
  // rows of 2^rowShift <= colWidth ranks (~1 point per cell when independent)
  let rowShift = 0;
  while (rowShift < 30 && 2 ** (rowShift + 1) <= colWidth) rowShift++;
  const numRows = ((samples - 1) >> rowShift) + 1;
  const pad = 64;
  const sortedStride = samples + 2 * pad;
  return { colWidth, maxCols, rowShift, numRows, pad, sortedStride };
}
