/**
 * A whole file's bytes to its arrays, by the file name's extension (no I/O: the CLI's loader
 * and the browser app both call it).
 */
import type { NdArray } from '../io/array.js';
import { parseDelimited, type CsvHeader } from '../io/csv.js';
import { InputError } from '../io/errors.js';
import { parseActivationJson } from '../io/json.js';
import { parseNpy } from '../io/npy.js';
import { parseNpz } from '../io/npz.js';
import { parseParquet } from '../io/parquet.js';
import { parseSafetensors } from '../io/safetensors.js';
import { parseTorch } from '../io/torch.js';

/** The file name's extension, lower-cased, with its dot (`''` when none). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** Name of the layer a file contributes when its columns/array carry no layer name: the file name without its extension. */
export function fileLayerName(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Parses a whole file's bytes by its extension (case-insensitive). */
export async function parseBytes(bytes: Uint8Array, path: string, header: CsvHeader | undefined): Promise<Map<string, NdArray>> {
  const ext = extensionOf(path);
  switch (ext) {
    case '.npy':
      return new Map([[fileLayerName(path), parseNpy(bytes, path)]]);
    case '.npz':
      return parseNpz(bytes, path);
    case '.safetensors':
      return parseSafetensors(bytes, path);
    case '.csv':
      return parseDelimited(bytes, path, { delimiter: ',', layerName: fileLayerName(path), header });
    case '.tsv':
      return parseDelimited(bytes, path, { delimiter: '\t', layerName: fileLayerName(path), header });
    case '.parquet':
      return parseParquet(bytes, path, fileLayerName(path));
    case '.json':
      return parseActivationJson(bytes, path);
    case '.pt':
    case '.pth':
      return parseTorch(bytes, path, fileLayerName(path));
    default:
      throw new InputError(path, `unsupported file type '${ext || '(none)'}'`);
  }
}
