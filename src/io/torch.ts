/**
 * PyTorch `.pt` / `.pth` files as `torch.save` writes them (PyTorch 1.6 and later: a zip holding
 * `<name>/data.pkl`, a pickle of the saved object, and `<name>/data/<key>`, one record per
 * storage), read without running any of the pickle: the restricted reader (pickle.ts) accepts
 * only tensor reconstruction (`torch._utils._rebuild_tensor_v2`, `_rebuild_parameter`), the
 * storage types, `collections.OrderedDict` (state dicts) and `torch.Size`, and refuses every
 * other callable with one line naming it. This is what `torch.load(..., weights_only=True)` allows.
 *
 * Every tensor reachable through dicts, lists and tuples becomes an array named by its path
 * (`fc1`, `blocks/0`, `views/slice`); a tensor saved on its own is named after the file. Other
 * values (numbers, strings) are passed over. Views are read with their strides and storage
 * offset, whatever their layout; float16, bfloat16, integers and booleans are widened to float64.
 */
import type { NdArray } from './array.js';
import { shapeSize } from './array.js';
import { decodeElements, type ElementType } from './dtype.js';
import { InputError } from './errors.js';
import { isTuple, unpickle } from './pickle.js';
import { extractZipMember, listZip } from './zip.js';

/** The storage classes torch.save names, and their elements. */
const STORAGES: Record<string, { type: ElementType; dtype: string }> = {
  DoubleStorage: { type: { kind: 'f', itemsize: 8, littleEndian: true }, dtype: '<f8' },
  FloatStorage: { type: { kind: 'f', itemsize: 4, littleEndian: true }, dtype: '<f4' },
  HalfStorage: { type: { kind: 'f', itemsize: 2, littleEndian: true }, dtype: '<f2' },
  BFloat16Storage: { type: { kind: 'bf', itemsize: 2, littleEndian: true }, dtype: 'bfloat16' },
  LongStorage: { type: { kind: 'i', itemsize: 8, littleEndian: true }, dtype: '<i8' },
  IntStorage: { type: { kind: 'i', itemsize: 4, littleEndian: true }, dtype: '<i4' },
  ShortStorage: { type: { kind: 'i', itemsize: 2, littleEndian: true }, dtype: '<i2' },
  CharStorage: { type: { kind: 'i', itemsize: 1, littleEndian: true }, dtype: '|i1' },
  ByteStorage: { type: { kind: 'u', itemsize: 1, littleEndian: true }, dtype: '|u1' },
  BoolStorage: { type: { kind: 'b', itemsize: 1, littleEndian: true }, dtype: '|b1' },
};

/** A tensor read from the file (values already in C order, float64). */
class Tensor {
  constructor(readonly array: NdArray) {}
}

interface Storage {
  kind: string;
  values: Float64Array;
  dtype: string;
}

/** The pickle's magic number that opens PyTorch's legacy (before 1.6) format. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

/**
 * Parses a `.pt`/`.pth` file's bytes into its tensors, keyed by their path in the saved object.
 * @throws InputError naming `file`: a refused callable, the legacy format, a damaged archive
 */
