/**
 * The web app's analysis thread (a Web Worker, so the page stays responsive): reads dropped
 * files with the library's parsers, measures them with computeMeasures (the engine's jobs on
 * further Web Workers, web-pool.ts), summarises them into results.json as the CLI does, and
 * renders the report's figures to SVG. Also builds comparisons of analysed files.
 */
import { activationSetFromLayers, type LayerMatrix } from '../core/activations/activation-set.js';
import { selectLayers } from '../core/activations/select.js';
import { computeMeasures } from '../analysis/compute.js';
import { buildResults, type Results, type InputRecord } from '../analysis/results.js';
import type { Settings } from '../analysis/settings.js';
import { AbortError } from '../engine/progress.js';
import { isInputError } from '../io/errors.js';
import { parseBytes } from '../inputs/parse-bytes.js';
import { arrayToLayer } from '../inputs/to-layer.js';
import { analysisFigureDefs } from '../report/analysis-figures.js';
import { comparisonFigureDefs } from '../report/comparison-figures.js';
import { renderSvg } from '../report/vega-render.js';
import { buildComparison } from '../compare/build-comparison.js';
import type { MemorizationSetting } from '../compare/comparison.js';
import { VERSION } from '../version.js';
import type { WorkerRequest, WorkerReply, RenderedSvg } from './protocol.js';

/** This worker's global scope, as far as it is used. */
const scope = globalThis as unknown as { onmessage: ((e: { data: WorkerRequest }) => void) | null; postMessage(m: WorkerReply, transfer?: ArrayBuffer[]): void };

const running = new Map<number, AbortController>();

scope.onmessage = (e) => {
  const req = e.data;
  if (req.type === 'cancel') {
    running.get(req.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(req.id, controller);
  const work = req.type === 'analyze' ? analyze(req, controller.signal) : compare(req);
  work
    .catch((err: unknown) => {
      const message = err instanceof AbortError ? 'cancelled' : isInputError(err) || err instanceof RangeError ? (err as Error).message : err instanceof Error ? `${err.message}` : String(err);
      scope.postMessage({ type: 'error', id: req.id, message, cancelled: err instanceof AbortError });
    })
    .finally(() => running.delete(req.id));
};

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function analyze(req: Extract<WorkerRequest, { type: 'analyze' }>, signal: AbortSignal): Promise<void> {
  const t0 = performance.now();
  const post = (m: WorkerReply, transfer?: ArrayBuffer[]): void => scope.postMessage(m, transfer);
  post({ type: 'progress', id: req.id, phase: 'read', done: 0, total: req.files.length, elapsed: 0 });
  const layers: LayerMatrix[] = [];
  const inputs: InputRecord[] = [];
  const warnings: string[] = [];
  for (const f of req.files) {
    const bytes = new Uint8Array(f.bytes);
    const arrays = await parseBytes(bytes, f.name, undefined);
    for (const [key, a] of arrays) layers.push(arrayToLayer(a, key, f.name, { token: 'first', warn: (m) => warnings.push(m) }));
    inputs.push({ path: f.name, bytes: bytes.length, sha256: await sha256(bytes) });
  }
  const names = new Set<string>();
  for (const l of layers) {
    if (names.has(l.name)) throw new RangeError(`two layers are named '${l.name}'; give files whose layer names differ`);
    names.add(l.name);
  }
  const S = layers[0]?.samples;
  if (S === undefined) throw new RangeError('no layers in the files');
  for (const l of layers) if (l.samples !== S) throw new RangeError(`layer '${l.name}' has ${l.samples} examples, but '${layers[0].name}' has ${S}: every layer must hold the same examples`);
  let set = activationSetFromLayers(layers);
  if (req.layers && req.layers.length > 0) set = selectLayers(set, req.layers);
  const measures = await computeMeasures(set, {
    ...req.settings,
    signal,
    onProgress: (p) => post({ type: 'progress', id: req.id, phase: p.phase, done: p.done, total: p.total, elapsed: p.elapsed }),
  });
  const results = buildResults(measures, { units: 'nats', inputs, version: VERSION });
  post({ type: 'progress', id: req.id, phase: 'figures', done: 0, total: 1, elapsed: (performance.now() - t0) / 1000 });
  const defs = analysisFigureDefs({ results, entropy: measures.entropy, mi: measures.mi, constant: measures.constantMask });
  const figures: RenderedSvg[] = [];
  for (const d of defs) {
    if (signal.aborted) throw new AbortError();
    figures.push({ name: d.name, alt: d.alt, caption: d.caption, svg: await renderSvg(d.spec) });
  }
  const entropy = Float64Array.from(measures.entropy);
  const mi = measures.mi ? Float64Array.from(measures.mi) : null;
  post(
    { type: 'result', id: req.id, results, entropy, mi, figures, warnings, seconds: (performance.now() - t0) / 1000 },
    [entropy.buffer as ArrayBuffer, ...(mi ? [mi.buffer as ArrayBuffer] : [])],
  );
}

async function compare(req: Extract<WorkerRequest, { type: 'compare' }>): Promise<void> {
  const models = req.models.map((m) => ({ label: m.label, path: m.label, results: m.results as Results, accuracy: m.accuracy }));
  const comparison = buildComparison(models, req.setting as MemorizationSetting | 'auto' | undefined, { allowMixed: req.allowMixed });
  const { defs } = comparisonFigureDefs(
    comparison,
    req.models.map((m) => ({ label: m.label, results: m.results as Results, accuracy: m.accuracy, mi: m.mi })),
  );
  const figures: RenderedSvg[] = [];
  for (const d of defs) figures.push({ name: d.name, alt: d.alt, caption: d.caption, svg: await renderSvg(d.spec) });
  scope.postMessage({ type: 'comparison', id: req.id, comparison, figures });
}

export type { Settings };
