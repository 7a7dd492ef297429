/**
 * A plan's frame, DIR/frame.json: which neurons of the inputs the analysis measures, in its
 * order (each one's layer and column in its file), which examples (the files' rows, when not all
 * of them in order: `--samples`, `--nan drop-examples`), and for each neuron the extents its bins
 * are drawn from (global binning: every neuron's; layer: its layer's; otherwise its own). A
 * shard reads only the columns of its neurons (the loader's `columns`) and builds from the frame
 * the neurons a whole run would prepare: the same values, layer names and columns (which seed the
 * jitter), and the same bins.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ActivationSet, allocValues, neuronCount } from '../core/activations/activation-set.js';
import { InputError } from '../io/errors.js';
import type { Settings } from '../analysis/settings.js';

export interface PlanFrame {
  /** Per analysed neuron: its layer (index into the plan's `layers`) and its column there. */
  layer: number[];
  column: number[];
  /** The files' example of each analysed example, or null: all, in order. */
  rows: number[] | null;
  /** Per analysed neuron, [lo, hi] of its bins' group. */
  binExtents: number[];
}

/** The frame of a selected set (its neurons' extents `extents`, the files' rows `rows`). */
export function makeFrame(selected: ActivationSet, extents: Float64Array, binning: Settings['binning'], rows: Int32Array | null): PlanFrame {
  const N = neuronCount(selected);
  const layer = new Array<number>(N);
  selected.layers.forEach((l, h) => layer.fill(h, l.offset, l.offset + l.size));
  const group = (from: number, to: number): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let n = from; n < to; n++) {
      lo = Math.min(lo, extents[2 * n]);
      hi = Math.max(hi, extents[2 * n + 1]);
    }
    return [lo, hi];
  };
  const binExtents = new Array<number>(2 * N);
  const all = group(0, N);
  for (const l of selected.layers) {
    const own = group(l.offset, l.offset + l.size);
    for (let n = l.offset; n < l.offset + l.size; n++) {
      const [lo, hi] = binning === 'global' ? all : binning === 'layer' ? own : [extents[2 * n], extents[2 * n + 1]];
      binExtents[2 * n] = lo;
      binExtents[2 * n + 1] = hi;
    }
  }
  return { layer, column: Array.from(selected.sourceIndex), rows: rows ? Array.from(rows) : null, binExtents };
}

/** Writes DIR/frame.json atomically; returns its SHA-256 (recorded in the plan). */
export async function writeFrame(dir: string, frame: PlanFrame): Promise<string> {
  const text = JSON.stringify(frame) + '\n';
  const tmp = join(dir, `.frame.json.tmp-${process.pid}`);
  await writeFile(tmp, text);
  await rename(tmp, join(dir, 'frame.json'));
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reads DIR/frame.json and checks it against the plan's SHA-256 of it.
 * @throws InputError naming the file
 */
export async function readFrame(dir: string, sha256: string): Promise<PlanFrame> {
  const path = join(dir, 'frame.json');
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch {
    throw new InputError(path, 'is missing: make the plan again');
  }
  if (createHash('sha256').update(text).digest('hex') !== sha256) throw new InputError(path, 'does not match the plan (edited or damaged): make the plan again');
  return JSON.parse(text.toString('utf8')) as PlanFrame;
}

/** For the loader: the columns of each layer that neurons `ks` (ascending) need; none of the others. */
export function frameColumns(frame: PlanFrame, layers: readonly { name: string }[], ks: Int32Array): (layer: string) => Int32Array {
  const need = new Map<string, Set<number>>();
  for (const k of ks) {
    const name = layers[frame.layer[k]].name;
    if (!need.has(name)) need.set(name, new Set());
    need.get(name)!.add(frame.column[k]);
  }
  return (layer) => Int32Array.from(need.get(layer) ?? []).sort();
}

/**
 * The set of neurons `ks` (ascending analysed-neuron indices) on the frame's examples, from a
 * set loaded with `frameColumns`: as the whole run's set has them (layer names, columns), in `ks`
 * order; and their bins' extents.
 */
export function frameSubset(loaded: ActivationSet, frame: PlanFrame, layers: readonly { name: string }[], ks: Int32Array): { set: ActivationSet; extents: Float64Array } {
  const S0 = loaded.samples;
  const rows = frame.rows;
  const S = rows ? rows.length : S0;
  const at = new Map<string, Map<number, number>>();
  for (const l of loaded.layers) {
    const m = new Map<number, number>();
    for (let n = l.offset; n < l.offset + l.size; n++) m.set(loaded.sourceIndex[n], n);
    at.set(l.name, m);
  }
  const src = Int32Array.from(ks, (k) => {
    const p = at.get(layers[frame.layer[k]].name)?.get(frame.column[k]);
    if (p === undefined) throw new RangeError(`the inputs lack layer '${layers[frame.layer[k]].name}' column ${frame.column[k]} of the plan`);
    return p;
  });
  const identity = !rows && src.every((p, i) => p === i) && src.length === neuronCount(loaded);
  let values = loaded.values;
  if (!identity) {
    values = allocValues(loaded.values, ks.length * S);
    for (let i = 0; i < ks.length; i++) {
      const base = src[i] * S0;
      if (rows) for (let s = 0; s < S; s++) values[i * S + s] = loaded.values[base + rows[s]];
      else values.set(loaded.values.subarray(base, base + S0), i * S);
    }
  }
  const out: { name: string; offset: number; size: number }[] = [];
  ks.forEach((k, i) => {
    const name = layers[frame.layer[k]].name;
    const last = out[out.length - 1];
    if (last && last.name === name) last.size++;
    else out.push({ name, offset: i, size: 1 });
  });
  const extents = new Float64Array(2 * ks.length);
  ks.forEach((k, i) => {
    extents[2 * i] = frame.binExtents[2 * k];
    extents[2 * i + 1] = frame.binExtents[2 * k + 1];
  });
  return { set: { samples: S, layers: out, values, sourceIndex: Int32Array.from(ks, (k) => frame.column[k]) }, extents };
}