export function parseTorch(bytes: Uint8Array, file: string, layerName: string): Map<string, NdArray> {
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (!isZip) {
    if (isLegacy(bytes)) throw new InputError(file, "is in PyTorch's legacy format (torch.save before 1.6, or _use_new_zipfile_serialization=False): load it in PyTorch and save it again with torch.save");
    // a plain pickle: read as restricted as the rest (it can hold no tensor data, only refusals)
    if (bytes[0] !== 0x80) throw new InputError(file, 'is not a PyTorch file (torch.save writes a zip archive)');
  }
  const members = isZip ? listZip(bytes, file) : [];
  const pkl = members.find((m) => m.name === 'data.pkl' || m.name.endsWith('/data.pkl'));
  if (isZip && !pkl) throw new InputError(file, 'is a zip archive without data.pkl: not a torch.save file');
  const prefix = pkl ? pkl.name.slice(0, -'data.pkl'.length) : '';
  const byteorder = members.find((m) => m.name === `${prefix}byteorder`);
  const little = byteorder ? new TextDecoder().decode(extractZipMember(bytes, byteorder, file)).trim() !== 'big' : true;
  const records = new Map(members.filter((m) => m.name.startsWith(`${prefix}data/`)).map((m) => [m.name.slice(prefix.length + 5), m]));
  const storages = new Map<string, Storage>();

  const storageClass = (name: string): ((...a: unknown[]) => unknown) | null => {
    if (!(name in STORAGES)) return null;
    const f = (): never => {
      throw new InputError(file, `damaged pickle (a storage class called)`);
    };
    return Object.assign(f, { storageKind: name });
  };
  const load = (pid: unknown): Storage => {
    if (!isTuple(pid) || pid[0] !== 'storage' || pid.length < 5) throw new InputError(file, 'holds a persistent reference that is not a storage');
    const [, cls, key, , numel] = pid as unknown as [string, unknown, string, string, number];
    const kind = typeof cls === 'function' ? (cls as { storageKind?: string }).storageKind : undefined;
    if (!kind || typeof key !== 'string' || !Number.isSafeInteger(numel) || numel < 0) throw new InputError(file, 'holds a storage reference it cannot read');
    const have = storages.get(key);
    if (have) return have;
    const rec = records.get(key);
    if (!rec) throw new InputError(file, `storage '${key}' is missing from the archive (truncated?)`);
    const { type, dtype } = STORAGES[kind];
    const data = extractZipMember(bytes, rec, file);
    if (data.length < numel * type.itemsize) throw new InputError(file, `storage '${key}' holds ${data.length} bytes, ${numel} ${kind} elements need ${numel * type.itemsize}`);
    const s: Storage = { kind, dtype, values: decodeElements(data, 0, numel, { ...type, littleEndian: little }) };
    storages.set(key, s);
    return s;
  };
  const rebuild = (storage: unknown, offset: unknown, size: unknown, stride: unknown): Tensor => {
    const st = storage as Storage;
    if (!st || !(st.values instanceof Float64Array)) throw new InputError(file, 'a tensor without its storage');
    const shape = dims(size, 'size');
    const strides = dims(stride, 'stride');
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || strides.length !== shape.length) throw new InputError(file, 'a tensor with a damaged layout');
    const count = shapeSize(shape);
    let last = offset;
    for (let d = 0; d < shape.length; d++) last += Math.max(0, shape[d] - 1) * strides[d];
    if (count > 0 && last >= st.values.length) throw new InputError(file, `a ${shape.join('x')} tensor reaches past its storage (${st.values.length} elements)`);
    const data = new Float64Array(count);
    // gather in C order through the strides (views: transposes, slices, expanded dims)
    const idx = new Array<number>(shape.length).fill(0);
    let at = offset;
    for (let k = 0; k < count; k++) {
      data[k] = st.values[at];
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) {
          at += strides[d];
          break;
        }
        at -= (shape[d] - 1) * strides[d];
        idx[d] = 0;
      }
    }
    return new Tensor({ shape, dtype: st.dtype, data });
  };
  const dims = (v: unknown, what: string): number[] => {
    if (!Array.isArray(v) || !v.every((x) => Number.isSafeInteger(x) && (x as number) >= 0)) throw new InputError(file, `a tensor with a damaged ${what}`);
    return Array.from(v as number[]);
  };

  const root = unpickle(pkl ? extractZipMember(bytes, pkl, file) : bytes, file, {
    findClass(module, name) {
      if (module === 'torch._utils' && name === '_rebuild_tensor_v2') return (s, o, size, stride) => rebuild(s, o, size, stride);
      if (module === 'torch._utils' && name === '_rebuild_tensor') return (s, o, size, stride) => rebuild(s, o, size, stride);
      if (module === 'torch._utils' && (name === '_rebuild_parameter' || name === '_rebuild_parameter_with_state')) return (data) => data;
      if (module === 'torch' && name === 'Size') return (d) => (Array.isArray(d) ? [...d] : []);
      if (module === 'collections' && name === 'OrderedDict') return () => new Map();
      if (module === 'torch') return storageClass(name);
      return null;
    },
    persistentLoad: load,
    build(obj, state) {
      // a state dict's `_metadata` (module versions): an attribute, not an entry
      if (obj instanceof Map || obj instanceof Tensor) return obj;
      if (state === null) return obj;
      throw new InputError(file, 'holds an object whose state is set by its class (BUILD), which is refused');
    },
  });

  const out = new Map<string, NdArray>();
  const walk = (v: unknown, path: string): void => {
    if (v instanceof Tensor) out.set(path || layerName, v.array);
    else if (v instanceof Map) for (const [k, x] of v) walk(x, path ? `${path}/${String(k)}` : String(k));
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, path ? `${path}/${i}` : `${layerName}/${i}`));
  };
  walk(root, '');
  if (out.size === 0) throw new InputError(file, 'holds no tensors');
  return out;
}

/** Whether the bytes open with the legacy format's pickled magic number (LONG1 10 bytes). */
function isLegacy(b: Uint8Array): boolean {
  if (b.length < 14 || b[0] !== 0x80 || b[2] !== 0x8a || b[3] !== 10) return false;
  let v = 0n;
  for (let i = 13; i >= 4; i--) v = (v << 8n) | BigInt(b[i]);
  return v === LEGACY_MAGIC;
}
