/**
 * `extractActivations(model, inputs, opts)`: runs a model over its inputs in batches and returns
 * the requested layers as S x N matrices (rank > 2 outputs reduced per `token` / `pool`).
 *
 * Memory: only the reduced S x N result of each layer is kept; each batch's raw outputs are
 * dropped once reduced, so large S streams.
 */
import type { LayerMatrix } from '../core/activations/activation-set.js';
import type { Progress } from '../engine/progress.js';
import { AbortError } from '../engine/progress.js';
import { InputError } from '../io/errors.js';
import type { TokenReduction } from '../inputs/to-layer.js';
import { readModelInputs, type ModelInputs } from './inputs.js';
import type { ModelKind } from './kind.js';
import { modelDisplay, openModel, type ModelSource, type OpenedModel } from './model.js';
import { describeReduction, reduceInto, reducedWidth, type Pooling } from './reduce.js';

/** Inputs given by path or already in memory. */
export type InputSource = string | ModelInputs;

export interface ExtractOptions {
  /** Layer names, or `'auto'` (the default; `'auto:post'` the same), `'auto:pre'`: see auto-layers.ts. */
  layers?: readonly string[] | AutoLayers;
  /** Examples per model run (default 64; a model with a fixed batch size uses its own). */
  batch?: number;
  /** Reduction of rank-3 (B x T x D) outputs (default `first`, the [CLS] token). */
  token?: TokenReduction;
  /** Reduction of rank >= 4 conv maps: `avg` global average pooling (default), `none` flatten. */
  pool?: Pooling;
  /** onnxruntime intra-op threads (default: its own choice). */
  threads?: number;
  /** Progress (phase `extract`, units = examples). */
  onProgress?: (p: Progress) => void;
  /** Messages such as what `auto` picked. */
  info?: (msg: string) => void;
  signal?: AbortSignal;
}

/** An extracted layer: the S x N matrix plus where it came from. */
export interface ExtractedLayer extends LayerMatrix {
  readonly data: Float64Array;
  /** Op type (ONNX) or layer class (TF.js). */
  readonly op: string;
  /** Raw output shape of one batch, example axis first (`B` for it). */
  readonly shape: (number | string)[];
  /** `none`, `token:first|last|mean`, `pool:avg`, `flatten`. */
  readonly reduction: string;
  /** The narrowest float type holding the values exactly (float32 unless averaged or float64 outputs). */
  readonly exact: 'float32' | 'float64';
}

export interface Extraction {
  layers: ExtractedLayer[];
  kind: ModelKind;
  model: string;
  inputs: string;
  samples: number;
  /** What `auto` recognised, when layers were `auto`. */
  auto?: string;
  /** Texts inputs: the (1-based) lines that were empty, kept as examples (example i is line i + 1). */
  blankLines?: number[];
  seconds: number;
}

/** A few names of `pool` close to `name` (substring matches first, then by edit distance). */
export function closestNames(name: string, pool: readonly string[], count = 5): string[] {
  const low = name.toLowerCase();
  const scored = pool.map((p) => {
    const pl = p.toLowerCase();
    const sub = pl.includes(low) || low.includes(pl) ? 0 : 1;
    return { p, sub, d: editDistance(low, pl) };
  });
  scored.sort((a, b) => a.sub - b.sub || a.d - b.d);
  return scored.slice(0, count).map((x) => x.p);
}

