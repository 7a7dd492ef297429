import { statSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { newValues, type ActivationSet, type ActivationValues, type LayerInfo } from '../core/activations/activation-set.js';
import type { ProgressCallback } from '../engine/progress.js';
import { AbortError } from '../engine/progress.js';
import { ticker } from '../engine/yield.js';
import { formatShape } from '../io/array.js';
import type { CsvHeader } from '../io/csv.js';
import { elementName, type ElementType } from '../io/dtype.js';
import { InputError } from '../io/errors.js';
import { readFileBytes } from '../io/files.js';
import { checkMemory, formatBytes } from '../io/memory.js';
import { readNpyHeader, type NpyHeader } from '../io/npy.js';
import { NpyStreamDecoder } from '../io/npy-stream.js';
import { checkMemberClaim, MEMBER_HEAD_BYTES, memberNpyHeader } from '../io/npz.js';
import * as zlib from 'node:zlib';
import { createInflateRaw } from 'node:zlib';
import { crc32, listZipFile, memberDataOffset, type ZipMember } from '../io/zip.js';
import type { InputRecord } from './input-record.js';
import { layerNeurons, layerWriter, streamable, type LayerShape } from './layer-writer.js';
import { arrayToLayer, type TokenReduction } from './to-layer.js';
import { fileLayerName, type WholeFile } from './parse-whole.js';

/**
 * What to do with NaN/+-Inf activations: `'refuse'` (default) stops with an error naming the
 * file, layer, example and neuron; `'drop-examples'` removes every example that has a NaN/Inf in
 * any layer of any file.
 */
export type NanPolicy = 'refuse' | 'drop-examples';

export const NAN_POLICIES: readonly NanPolicy[] = ['refuse', 'drop-examples'];

/** File extensions (lower case) that {@link loadActivationFiles} reads. */
export const SUPPORTED_EXTENSIONS: readonly string[] = ['.npy', '.npz', '.safetensors', '.pt', '.pth', '.csv', '.tsv', '.parquet', '.json'];

export interface LoadOptions {
  token?: TokenReduction;
  /** Receives warnings (rank > 3 flattened, token reduction, renamed layers). */
  warn?: (msg: string) => void;
  /** NaN/Inf handling; default `'refuse'`. */
  nan?: NanPolicy;
  /** Receives informational messages (examples dropped under `nan: 'drop-examples'`). */
  info?: (msg: string) => void;
  /** CSV/TSV first row: detected (`'auto'`, default: a row of numbers is data), `'first'` or `'none'`. */
  header?: CsvHeader;
  /** Reading progress (phase `read`, in bytes). */
  onProgress?: ProgressCallback;
  /** Stops the reading (AbortError) between chunks. */
  signal?: AbortSignal;
  /**
   * Called with the set's size once every header is read, before any data: a caller refuses
   * impossible requests (more examples than there are...) here, in milliseconds.
   */
  checkShape?: (shape: { samples: number; layers: { name: string; neurons: number }[] }) => void;
  /** A deflated `.npz` member inflating more times than this is refused (io/npz.ts MAX_INFLATION, 100; 0: no limit). */
  maxInflation?: number;
  /**
   * Keeps only some neurons (the shards of a cluster plan read the columns of their two blocks):
   * for each layer (its name and neuron count), the source neurons to keep, ascending, or null for
   * all; an empty list leaves the layer out (its file is still read, for its SHA-256). The set's
   * `sourceIndex` then names the kept neurons. Non-finite values are left to the caller: no NaN
   * policy applies.
   */
  columns?: (layer: string, neurons: number) => Int32Array | null;
}

export interface LoadedActivations {
  set: ActivationSet;
  inputs: InputRecord[];
  /** Examples removed under `nan: 'drop-examples'` (0 otherwise). */
  dropped: number;
  /** With examples removed: the file's example index of each example kept. */
  rows?: Int32Array | null;
}

/** Bytes read from disk at a time (and inflated at a time from a compressed member). */
const CHUNK = 8 << 20;

/** A layer to be read into the set: its size, and how to fill its neurons. */
interface PlannedLayer {
  name: string;
  file: string;
  samples: number;
  neurons: number;
  /** Every value is exactly a float32 (float16/32 sources, small integers, booleans). */
  exact32: boolean;
  /** Bytes of the file this layer reads (for progress). */
  bytes: number;
  /** The source neurons kept (LoadOptions.columns), or null: all `neurons`. */
  keep?: Int32Array | null;
  fill(dest: ActivationValues, first: number, S: number, io: ReadIo, keep: Int32Array | null): Promise<void>;
}

/** Reading context: cancellation and progress. */
interface ReadIo {
  step(bytes: number): void;
  check(): void;
}

/** Element types whose every value is a float32 exactly. */
function exactInFloat32(t: ElementType | string): boolean {
  if (typeof t === 'string') return /^[<>|=]?(f[24]|[iu][12]|b1)$/.test(t) || t === 'bfloat16';
  return t.kind === 'b' || t.kind === 'bf' || (t.kind === 'f' && t.itemsize <= 4) || ((t.kind === 'i' || t.kind === 'u') && t.itemsize <= 2);
}

/**
 * Reads activation files into one activation set. A .npy file is one layer named after the file;
 * each array of a .npz or each tensor of a .safetensors file is a layer named by its key; CSV/TSV
 * and Parquet columns named `layer/neuron` are grouped into layers by prefix (unprefixed columns
 * form a layer named after the file); a JSON file's `layers` object maps names to S x N arrays.
 * Extensions are matched case-insensitively. All layers must have the same number of examples.
 * Files are only read, never modified.
 *
 * Memory: `.npy` files and `.npz` members (stored or deflated) are streamed from disk in 8 MiB
 * chunks straight into the set, which is float32 when every layer's values are exactly float32
 * (float16/32 files, small integers) and float64 otherwise: a float32 file costs its own size
 * once, plus a chunk. Their headers are read first, so sizes that disagree and arrays that
 * would not fit in the available memory are refused before anything is allocated. Other
 * formats are parsed whole. Reading reports progress (phase `read`, bytes) and stops between
 * chunks when `signal` aborts.
 *
 * With `nan: 'drop-examples'`, examples with a NaN/Inf in any layer of any file are removed after
 * all files are read (their count is reported through `info` and returned as `dropped`).
 *
 * @throws InputError (one line, naming the file) for unreadable or malformed files, an unsupported
 *   extension, a layer without examples or neurons, layers with different numbers of examples,
 *   NaN/Inf under the `'refuse'` policy, or every example dropped under `'drop-examples'`
 */
export async function loadActivationFiles(paths: readonly string[], opts: LoadOptions = {}): Promise<LoadedActivations> {
  if (paths.length === 0) throw new RangeError('no input files');
  const policy = opts.nan ?? 'refuse';
  if (!NAN_POLICIES.includes(policy)) throw new RangeError(`unknown NaN policy '${String(policy)}' (expected ${NAN_POLICIES.join(' or ')})`);
  // Check every extension before reading anything, so a wrong file type fails fast.
  for (const p of paths) readerKind(p);

  const t0 = performance.now();
  let done = 0;
  let total = 0;
  let lastReport = 0;
  const io: ReadIo = {
    check: () => {
      if (opts.signal?.aborted) throw new AbortError();
    },
    step: (bytes) => {
      done += bytes;
      const now = performance.now();
      if (now - lastReport >= 200 || done >= total) {
        lastReport = now;
        opts.onProgress?.({ phase: 'read', done: Math.min(done, total), total, elapsed: (now - t0) / 1000, unit: 'bytes' });
      }
    },
  };

  // 1. Plan: headers only (whole files for the formats that are parsed whole).
  const layers: PlannedLayer[] = [];
  const inputs: InputRecord[] = [];
  const hashes: (() => Promise<string>)[] = [];
  let hashBytes = 0;
  for (const path of paths) {
    io.check();
    const planned = await planFile(path, opts, io);
    inputs.push({ path, bytes: planned.bytes, sha256: '' });
    hashes.push(planned.hash);
    hashBytes += planned.hashBytes;
    if (planned.layers.length === 0) throw new InputError(path, 'holds no arrays');
    for (const layer of planned.layers) {
      if (layers.some((l) => l.name === layer.name)) {
        const renamed = `${fileLayerName(path)}/${layer.name}`;
        opts.warn?.(`${path}: layer '${layer.name}' already exists; named '${renamed}'`);
        layer.name = renamed;
      }
      if (layers.length > 0 && layer.samples !== layers[0].samples) {
        throw new InputError(path, `layer '${layer.name}' has ${layer.samples} examples but layer '${layers[0].name}' (${layers[0].file}) has ${layers[0].samples}`);
      }
      layers.push(layer);
    }
  }

  // the neurons kept of each layer (all, unless the caller reads some columns only)
  if (opts.columns) {
    for (const l of layers) {
      const keep = opts.columns(l.name, l.neurons);
      if (keep === null) continue;
      for (let k = 0; k < keep.length; k++) {
        if (!(Number.isInteger(keep[k]) && keep[k] >= 0 && keep[k] < l.neurons && (k === 0 || keep[k] > keep[k - 1]))) throw new RangeError(`columns of layer '${l.name}': not ascending neurons of 0..${l.neurons - 1}`);
      }
      l.keep = keep;
      l.neurons = keep.length;
    }
  }

  // 2. One allocation for the whole set, checked against the memory there is.
  const S = layers[0].samples;
  const N = layers.reduce((n, l) => n + l.neurons, 0);
  const f32 = layers.every((l) => l.exact32);
  const bytes = N * S * (f32 ? 4 : 8);
  checkMemory(paths[0], bytes + 2 * CHUNK, `the activation set (${S} examples x ${N} neurons, ${f32 ? 'float32' : 'float64'}, ${formatBytes(bytes)})`);
  opts.checkShape?.({ samples: S, layers: layers.map((l) => ({ name: l.name, neurons: l.neurons })) });
  const values: ActivationValues = newValues(f32, N * S);

  // 3. Fill, then hash each file (sequential reads, progress and Ctrl-C between chunks).
  total = layers.reduce((n, l) => n + l.bytes, 0) + hashBytes;
  const infos: LayerInfo[] = [];
  let first = 0;
  for (const l of layers) {
    await l.fill(values, first, S, io, l.keep ?? null);
    if (l.neurons === 0) continue; // left out (LoadOptions.columns): read for its hash only
    infos.push({ name: l.name, offset: first, size: l.neurons });
    first += l.neurons;
  }
  for (let i = 0; i < inputs.length; i++) {
    io.check();
    inputs[i].sha256 = await hashes[i]();
  }

  // 4. NaN/Inf: refused with the first one named, or those examples dropped from every layer.
  const set: ActivationSet = { samples: S, layers: infos, values, sourceIndex: sourceIndexOf(infos, layers.filter((l) => l.neurons > 0).map((l) => l.keep ?? null)) };
  if (opts.columns) return { set, inputs, dropped: 0 };
  const tick = ticker(opts.signal);
  if (policy === 'refuse') {
    await refuseNonFinite(set, layers, tick);
    return { set, inputs, dropped: 0 };
  }
  const r = await dropNonFinite(set, layers, tick);
  if (r.dropped > 0) opts.info?.(r.message);
  return { set: r.set, inputs, dropped: r.dropped, rows: r.rows };
}

function sourceIndexOf(layers: readonly LayerInfo[], keep: readonly (Int32Array | null)[]): Int32Array {
  const out = new Int32Array(layers.reduce((n, l) => n + l.size, 0));
  layers.forEach((l, h) => {
    for (let i = 0; i < l.size; i++) out[l.offset + i] = keep[h] ? keep[h]![i] : i;
  });
  return out;
}

type ReaderKind = 'npy' | 'npz' | 'whole';

/** How `path` is read (by its extension, case-insensitive). */
function readerKind(path: string): ReaderKind {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // a missing file is reported by the reader, with its own message
  }
  if (isDir) throw new InputError(path, `is a directory, not an activation file (give the files in it: ${SUPPORTED_EXTENSIONS.join(', ')}; a model folder goes to --model)`);
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return 'npy';
  if (ext === '.npz') return 'npz';
  if (SUPPORTED_EXTENSIONS.includes(ext)) return 'whole';
  throw new InputError(path, `unsupported file type '${ext || '(none)'}' (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`);
}

