/**
 * infomem I/O: reading activation arrays (`.npy`, `.npz`, safetensors, CSV/TSV, Parquet, JSON) into float64 C-order
 * {@link NdArray}s, writing `.npy`/`.npz`, and atomic file/directory writes. All bad input is
 * reported as a one-line {@link InputError}.
 */
export { InputError, isInputError } from './errors.js';
export { type NdArray, shapeSize, formatShape, fortranToC } from './array.js';
export { type ElementKind, type ElementType, elementName, float16ToNumber } from './dtype.js';
export { parseNpy, encodeNpy, readNpyHeader, parseDescr, type NpyHeader } from './npy.js';
export { parseNpz, encodeNpz } from './npz.js';
export { parseSafetensors } from './safetensors.js';
export { ensureParentDir, readFileBytes, writeFileAtomic, writeDirAtomic } from './files.js';
export { parseDelimited, type DelimitedOptions } from './csv.js';
export { parseParquet } from './parquet.js';
export { parseActivationJson, parseJsonText } from './json.js';
export { groupColumns, splitRowMajor, type ColumnGroup } from './columns.js';
export { ByteNumberParser, parseNumberText, NOT_A_NUMBER } from './numparse.js';
