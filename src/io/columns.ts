/**
 * Grouping named columns (CSV/TSV header cells, Parquet columns) into layers.
 *
 * A column named `layer/neuron` belongs to the layer before the last `/`; a column without `/`
 * belongs to the layer named after the file. Layers are listed in order of first appearance and
 * a layer's neurons keep their column order.
 */
import { InputError } from './errors.js';

/** One layer: its name and the indices of its columns, in column order. */
export interface ColumnGroup {
  layer: string;
  columns: number[];
}

/**
 * Groups `names` into layers.
 * @param fileLayer the layer name for columns without a `/` (the file's base name)
 * @throws InputError for an empty column name, a duplicate column name or an empty layer prefix
 */
export function groupColumns(names: readonly string[], fileLayer: string, file: string): ColumnGroup[] {
  const seen = new Map<string, number>();
  const groups = new Map<string, number[]>();
  names.forEach((name, i) => {
    if (name.trim() === '') {
      const hint = i === 0 ? ' (an unnamed index column? write the file without the index, e.g. pandas index=False)' : '';
      throw new InputError(file, `column ${i + 1} has an empty name${hint}`);
    }
    const prev = seen.get(name);
    if (prev !== undefined) throw new InputError(file, `duplicate column name '${name}' (columns ${prev + 1} and ${i + 1})`);
    seen.set(name, i);
    const slash = name.lastIndexOf('/');
    const layer = slash < 0 ? fileLayer : name.slice(0, slash);
    if (layer === '') throw new InputError(file, `column '${name}' has an empty layer name before '/'`);
    let cols = groups.get(layer);
    if (cols === undefined) groups.set(layer, (cols = []));
    cols.push(i);
  });
  return [...groups].map(([layer, columns]) => ({ layer, columns }));
}

/**
 * Splits a row-major `rows x width` matrix into one row-major matrix per group.
 * When a single group covers every column in order, `data` itself is returned (trimmed).
 */
export function splitRowMajor(data: Float64Array, rows: number, width: number, groups: readonly ColumnGroup[]): Float64Array[] {
  if (groups.length === 1 && groups[0].columns.length === width && groups[0].columns.every((c, i) => c === i)) {
    return [data.length === rows * width ? data : data.slice(0, rows * width)];
  }
  return groups.map(({ columns }) => {
    const k = columns.length;
    const out = new Float64Array(rows * k);
    const cols = Int32Array.from(columns);
    // Contiguous runs copy faster with subarray/set.
    const contiguous = cols.every((c, i) => c === cols[0] + i);
    for (let r = 0; r < rows; r++) {
      const src = r * width;
      if (contiguous) out.set(data.subarray(src + cols[0], src + cols[0] + k), r * k);
      else for (let j = 0; j < k; j++) out[r * k + j] = data[src + cols[j]];
    }
    return out;
  });
}