interface PlannedFile {
  /** The file's size. */
  bytes: number;
  /** Bytes the hashing pass reads (0 when the data were hashed as they streamed). */
  hashBytes: number;
  layers: PlannedLayer[];
  hash: () => Promise<string>;
}

async function planFile(path: string, opts: LoadOptions, io: ReadIo): Promise<PlannedFile> {
  const kind = readerKind(path);
  if (kind === 'whole') return planWhole(path, opts);
  const size = await fileSize(path);
  const readAt = async (position: number, length: number): Promise<Uint8Array> => readRange(path, position, length);
  const hash = (): Promise<string> => hashFile(path, io);
  if (kind === 'npy') {
    const head = await readAt(0, Math.min(size, 64 << 10));
    let h: NpyHeader;
    try {
      h = readNpyHeader(head, path, { prefixOnly: true });
    } catch (e) {
      // A header longer than 64 KiB (or a short file): let the whole-file reader say what it is.
      if (!(e instanceof InputError) || !/truncated/.test(e.problem) || size <= head.length) throw e;
      h = readNpyHeader(await readAt(0, Math.min(size, 1 << 20)), path, { prefixOnly: true });
    }
    const need = h.dataOffset + h.size * h.element.itemsize;
    if (need > size) {
      throw new InputError(path, `truncated: header says ${formatShape(h.shape)} ${elementName(h.element)} (${h.size * h.element.itemsize} bytes) but only ${size - h.dataOffset} data bytes follow`);
    }
    const name = fileLayerName(path);
    const layer = layerOf(h, name, path, opts);
    if (layer === null) return planWholeNpy(path, opts, h);
    // The data reach the end of the file (as NumPy writes it): hash them as they stream by.
    const inline = need === size ? createHash('sha256') : null;
    return {
      bytes: size,
      hashBytes: inline ? 0 : size,
      hash: inline ? async () => inline.digest('hex') : hash,
      layers: [
        {
          ...layer,
          bytes: need,
          fill: (dest, first, S, io2, keep) => streamFile(path, need, layer.shape, dest, first, S, io2, inline, keep),
        },
      ],
    };
  }
  // .npz: the central directory, then each member's own header (inflating at most ~1 MiB).
  const members = await listZipFile(readAt, size, path);
  const out: PlannedLayer[] = [];
  const seen = new Set<string>();
  for (const m of members) {
    io.check();
    if (!m.name.endsWith('.npy')) throw new InputError(path, `member '${m.name}' is not a .npy file (an .npz may only contain .npy members)`);
    const key = m.name.slice(0, -4);
    if (seen.has(key)) throw new InputError(path, `duplicate member '${m.name}'`);
    seen.add(key);
    const start = await memberDataOffset(readAt, m, size, path);
    const h = memberNpyHeader(await readAt(start, Math.min(m.compressedSize, MEMBER_HEAD_BYTES)), m, path);
    checkMemberClaim(path, m, h, opts.maxInflation);
    const declared = h.dataOffset + h.size * h.element.itemsize;
    if (m.size < declared) {
      throw new InputError(path, `member '${m.name}': truncated: header says ${formatShape(h.shape)} ${elementName(h.element)} (${h.size * h.element.itemsize} bytes) but only ${Math.max(0, m.size - h.dataOffset)} data bytes follow`);
    }
    const layer = layerOf(h, key, path, opts, m.name);
    if (layer === null) throw new InputError(path, `member '${m.name}': Fortran-ordered arrays of rank ${h.shape.length} are not supported; save it in C order`);
    out.push({ ...layer, bytes: m.size, fill: (dest, first, S, io2, keep) => streamMember(path, m, start, layer.shape, dest, first, S, io2, keep) });
  }
  return { bytes: size, hashBytes: size, hash, layers: out };
}