function editDistance(a: string, b: string): number {
  if (a.length > 200 || b.length > 200) return Math.abs(a.length - b.length) + 200;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** `--layers auto` (= `auto:post`: MLP layers after their activation) or `auto:pre` (before it). */
export type AutoLayers = 'auto' | 'auto:post' | 'auto:pre';

/** Resolves `--layers` against a model: checks the names, or runs `auto`. */
export function resolveLayers(m: OpenedModel, layers: readonly string[] | AutoLayers): { names: string[]; auto?: string } {
  if (typeof layers === 'string') {
    let pick;
    try {
      pick = m.auto(layers === 'auto:pre' ? 'pre' : 'post');
    } catch (e) {
      if (e instanceof RangeError) throw new InputError(m.display, e.message);
      throw e;
    }
    if (pick.layers.length === 0) {
      throw new InputError(m.display, `--layers auto found no hidden layers (${m.layerOps.size} candidates); name them with --layers (see 'infomem layers ${m.display}')`);
    }
    return { names: pick.layers, auto: pick.description };
  }
  if (layers.length === 0) throw new InputError(m.display, 'no layers requested');
  const seen = new Set<string>();
  for (const name of layers) {
    if (!m.layerOps.has(name)) {
      const near = closestNames(name, [...m.layerOps.keys()]);
      throw new InputError(m.display, `unknown layer '${name}'; candidates include ${near.map((n) => `'${n}'`).join(', ')} (see 'infomem layers ${m.display}')`);
    }
    if (seen.has(name)) throw new InputError(m.display, `layer '${name}' is requested twice`);
    seen.add(name);
  }
  return { names: [...layers] };
}

/**
 * Runs `model` over `inputs` and returns the activations of the requested layers.
 * @throws InputError for a bad model, bad inputs, unknown layers or non-finite activations
 */
export async function extractActivations(model: ModelSource, inputs: InputSource, opts: ExtractOptions = {}): Promise<Extraction> {
  const t0 = performance.now();
  const token = opts.token ?? 'first';
  const pool = opts.pool ?? 'avg';
  const batchOpt = opts.batch ?? 64;
  if (!Number.isInteger(batchOpt) || batchOpt < 1) throw new RangeError(`batch must be a positive integer, got ${batchOpt}`);
  const m = await openModel(model);
  try {
    const ins = typeof inputs === 'string' ? await readModelInputs(inputs) : inputs;
    if (ins.kind === 'texts' && ins.blank && ins.blank.length > 0) {
      const b = ins.blank;
      opts.info?.(`${ins.source}: ${b.length} empty line${b.length === 1 ? '' : 's'} (${b.slice(0, 8).join(', ')}${b.length > 8 ? ', ...' : ''}) kept as examples of an empty text, so that example i is line i + 1`);
    }
    const { names, auto } = resolveLayers(m, opts.layers ?? 'auto');
    if (auto !== undefined) opts.info?.(`layers auto: ${auto}: ${names.join(', ')}`);
    const runner = await m.runner(names, ins, { threads: opts.threads });
    const S = runner.samples;
    const batch = runner.fixedBatch ?? batchOpt;
    if (runner.fixedBatch !== undefined && opts.batch !== undefined && opts.batch !== runner.fixedBatch) {
      opts.info?.(`${m.display} has a fixed batch size of ${runner.fixedBatch}; using it instead of ${opts.batch}`);
    }
    const mats: (Float64Array | undefined)[] = names.map(() => undefined);
    const widths: number[] = [];
    const shapes: (number | string)[][] = [];
    const reductions: string[] = [];
    const exact: ('float32' | 'float64')[] = [];
    try {
      for (let start = 0; start < S; start += batch) {
        if (opts.signal?.aborted) throw new AbortError();
        const end = Math.min(S, start + batch);
        const res = await runner.run(start, end);
        res.outputs.forEach((o, li) => {
          const name = names[li];
          if (o.type !== 'float32' && o.type !== 'float64') {
            throw new InputError(m.display, `layer '${name}' is ${o.type}, not float activations; pick another layer`);
          }
          const fed = res.rows + (runner.fixedBatch !== undefined ? runner.fixedBatch - res.rows : 0);
          if (o.dims.length === 0 || o.dims[0] !== fed) {
            throw new InputError(m.display, `layer '${name}' has shape ${o.dims.join(' x ') || 'scalar'}, without one row per example (batch of ${fed}); pick another layer`);
          }
          const ro = { token, pool, channels: m.channels, mask: res.mask };
          const N = reducedWidth(o.dims, ro);
          let mat = mats[li];
          if (mat === undefined) {
            mat = new Float64Array(S * N);
            mats[li] = mat;
            widths[li] = N;
            shapes[li] = ['B', ...o.dims.slice(1)];
            reductions[li] = describeReduction(o.dims.length, ro);
            exact[li] = o.type === 'float32' && !['token:mean', 'pool:avg'].includes(reductions[li]) ? 'float32' : 'float64';
          } else if (widths[li] !== N) {
            throw new InputError(m.display, `layer '${name}' changes width between batches (${widths[li]} then ${N}); use --token for sequences`);
          }
          reduceInto(o.data, o.dims, ro, mat, start, res.rows);
        });
        opts.onProgress?.({ phase: 'extract', done: end, total: S, elapsed: (performance.now() - t0) / 1000 });
      }
    } finally {
      await runner.close();
    }
    const layers: ExtractedLayer[] = names.map((name, li) => {
      const data = mats[li]!;
      const N = widths[li];
      for (let i = 0; i < data.length; i++) {
        if (!Number.isFinite(data[i])) {
          throw new InputError(m.display, `layer '${name}' gives ${data[i]} at example ${Math.floor(i / N)}, neuron ${i % N}`);
        }
      }
      return { name, data, samples: S, neurons: N, op: m.layerOps.get(name) ?? '?', shape: shapes[li], reduction: reductions[li], exact: exact[li] };
    });
    return { layers, kind: m.kind, model: modelDisplay(model), inputs: ins.source, samples: S, auto, ...(ins.kind === 'texts' ? { blankLines: ins.blank ?? [] } : {}), seconds: (performance.now() - t0) / 1000 };
  } finally {
    m.close();
  }
}
