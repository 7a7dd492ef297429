/**
 * Reading activations from Apache Parquet files (via `hyparquet`): one column per neuron, one row
 * per example, columns grouped into layers by an optional `layer/` name prefix (see
 * {@link groupColumns}).
 *
 * Numeric columns are accepted whatever their physical type (DOUBLE, FLOAT, INT32, INT64 (as the
 * nearest float64), BOOLEAN (0/1), FLOAT16, DECIMAL); nulls become NaN so that the loader's NaN
 * policy applies. Strings, dates, timestamps and nested columns are refused by name.
 * Uncompressed, Snappy and (via fflate) GZIP column chunks can be read.
 */
import { gunzipSync } from 'fflate';
import { parquetMetadata, parquetRead, type AsyncBuffer, type ColumnData, type FileMetaData, type SchemaElement } from 'hyparquet';
import type { NdArray } from './array.js';
import { groupColumns } from './columns.js';
import { InputError } from './errors.js';

const NUMERIC_PHYSICAL = new Set(['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE']);
const NUMERIC_LOGICAL = new Set(['INTEGER', 'DECIMAL', 'FLOAT16']);
const NUMERIC_CONVERTED = new Set(['DECIMAL', 'UINT_8', 'UINT_16', 'UINT_32', 'UINT_64', 'INT_8', 'INT_16', 'INT_32', 'INT_64']);

const DTYPE: Record<string, string> = { BOOLEAN: '|b1', INT32: '<i4', INT64: '<i8', FLOAT: '<f4', DOUBLE: '<f8' };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Why a leaf column cannot hold activations, or undefined when it can. */
function whyNotNumeric(el: SchemaElement): string | undefined {
  const logical = el.logical_type?.type;
  const converted = el.converted_type;
  const kind = logical ?? converted;
  if (el.repetition_type === 'REPEATED') return 'is a repeated (list) column';
  if (logical !== undefined && !NUMERIC_LOGICAL.has(logical)) return `holds ${logical} values, not numbers`;
  if (logical === undefined && converted !== undefined && !NUMERIC_CONVERTED.has(converted)) {
    return `holds ${converted === 'UTF8' ? 'STRING' : converted} values, not numbers`;
  }
  if (el.type === undefined) return 'has no type';
  if (NUMERIC_PHYSICAL.has(el.type)) return undefined;
  if (el.type === 'FIXED_LEN_BYTE_ARRAY' && (kind === 'FLOAT16' || kind === 'DECIMAL')) return undefined;
  if (el.type === 'BYTE_ARRAY' && kind === 'DECIMAL') return undefined;
  return `holds ${el.type === 'BYTE_ARRAY' ? 'strings/bytes (BYTE_ARRAY)' : el.type} values, not numbers`;
}

/** The file's top-level columns, checked to be flat and numeric. */
function numericColumns(md: FileMetaData, file: string): SchemaElement[] {
  const schema = md.schema;
  const root = schema[0];
  const count = root?.num_children ?? 0;
  const cols: SchemaElement[] = [];
  let i = 1;
  for (let c = 0; c < count; c++) {
    const el = schema[i];
    if (el === undefined) throw new InputError(file, 'corrupt parquet schema (fewer elements than declared)');
    if ((el.num_children ?? 0) > 0) throw new InputError(file, `column '${el.name}' is nested (a struct, list or map), not a number column`);
    const why = whyNotNumeric(el);
    if (why !== undefined) throw new InputError(file, `column '${el.name}' ${why}`);
    cols.push(el);
    i++;
  }
  return cols;
}

/**
 * Parses a Parquet file into layers.
 *
 * @param layerName the layer for columns without a `layer/` prefix (usually the file's base name)
 * @returns one S x N float64 array per layer, in order of first appearance
 * @throws InputError for a file that is not Parquet or is damaged, an unsupported compression,
 *   a column that is not numeric (named), an empty/duplicate column name, or a file without columns
 */