/** A planned layer's size from a .npy header, or null when it cannot be streamed. */
function layerOf(h: NpyHeader, name: string, file: string, opts: LoadOptions, member?: string): (Omit<PlannedLayer, 'fill' | 'bytes'> & { shape: LayerShape }) | null {
  const where = member === undefined ? '' : `member '${member}': `;
  const shape = h.shape;
  if (shape.length === 0) throw new InputError(file, `${where}array '${name}' is a scalar; expected examples x neurons`);
  if (shape[0] === 0) throw new InputError(file, `${where}array '${name}' has no examples (shape ${formatShape(shape)})`);
  const token = opts.token ?? 'first';
  const ls: LayerShape = { shape, fortranOrder: h.fortranOrder, token };
  if (!streamable(ls)) return null;
  if (shape.length === 3 && shape[1] === 0) throw new InputError(file, `${where}array '${name}' has no tokens (shape ${formatShape(shape)})`);
  const neurons = layerNeurons(ls);
  if (neurons === 0) throw new InputError(file, `${where}array '${name}' has no neurons (shape ${formatShape(shape)})`);
  if (shape.length === 3) opts.warn?.(`${file}: '${name}' is ${formatShape(shape)}; reduced over tokens with --token ${token}`);
  if (shape.length > 3) opts.warn?.(`${file}: '${name}' has rank ${shape.length} (${formatShape(shape)}); flattened to ${shape[0]} x ${neurons} per example`);
  // A token mean is a sum divided by T: exact only in float64.
  const exact32 = exactInFloat32(h.element) && !(shape.length === 3 && token === 'mean');
  return { name, file, samples: shape[0], neurons, exact32, shape: ls };
}

