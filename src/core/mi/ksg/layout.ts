/**
 * Grid geometry of the fast KSG kernel, a pure function of (samples, k).
 *
 * Columns: every neuron's sorted values are cut into columns of consecutive ranks, never splitting
 * a run of equal values: runs are appended to the current column while it holds fewer than
 * `colWidth` ranks; a run longer than colWidth / 2 ("big run") always gets a column of its own.
 * So max(column c) < min(column c + 1), a column holds < 1.5 colWidth ranks unless it is one big
 * run, and there are at most `maxCols` = 5 * ceil(samples / colWidth) + 1 columns.
 *
 * Rows: when a neuron plays y in a pair, rank r lies in row r >> rowShift. Rows only serve to find
 * where a given y-rank falls inside a column, so they need not respect ties.
 *
 * colWidth ~ the expected max-norm k-NN radius in ranks for independent data,
 * sqrt(k * S) / 2, so that a search touches ~2-3 columns.
 */
export interface KsgLayout {
  colWidth: number;
  maxCols: number;
  rowShift: number;
  numRows: number;
}

export function ksgLayout(samples: number, k: number): KsgLayout {
  const colWidth = Math.max(4, Math.min(samples, Math.round(Number(process.env.KSG_CW ?? 0.5) * Math.sqrt(k * samples))));
  const maxCols = 5 * Math.ceil(samples / colWidth) + 1;
  // rows of 2^rowShift ranks, about samples / colWidth of them (~1 point per cell when independent)
  let rowShift = 0;
  while (rowShift < 30 && (1 << (rowShift + 1)) <= colWidth * Number(process.env.KSG_RW ?? 1)) rowShift++;
  const numRows = ((samples - 1) >> rowShift) + 1;
  return { colWidth, maxCols, rowShift, numRows };
}