export async function parseParquet(bytes: Uint8Array, file: string, layerName: string): Promise<Map<string, NdArray>> {
  if (bytes.length === 0) throw new InputError(file, 'empty file (not a Parquet file)');
  const magic = (at: number): boolean => bytes[at] === 0x50 && bytes[at + 1] === 0x41 && bytes[at + 2] === 0x52 && bytes[at + 3] === 0x31;
  if (bytes.length < 12 || !magic(0)) throw new InputError(file, 'not a Parquet file (no PAR1 magic at the start)');
  if (!magic(bytes.length - 4)) throw new InputError(file, 'truncated or corrupt Parquet file (no PAR1 magic at the end)');
  let md: FileMetaData;
  try {
    md = parquetMetadata(bytes);
  } catch (e) {
    throw new InputError(file, `corrupt Parquet metadata: ${message(e)}`, { cause: e });
  }
  const cols = numericColumns(md, file);
  if (cols.length === 0) throw new InputError(file, 'has no columns');
  const names = cols.map((c) => c.name);
  const groups = groupColumns(names, layerName, file);
  const rows = Number(md.num_rows);
  if (!Number.isSafeInteger(rows) || rows < 0) throw new InputError(file, `corrupt Parquet metadata: row count ${md.num_rows}`);

  // Where each column goes: its layer's buffer, width and position in the layer.
  const layerData = groups.map((g) => new Float64Array(rows * g.columns.length));
  const target = new Map<string, { out: Float64Array; width: number; j: number; filled: number }>();
  groups.forEach((g, li) => g.columns.forEach((c, j) => target.set(names[c], { out: layerData[li], width: g.columns.length, j, filled: 0 })));

  let badValue: InputError | undefined;
  const onChunk = (chunk: ColumnData): void => {
    const t = target.get(chunk.columnName);
    if (t === undefined || badValue !== undefined) return;
    const { out, width, j } = t;
    const src = chunk.columnData;
    const start = chunk.rowStart;
    const len = Math.min(src.length, rows - start);
    if (src instanceof Float64Array || src instanceof Float32Array || src instanceof Int32Array || src instanceof Uint32Array || src instanceof Uint8Array) {
      for (let r = 0; r < len; r++) out[(start + r) * width + j] = src[r];
    } else if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
      for (let r = 0; r < len; r++) out[(start + r) * width + j] = Number(src[r]);
    } else {
      for (let r = 0; r < len; r++) {
        const v: unknown = src[r];
        let x: number;
        if (typeof v === 'number') x = v;
        else if (v === null || v === undefined) x = NaN;
        else if (typeof v === 'bigint') x = Number(v);
        else if (typeof v === 'boolean') x = v ? 1 : 0;
        else {
          badValue = new InputError(file, `column '${chunk.columnName}' holds a non-numeric value (${typeof v}) at row ${start + r}`);
          return;
        }
        out[(start + r) * width + j] = x;
      }
    }
    t.filled += len;
  };

  const view: AsyncBuffer = {
    byteLength: bytes.length,
    slice: (s: number, e?: number) => bytes.buffer.slice(bytes.byteOffset + s, bytes.byteOffset + (e ?? bytes.length)) as ArrayBuffer,
  };
  try {
    await parquetRead({
      file: view,
      metadata: md,
      columns: names,
      onChunk,
      compressors: { GZIP: (input: Uint8Array) => gunzipSync(input) },
    });
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, `cannot read Parquet data: ${message(e)}`, { cause: e });
  }
  if (badValue !== undefined) throw badValue;
  for (const [name, t] of target) {
    if (t.filled !== rows) throw new InputError(file, `corrupt Parquet file: column '${name}' has ${t.filled} values but the file has ${rows} rows`);
  }

  const out = new Map<string, NdArray>();
  groups.forEach((g, li) => {
    const types = new Set(g.columns.map((c) => DTYPE[cols[c].type ?? ''] ?? '<f8'));
    out.set(g.layer, { shape: [rows, g.columns.length], data: layerData[li], dtype: types.size === 1 ? [...types][0] : '<f8' });
  });
  return out;
}