/** Streams the first `to` bytes of a .npy file (header and data) through a decoder into the set. */
async function streamFile(path: string, to: number, shape: LayerShape, dest: ActivationValues, first: number, S: number, io: ReadIo, hash: Hash | null, keep: Int32Array | null): Promise<void> {
  const w = layerWriter(shape, dest, first, S, keep);
  const decoder = new NpyStreamDecoder(path, () => undefined, w.write);
  const fh = await openRead(path);
  try {
    const buf = new Uint8Array(Math.min(CHUNK, Math.max(1, to)));
    for (let pos = 0; pos < to; ) {
      io.check();
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, to - pos), pos);
      if (bytesRead === 0) break;
      hash?.update(buf.subarray(0, bytesRead));
      decoder.push(buf.subarray(0, bytesRead));
      pos += bytesRead;
      io.step(bytesRead);
    }
  } finally {
    await fh.close();
  }
  decoder.end();
  w.finish();
}

/** Streams one .npz member (stored or deflated, CRC-checked) into the set. */
async function streamMember(path: string, m: ZipMember, start: number, shape: LayerShape, dest: ActivationValues, first: number, S: number, io: ReadIo, keep: Int32Array | null): Promise<void> {
  const w = layerWriter(shape, dest, first, S, keep);
  const decoder = new NpyStreamDecoder(m.name, () => undefined, w.write);
  let crc = 0;
  let inflated = 0;
  const take = (c: Uint8Array): void => {
    crc = crc32Of(c, crc);
    inflated += c.length;
    if (inflated > m.size) throw new InputError(path, `corrupt member '${m.name}': inflates to more than the ${m.size} bytes it declares`);
    io.step(c.length); // progress in inflated bytes: what the work is
    decoder.push(c);
  };
  const fh = await openRead(path);
  // zlib inflates in 1 MiB pieces, pulled one at a time: memory stays bounded whatever the ratio.
  const inflater = m.method === 8 ? createInflateRaw({ chunkSize: 1 << 20 }) : null;
  const source = m.compressedSize > 0 ? fh.createReadStream({ start, end: start + m.compressedSize - 1, highWaterMark: 1 << 20, autoClose: false }) : null;
  try {
    if (source) {
      let read = 0;
      source.on('data', (c) => {
        read += c.length;
      });
      const chunks = inflater ? source.pipe(inflater) : source;
      source.on('error', (e) => inflater?.destroy(e));
      for await (const c of chunks as AsyncIterable<Buffer>) {
        io.check();
        take(new Uint8Array(c.buffer, c.byteOffset, c.length));
      }
      if (read < m.compressedSize) throw new InputError(path, `corrupt member '${m.name}': data lies outside the file (truncated?)`);
    }
  } catch (e) {
    if (e instanceof InputError) {
      if (e.file === m.name) throw new InputError(path, `member '${m.name}': ${e.problem}`, { cause: e });
      throw e;
    }
    if (e instanceof AbortError) throw e;
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new InputError(path, `corrupt member '${m.name}': deflate data invalid (${(e as Error).message})`, { cause: e });
    throw e;
  } finally {
    inflater?.destroy();
    source?.destroy();
    await fh.close();
  }
  if (inflated !== m.size) throw new InputError(path, `corrupt member '${m.name}': inflated to ${inflated} bytes, expected ${m.size}`);
  if ((crc >>> 0) !== m.crc32) throw new InputError(path, `corrupt member '${m.name}': CRC-32 mismatch`);
  try {
    decoder.end();
  } catch (e) {
    if (e instanceof InputError && e.file === m.name) throw new InputError(path, `member '${m.name}': ${e.problem}`, { cause: e });
    throw e;
  }
  w.finish();
}

/** CRC-32 continued over `c`: zlib's native one where Node has it (20.15+), else ours. */
function crc32Of(c: Uint8Array, previous: number): number {
  const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  return native ? native(c, previous) : crc32(c, previous);
}

async function openRead(path: string) {
  try {
    return await open(path, 'r');
  } catch {
    // The same one-line messages as a whole-file read.
    await readFileBytes(path);
    throw new InputError(path, 'cannot read');
  }
}

async function fileSize(path: string): Promise<number> {
  let st;
  try {
    st = await stat(path);
  } catch {
    await readFileBytes(path); // throws the one-line message (no such file, permission denied...)
    throw new InputError(path, 'cannot read');
  }
  if (st.isDirectory()) throw new InputError(path, 'is a directory, not a file');
  return st.size;
}

async function readRange(path: string, position: number, length: number): Promise<Uint8Array> {
  const fh = await openRead(path);
  try {
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/** SHA-256 of a file, read in chunks (progress and cancellation between them). */
async function hashFile(path: string, io: ReadIo): Promise<string> {
  const h = createHash('sha256');
  const fh = await openRead(path);
  try {
    const buf = new Uint8Array(CHUNK);
    for (;;) {
      io.check();
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
      io.step(bytesRead);
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}

/** A .npy that cannot be streamed (Fortran order, rank >= 3): read whole. */
async function planWholeNpy(path: string, opts: LoadOptions, h: NpyHeader): Promise<PlannedFile> {
  checkMemory(path, 16 * h.size, `the array (${formatShape(h.shape)} ${h.dtype})`);
  return planWhole(path, opts);
}

/** Formats parsed whole: CSV/TSV, Parquet, JSON, safetensors (and non-streamable .npy). */
async function planWhole(path: string, opts: LoadOptions): Promise<PlannedFile> {
  const whole = await parseWholeInWorker(path, opts);
  const layers: PlannedLayer[] = [];
  for (const [key, arr] of whole.arrays) {
    // Non-finite values are checked once the set is whole (refused or dropped there).
    const m = arrayToLayer(arr, key, path, { ...opts, allowNonFinite: true });
    const exact32 = exactInFloat32(arr.dtype) && !(arr.shape.length === 3 && (opts.token ?? 'first') === 'mean');
    layers.push({
      name: key,
      file: path,
      samples: m.samples,
      neurons: m.neurons,
      exact32,
      bytes: 0,
      fill: async (dest, first, S, _io, keep) => {
        const N = m.neurons;
        const d = m.data;
        const tick = ticker(opts.signal);
        const K = keep ? keep.length : N;
        for (let k = 0; k < K; k++) {
          await tick();
          const n = keep ? keep[k] : k;
          const base = (first + k) * S;
          for (let s = 0; s < S; s++) dest[base + s] = d[s * N + n];
        }
      },
    });
  }
  return { bytes: whole.bytes, hashBytes: 0, layers, hash: async () => whole.sha256 };
}

/**
 * Reads and parses a whole file in a worker thread (parse-whole.ts), reporting the read as
 * progress; Ctrl-C (the signal) stops the worker at once.
 */
function parseWholeInWorker(path: string, opts: LoadOptions): Promise<WholeFile> {
  if (opts.signal?.aborted) return Promise.reject(new AbortError());
  const t0 = performance.now();
  const worker = new Worker(new URL('./parse-worker.js', import.meta.url), { workerData: { path, header: opts.header } });
  return new Promise<WholeFile>((resolve, reject) => {
    const onAbort = (): void => {
      void worker.terminate();
      reject(new AbortError());
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      opts.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'read') {
        opts.onProgress?.({ phase: 'read', done: m.done, total: m.size, elapsed: (performance.now() - t0) / 1000, unit: 'bytes' });
        return;
      }
      finish();
      if (m.type === 'done') {
        resolve({ bytes: m.bytes, sha256: m.sha256, arrays: new Map(m.arrays.map((a) => [a.key, { shape: a.shape, dtype: a.dtype, data: a.data }])) });
      } else if (m.name === 'InputError' && m.file !== undefined && m.problem !== undefined) reject(new InputError(m.file, m.problem));
      else reject(Object.assign(new Error(m.message), { name: m.name }));
    });
    worker.on('error', (e) => {
      finish();
      reject(e);
    });
  });
}

type WorkerMessage =
  | { type: 'read'; done: number; size: number }
  | { type: 'done'; bytes: number; sha256: string; arrays: { key: string; shape: number[]; dtype: string; data: Float64Array }[] }
  | { type: 'error'; name: string; message: string; file?: string; problem?: string };

/**
 * The first NaN/Inf in row-major order (smallest example, then neuron) of each layer, refused
 * with the message the loader always gave.
 */
async function refuseNonFinite(set: ActivationSet, layers: readonly PlannedLayer[], tick: () => Promise<void> | void): Promise<void> {
  const S = set.samples;
  const v = set.values;
  for (let li = 0; li < set.layers.length; li++) {
    const l = set.layers[li];
    let bestS = S;
    let bestN = -1;
    for (let n = 0; n < l.size; n++) {
      await tick();
      const base = (l.offset + n) * S;
      for (let s = 0; s < bestS; s++) {
        const x = v[base + s];
        if (x - x !== 0) {
          bestS = s;
          bestN = n;
          break;
        }
      }
    }
    if (bestN >= 0) {
      const x = v[(l.offset + bestN) * S + bestS];
      throw new InputError(layers[li].file, `array '${layers[li].name}' holds ${x} at example ${bestS}, neuron ${bestN} (NaN/Inf are refused; use --nan drop-examples to drop such examples)`);
    }
  }
}

/**
 * Removes every example (row) that has a NaN/Inf in any layer, in place (the set's buffer is
 * reused).
 * @throws InputError when no example is left
 */
async function dropNonFinite(set: ActivationSet, layers: readonly PlannedLayer[], tick: () => Promise<void> | void): Promise<{ set: ActivationSet; rows: Int32Array | null; dropped: number; message: string }> {
  const S = set.samples;
  const v = set.values;
  const N = set.sourceIndex.length;
  const bad = new Uint8Array(S);
  for (let n = 0; n < N; n++) {
    await tick();
    const base = n * S;
    for (let s = 0; s < S; s++) {
      const x = v[base + s];
      if (x - x !== 0) bad[s] = 1;
    }
  }
  let dropped = 0;
  let first = -1;
  for (let s = 0; s < S; s++) {
    if (bad[s] === 1) {
      dropped++;
      if (first < 0) first = s;
    }
  }
  if (dropped === 0) return { set, rows: null, dropped: 0, message: '' };
  // Where the first dropped example has its first NaN/Inf.
  let where = 0;
  for (let li = 0; li < set.layers.length; li++) {
    const l = set.layers[li];
    let hit = false;
    for (let n = l.offset; n < l.offset + l.size && !hit; n++) if (!Number.isFinite(v[n * S + first])) hit = true;
    if (hit) {
      where = li;
      break;
    }
  }
  const firstDesc = `first: example ${first} in ${layers[where].file} layer '${set.layers[where].name}'`;
  if (dropped === S) {
    throw new InputError(layers[where].file, `every one of the ${S} examples has NaN/Inf in some layer (${firstDesc}); nothing is left after --nan drop-examples`);
  }
  const keep = S - dropped;
  for (let n = 0; n < N; n++) {
    let o = n * keep;
    const base = n * S;
    for (let s = 0; s < S; s++) if (bad[s] === 0) v[o++] = v[base + s];
  }
  const values = v.subarray(0, N * keep);
  const rows = new Int32Array(keep);
  for (let s = 0, k = 0; s < S; s++) if (bad[s] === 0) rows[k++] = s;
  return { set: { ...set, samples: keep, values }, rows, dropped, message: `dropped ${dropped} of ${S} examples with NaN/Inf (${firstDesc})` };
}
