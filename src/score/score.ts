/**
 * Library API of `infomem score`: per-example information scores of activations against
 * in-distribution reference activations (core/ood), beside label-free baselines on the same
 * activations, and, when it is known which examples are out of distribution, the detection
 * metrics of every score.
 *
 * Scores (columns of scores.npy, higher = more unusual):
 * `surprisal` (the mean over neurons of -ln p of the example's bin in each neuron's reference
 * histogram), `copula` (the joint surprisal beyond the marginals under a Gaussian copula of the
 * reference, per neuron), `joint` (surprisal + copula: -ln p(x) / N), `coactivation` (the mean -PMI over the reference's high-MI pairs), `mahalanobis`
 * (squared Mahalanobis distance to the reference), `knn` (k-th nearest reference distance of
 * the L2-normalised activations), with `logits` `msp` (-maximum softmax probability) and
 * `energy` (-logsumexp), then `surprisal:<layer>` per layer.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActivationSet } from '../core/activations/activation-set.js';
import { neuronCount } from '../core/activations/activation-set.js';
import { selectLayers } from '../core/activations/select.js';
import { exampleRows, fitKnn, fitMahalanobis, knnScores, mahalanobisScores, type KnnModel, type MahalanobisModel } from '../core/ood/baselines.js';
import { logitScores } from '../core/ood/logits.js';
import { copulaScores, fitCopula, type CopulaModel } from '../core/ood/copula.js';
import { buildReference, type ReferenceStats } from '../core/ood/reference.js';
import { scoreExamples } from '../core/ood/surprisal.js';
import { auroc, averagePrecision, fprAtTpr } from '../core/stats/roc.js';
import { quantileSorted } from '../core/summary/quantile.js';
import { AbortError } from '../engine/progress.js';
import { InputError } from '../io/errors.js';
import { isFigureFile } from '../io/figure-files.js';
import { readFileBytes } from '../io/files.js';
import { encodeNpy, parseNpy } from '../io/npy.js';
import { encodeNpz, parseNpz } from '../io/npz.js';
import { OutputDir, writeOutputDir, type OutputDirOptions, type OutputKind } from '../io/output-dir.js';
import { loadActivationFiles } from '../inputs/load-activations.js';
import { VERSION } from '../version.js';

export const SCORES_SCHEMA = 'infomem-scores';
export const SCORES_VERSION = 1;

export type { DetectionMetrics, ScoreAnalysis, ScoreColumn, ScoreOptions, ScoringModel } from './score-types.js';
import type { DetectionMetrics, ScoreAnalysis, ScoreColumn, ScoreOptions, ScoringModel } from './score-types.js';

function resolveScoreSettings(opts: ScoreOptions): ScoreAnalysis['settings'] {
  return {
    bins: opts.bins ?? 100,
    alpha: opts.alpha ?? 0.5,
    pairs: opts.pairs ?? 256,
    jointBins: opts.jointBins ?? 16,
    baselines: opts.baselines ?? true,
    knnK: opts.knnK ?? 10,
    knnReference: opts.knnReference ?? 2000,
    ridge: opts.ridge ?? 1e-6,
    shrink: opts.shrink ?? 0.01,
    seed: opts.seed ?? 0,
  };
}

/** The set without its logits layer, and the logit scores of that layer (null: no logits). */
function splitLogits(set: ActivationSet, name: string | null): { set: ActivationSet; logits: { msp: Float64Array; energy: Float64Array } | null } {
  if (name === null) return { set, logits: null };
  const others = set.layers.map((l) => l.name).filter((n) => n !== name);
  if (others.length === 0) throw new RangeError(`--logits ${name}: no other layer to score`);
  return { set: selectLayers(set, others), logits: logitScores(exampleRows(selectLayers(set, [name])), set.samples) };
}

/** Every score of `set` under a fitted model, in column order. */
function columnsOf(model: ScoringModel, whole: ActivationSet): { name: string; values: Float64Array }[] {
  const { set, logits } = splitLogits(whole, model.logits);
  const sc = scoreExamples(model.stats, set);
  const cop = copulaScores(model.copula, set);
  const out = [
    { name: 'surprisal', values: sc.surprisal },
    { name: 'copula', values: cop },
    { name: 'joint', values: sc.surprisal.map((x, i) => x + cop[i]) },
    { name: 'coactivation', values: sc.coactivation },
  ];
  if (model.maha) out.push({ name: 'mahalanobis', values: mahalanobisScores(model.maha, set) });
  if (model.knn) out.push({ name: 'knn', values: knnScores(model.knn, set) });
  if (logits) out.push({ name: 'msp', values: logits.msp }, { name: 'energy', values: logits.energy });
  const L = model.stats.layers.length;
  model.stats.layers.forEach((l, li) => out.push({ name: `surprisal:${l.name}`, values: Float64Array.from({ length: sc.samples }, (_, s) => sc.layerSurprisal[s * L + li]) }));
  return out;
}

/** Fits the scoring model on the reference (and scores the reference itself). */
export function fitScoringModel(reference: ActivationSet, opts: ScoreOptions = {}): ScoringModel {
  const settings = resolveScoreSettings(opts);
  const logits = opts.logits ?? null;
  const { set } = splitLogits(reference, logits);
  const model: ScoringModel = {
    settings,
    logits,
    stats: buildReference(set, settings),
    copula: fitCopula(set, settings.shrink),
    maha: settings.baselines ? fitMahalanobis(set, settings.ridge) : null,
    knn: settings.baselines ? fitKnn(set, settings.knnK, settings.knnReference, settings.seed) : null,
    referenceScores: [],
  };
  return { ...model, referenceScores: columnsOf(model, reference) };
}

/** Scores `inputs` (the reference's layers; with its logits layer if the model has one). */
export function applyScoringModel(model: ScoringModel, inputs: ActivationSet, labels: Uint8Array | null = null): ScoreAnalysis {
  if (labels && labels.length !== inputs.samples) throw new RangeError(`${labels.length} labels for ${inputs.samples} examples`);
  const cols = columnsOf(model, inputs);
  const columns: ScoreColumn[] = cols.map((c, i) => ({ name: c.name, inputs: c.values, reference: model.referenceScores[i].values }));
  let metrics: DetectionMetrics[] | null = null;
  if (labels) {
    metrics = columns
      .filter((c) => c.inputs.every((x) => Number.isFinite(x)))
      .map((c) => ({ score: c.name, auroc: auroc(c.inputs, labels), averagePrecision: averagePrecision(c.inputs, labels), fprAt95Tpr: fprAtTpr(c.inputs, labels, 0.95) }));
  }
  return { reference: model.stats, model, samples: inputs.samples, columns, labels, metrics, settings: model.settings };
}

/**
 * Scores `inputs` against `reference` (same layers and neurons, in the same order); `labels`
 * (1 = out of distribution), when given, adds the detection metrics of every score.
 */
export function scoreSets(reference: ActivationSet, inputs: ActivationSet, labels: Uint8Array | null = null, opts: ScoreOptions = {}): ScoreAnalysis {
  return applyScoringModel(fitScoringModel(reference, opts), inputs, labels);
}

/**
 * Refuses a reference whose every neuron is constant: no score can tell an example from another
 * against it (its histograms are one bin, its covariance 0: Mahalanobis distances of 1e300).
 */
function refuseConstantReference(reference: ActivationSet, what: string): void {
  const S = reference.samples;
  const v = reference.values;
  for (let n = 0; n < neuronCount(reference); n++) for (let s = 1; s < S; s++) if (v[n * S + s] !== v[n * S]) return;
  throw new InputError(what, `every neuron of the reference is constant over its ${S} examples: nothing to score against (give in-distribution activations that vary)`);
}

/** A 0/1 mask of S examples from a .npy file (any numeric dtype, shape (S,) or (S, 1)). */
export async function readOodLabels(path: string, samples: number): Promise<Uint8Array> {
  const a = parseNpy(await readFileBytes(path), path);
  if (a.data.length !== samples || a.shape.length > 2) throw new InputError(path, `OOD labels: expected ${samples} values (one per input example), got shape (${a.shape.join(', ')})`);
  const out = new Uint8Array(samples);
  for (let s = 0; s < samples; s++) {
    const v = a.data[s];
    if (v !== 0 && v !== 1) throw new InputError(path, `OOD labels: value ${v} at example ${s} (expected 0 = in distribution, 1 = out)`);
    out[s] = v;
  }
  const ood = out.reduce((a, x) => a + x, 0);
  if (ood === 0 || ood === samples) throw new InputError(path, `OOD labels: all ${samples} are ${ood ? '1 (out of distribution)' : '0 (in distribution)'}: the detection metrics (AUROC, AUPR, FPR at 95% TPR) need examples of both kinds`);
  return out;
}

/** Concatenates the examples of two sets with the same layers (in, then out). */
export function concatExamples(a: ActivationSet, b: ActivationSet): ActivationSet {
  const N = neuronCount(a);
  if (neuronCount(b) !== N || a.layers.some((l, i) => l.name !== b.layers[i]?.name || l.size !== b.layers[i]?.size)) throw new RangeError('the in- and out-of-distribution inputs have different layers');
  const S = a.samples + b.samples;
  const values = a.values instanceof Float32Array && b.values instanceof Float32Array ? new Float32Array(N * S) : new Float64Array(N * S);
  for (let n = 0; n < N; n++) {
    values.set(a.values.subarray(n * a.samples, (n + 1) * a.samples), n * S);
    values.set(b.values.subarray(n * b.samples, (n + 1) * b.samples), n * S + a.samples);
  }
  return { ...a, samples: S, values };
}

/** {@link scoreSets} in a worker thread: `signal` stops it at once (AbortError). */
export async function scoreSetsInWorker(reference: ActivationSet, inputs: ActivationSet, labels: Uint8Array | null, opts: ScoreOptions = {}, signal?: AbortSignal): Promise<ScoreAnalysis> {
  // only plain options cross (no callbacks)
  const plain: ScoreOptions = { bins: opts.bins, alpha: opts.alpha, pairs: opts.pairs, jointBins: opts.jointBins, baselines: opts.baselines, knnK: opts.knnK, knnReference: opts.knnReference, ridge: opts.ridge, shrink: opts.shrink, logits: opts.logits, seed: opts.seed };
  return runScoreWorker({ reference, inputs, labels, opts: plain }, signal);
}

/** The score worker on `data` (see score-worker.ts); `signal` stops it at once. */
async function runScoreWorker(data: object, signal?: AbortSignal): Promise<ScoreAnalysis> {
  if (signal?.aborted) throw new AbortError();
  const { Worker } = await import('node:worker_threads');
  const w = new Worker(new URL('./score-worker.js', import.meta.url), { workerData: data });
  try {
    return await new Promise<ScoreAnalysis>((resolve, reject) => {
      const onAbort = (): void => reject(new AbortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      w.once('message', (m: { ok: boolean; analysis?: ScoreAnalysis; name?: string; message?: string }) => {
        signal?.removeEventListener('abort', onAbort);
        if (m.ok) resolve(m.analysis!);
        else reject(m.name === 'RangeError' ? new RangeError(m.message) : new Error(m.message));
      });
      w.once('error', reject);
    });
  } finally {
    await w.terminate();
  }
}

export interface ScoreFilesOptions extends ScoreOptions {
  /** Out-of-distribution inputs: scored after `inputs`, labelled 1 (inputs 0). */
  ood?: readonly string[];
  /** A .npy 0/1 mask of the inputs' examples (1 = out of distribution). */
  labels?: string;
}

/**
 * `other` with the reference's layer names when its layers have other names but the same sizes
 * in the same order (one .npy per layer is named after its file); refused otherwise.
 */
export function alignLayers(reference: ActivationSet | readonly { name: string; size: number }[], other: ActivationSet, what: string, info?: (m: string) => void): ActivationSet {
  const a = Array.isArray(reference) ? (reference as readonly { name: string; size: number }[]) : (reference as ActivationSet).layers;
  const b = other.layers;
  const describe = (ls: typeof a): string => ls.map((l) => `${l.name}:${l.size}`).join(', ');
  if (a.length !== b.length || a.some((l, i) => l.size !== b[i].size)) throw new RangeError(`the ${what} have layers ${describe(b)}, the reference ${describe(a)}`);
  if (a.every((l, i) => l.name === b[i].name)) return other;
  info?.(`the ${what}' layers ${b.map((l) => l.name).join(', ')} are taken as the reference's ${a.map((l) => l.name).join(', ')} (same sizes, same order)`);
  return { ...other, layers: other.layers.map((l, i) => ({ ...l, name: a[i].name })) };
}

/**
 * Scores activation files with a scoring model saved by an earlier `infomem score` (its output
 * directory): no reference activations needed. With a logits layer in the model, the inputs must
 * have a layer of that name; the other layers are matched by position and size.
 */
export async function scoreFilesWithModel(modelDir: string, inputPaths: readonly string[], opts: ScoreFilesOptions = {}): Promise<ScoreAnalysis> {
  if (opts.ood && opts.labels) throw new RangeError('give either out-of-distribution inputs or a label mask, not both');
  const model = await readScoringModel(modelDir);
  const align = (set: ActivationSet, what: string): ActivationSet => {
    if (model.logits === null) return alignLayers(model.stats.layers, set, what, opts.info);
    if (!set.layers.some((l) => l.name === model.logits)) throw new RangeError(`the ${what} have no logits layer '${model.logits}' (the saved model uses one)`);
    const rest = alignLayers(model.stats.layers, selectLayers(set, set.layers.map((l) => l.name).filter((n) => n !== model.logits)), what, opts.info);
    const logits = selectLayers(set, [model.logits]);
    const N = rest.values.length / rest.samples + logits.values.length / logits.samples;
    const values = new Float64Array(N * set.samples);
    values.set(rest.values);
    values.set(logits.values, rest.values.length);
    const size = logits.layers[0].size;
    const offset = rest.values.length / rest.samples;
    return { ...rest, values, layers: [...rest.layers, { ...logits.layers[0], offset, size }], sourceIndex: Int32Array.from([...rest.sourceIndex, ...logits.sourceIndex]) };
  };
  let inputs = align((await loadActivationFiles(inputPaths, opts)).set, 'inputs');
  let labels: Uint8Array | null = null;
  if (opts.ood && opts.ood.length > 0) {
    const out = align((await loadActivationFiles(opts.ood, opts)).set, 'out-of-distribution inputs');
    labels = new Uint8Array(inputs.samples + out.samples).fill(1, inputs.samples);
    inputs = concatExamples(inputs, out);
  } else if (opts.labels) labels = await readOodLabels(opts.labels, inputs.samples);
  return runScoreWorker({ model, inputs, labels }, opts.signal);
}

/** Reads the activation files and scores them (see {@link scoreSets}). */
export async function scoreFiles(referencePaths: readonly string[], inputPaths: readonly string[], opts: ScoreFilesOptions = {}): Promise<ScoreAnalysis> {
  if (opts.ood && opts.labels) throw new RangeError('give either out-of-distribution inputs or a label mask, not both');
  const { set: reference } = await loadActivationFiles(referencePaths, opts);
  refuseConstantReference(reference, referencePaths.join(', '));
  const k = opts.knnK ?? 10;
  if ((opts.baselines ?? true) && reference.samples < k) throw new InputError(referencePaths.join(', '), `holds ${reference.samples} reference examples, fewer than the k-NN baseline's k = ${k} (--knn): give more reference examples, a smaller --knn, or --no-baselines`);
  let inputs = alignLayers(reference, (await loadActivationFiles(inputPaths, opts)).set, 'inputs', opts.info);
  let labels: Uint8Array | null = null;
  if (opts.ood && opts.ood.length > 0) {
    const out = alignLayers(reference, (await loadActivationFiles(opts.ood, opts)).set, 'out-of-distribution inputs', opts.info);
    labels = new Uint8Array(inputs.samples + out.samples).fill(1, inputs.samples);
    inputs = concatExamples(inputs, out);
  } else if (opts.labels) labels = await readOodLabels(opts.labels, inputs.samples);
  return scoreSetsInWorker(reference, inputs, labels, opts, opts.signal);
}

/** Options of {@link scoreModel}: scoring plus extraction (layers, batch, token, pooling). */
export interface ScoreModelOptions extends ScoreFilesOptions {
  extract?: import('../models/extract.js').ExtractOptions;
}

/**
 * Runs a model over the reference inputs and the inputs (and the out-of-distribution inputs,
 * given as `ood`: model inputs, not activations) through the extraction path
 * (models/extract.ts), then scores the activations (see {@link scoreSets}).
 */
export async function scoreModel(
  model: import('../models/model.js').ModelSource,
  referenceInputs: import('../models/extract.js').InputSource,
  inputs: import('../models/extract.js').InputSource,
  opts: ScoreModelOptions = {},
): Promise<ScoreAnalysis> {
  if (opts.ood && opts.labels) throw new RangeError('give either out-of-distribution inputs or a label mask, not both');
  const { extractActivations } = await import('../models/extract.js');
  const { activationSetFromLayers } = await import('../core/activations/activation-set.js');
  const run = async (source: import('../models/extract.js').InputSource): Promise<ActivationSet> =>
    activationSetFromLayers((await extractActivations(model, source, { token: opts.token, signal: opts.signal, info: opts.info, ...opts.extract })).layers);
  const reference = await run(referenceInputs);
  refuseConstantReference(reference, typeof referenceInputs === 'string' ? referenceInputs : 'the reference inputs');
  // the inputs read once: the extraction takes them, and their texts (if any) go to the report
  const { readModelInputs } = await import('../models/inputs.js');
  const read = async (source: import('../models/extract.js').InputSource): Promise<import('../models/inputs.js').ModelInputs> => (typeof source === 'string' ? readModelInputs(source) : source);
  const textsOf = (ins: import('../models/inputs.js').ModelInputs): string[] | null => (ins.kind === 'texts' ? ins.texts : null);
  const given = await read(inputs);
  let set = await run(given);
  let labels: Uint8Array | null = null;
  let oodTexts: string[] | null = null;
  if (opts.ood && opts.ood.length > 0) {
    if (opts.ood.length !== 1) throw new RangeError('with a model, give one file of out-of-distribution model inputs');
    const ood = await read(opts.ood[0]);
    oodTexts = textsOf(ood);
    const out = await run(ood);
    labels = new Uint8Array(set.samples + out.samples).fill(1, set.samples);
    set = concatExamples(set, out);
  } else if (opts.labels) labels = await readOodLabels(opts.labels, set.samples);
  const analysis = await scoreSetsInWorker(reference, set, labels, opts, opts.signal);
  // texts, for the report's list of the most unusual examples
  const texts = textsOf(given);
  return texts && (!opts.ood?.length || oodTexts) ? { ...analysis, texts: [...texts, ...(oodTexts ?? [])] } : analysis;
}

/** Summary of a column: mean, median, 95th percentile on the reference and the inputs. */
function summary(c: ScoreColumn): Record<string, unknown> {
  const stats = (v: Float64Array): Record<string, number | null> => {
    const f = Float64Array.from(v.filter((x) => Number.isFinite(x))).sort();
    if (f.length === 0) return { mean: null, median: null, p95: null };
    return { mean: f.reduce((a, b) => a + b, 0) / f.length, median: quantileSorted(f, 0.5), p95: quantileSorted(f, 0.95) };
  };
  const ref = stats(c.reference);
  const p95 = ref.p95;
  let above = 0;
  for (const x of c.inputs) if (p95 !== null && x > p95) above++;
  return { score: c.name, reference: ref, inputs: stats(c.inputs), inputsAboveReferenceP95: p95 === null ? null : above / c.inputs.length };
}

/** The scores.json document. */
export function scoresToJson(a: ScoreAnalysis): string {
  const doc = {
    schema: SCORES_SCHEMA,
    version: SCORES_VERSION,
    infomem: VERSION,
    settings: a.settings,
    reference: { samples: a.reference.samples, neurons: a.reference.neurons, layers: a.reference.layers },
    samples: a.samples,
    columns: a.columns.map((c) => c.name),
    summary: a.columns.map(summary),
    outOfDistribution: a.labels ? a.labels.reduce((p, x) => p + x, 0) : null,
    metrics: a.metrics,
  };
  return JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n';
}

export const REFERENCE_SCHEMA = 'infomem-reference';

/**
 * The scoring model as reference.json (settings, layers, sizes) and the arrays of reference.npz
 * (histograms, pair tables, the copula's sorted reference values and factor, the baselines, the
 * reference's own scores): enough to score new inputs without the reference activations.
 */
export function encodeScoringModel(m: ScoringModel): { json: string; npz: Uint8Array } {
  const r = m.stats;
  const meta = {
    schema: REFERENCE_SCHEMA,
    version: 2,
    infomem: VERSION,
    settings: m.settings,
    logits: m.logits,
    samples: r.samples,
    neurons: r.neurons,
    bins: r.bins,
    alpha: r.alpha,
    jointBins: r.jointBins,
    layers: r.layers,
    pairs: r.pairs.length / 2,
    copula: { samples: m.copula.samples, logDet: m.copula.logDet, shrink: m.copula.shrink },
    mahalanobis: m.maha ? { ridge: m.maha.ridge } : null,
    knn: m.knn ? { k: m.knn.k, count: m.knn.count } : null,
    columns: m.referenceScores.map((c) => c.name),
  };
  const N = r.neurons;
  const arrays = new Map<string, { data: Float64Array; shape: number[] }>([
    ['range', { data: r.range, shape: [N, 2] }],
    ['logp', { data: r.logp, shape: [N, r.bins + 2] }],
    ['pairs', { data: Float64Array.from(r.pairs), shape: [r.pairs.length / 2, 2] }],
    ['pair_mi', { data: r.pairMI, shape: [r.pairMI.length] }],
    ['pmi', { data: r.pmi, shape: [r.pairs.length / 2, (r.jointBins + 2) ** 2] }],
    ['copula_sorted', { data: m.copula.sorted, shape: [N, m.copula.samples] }],
    ['copula_quantiles', { data: m.copula.quantiles, shape: [m.copula.quantiles.length] }],
    ['copula_chol', { data: m.copula.chol, shape: [N, N] }],
  ]);
  if (m.maha) {
    arrays.set('maha_mean', { data: m.maha.mean, shape: [N] });
    arrays.set('maha_chol', { data: m.maha.chol, shape: [N, N] });
  }
  if (m.knn) arrays.set('knn_rows', { data: m.knn.rows, shape: [m.knn.count, N] });
  m.referenceScores.forEach((c, i) => arrays.set(`reference_score_${i}`, { data: c.values, shape: [c.values.length] }));
  return { json: JSON.stringify(meta, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n', npz: encodeNpz(arrays) };
}

/** Reads a scoring model from a directory `infomem score` wrote (reference.json + reference.npz). */
export async function readScoringModel(dir: string): Promise<ScoringModel> {
  const jp = join(dir, 'reference.json');
  const zp = join(dir, 'reference.npz');
  let meta: Record<string, any>;
  try {
    meta = JSON.parse(new TextDecoder().decode(await readFileBytes(jp))) as Record<string, any>;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(jp, 'not JSON');
  }
  if (meta.schema !== REFERENCE_SCHEMA || meta.version !== 2) throw new InputError(jp, `not an infomem scoring reference (schema ${String(meta.schema)} version ${String(meta.version)}; made by infomem score)`);
  const z = parseNpz(await readFileBytes(zp), zp);
  const get = (k: string, length?: number): Float64Array => {
    const a = z.get(k);
    if (!a) throw new InputError(zp, `no array '${k}'`);
    if (length !== undefined && a.data.length !== length) throw new InputError(zp, `'${k}' holds ${a.data.length} values, expected ${length}`);
    return a.data;
  };
  const N = meta.neurons as number;
  const S = meta.copula.samples as number;
  const P = meta.pairs as number;
  const W = (meta.jointBins as number) + 2;
  const stats: ReferenceStats = {
    version: 1,
    samples: meta.samples,
    neurons: N,
    bins: meta.bins,
    alpha: meta.alpha,
    layers: meta.layers,
    range: get('range', 2 * N),
    logp: get('logp', N * (meta.bins + 2)),
    jointBins: meta.jointBins,
    pairs: Int32Array.from(get('pairs', 2 * P)),
    pairMI: get('pair_mi', P),
    pmi: get('pmi', P * W * W),
  };
  const copula: CopulaModel = { neurons: N, samples: S, sorted: get('copula_sorted', N * S), quantiles: get('copula_quantiles', 2 * S + 3), chol: get('copula_chol', N * N), logDet: meta.copula.logDet, shrink: meta.copula.shrink };
  const maha: MahalanobisModel | null = meta.mahalanobis ? { neurons: N, mean: get('maha_mean', N), chol: get('maha_chol', N * N), ridge: meta.mahalanobis.ridge } : null;
  const knn: KnnModel | null = meta.knn ? { neurons: N, k: meta.knn.k, count: meta.knn.count, rows: get('knn_rows', meta.knn.count * N) } : null;
  const referenceScores = (meta.columns as string[]).map((name, i) => ({ name, values: get(`reference_score_${i}`) }));
  return { settings: meta.settings, logits: meta.logits ?? null, stats, copula, maha, knn, referenceScores };
}

/** The files `infomem score` writes (what `--force` may replace). */
export const SCORE_OUTPUT: OutputKind = {
  what: 'scores',
  owns: (rel) => ['scores.npy', 'scores.json', 'reference.json', 'reference.npz', 'report.html'].includes(rel) || isFigureFile(rel),
};

export function openScoreOutput(dir: string, opts: OutputDirOptions = {}): Promise<OutputDir> {
  return OutputDir.open(dir, SCORE_OUTPUT, opts);
}

/**
 * Writes scores.npy (S x columns float64, the columns in scores.json's order), scores.json,
 * reference.json + reference.npz (the scoring model, readScoringModel) and (unless `report` is false) report.html with figures/ into `dir`,
 * atomically, never over a user's file (see `OutputDir`).
 */
export async function writeScores(dir: string | OutputDir, a: ScoreAnalysis, opts: OutputDirOptions & { report?: boolean; signal?: AbortSignal } = {}): Promise<void> {
  await writeOutputDir(dir, SCORE_OUTPUT, opts, async (tmp) => {
    const C = a.columns.length;
    const S = a.samples;
    const m = new Float64Array(S * C);
    a.columns.forEach((c, j) => {
      for (let s = 0; s < S; s++) m[s * C + j] = c.inputs[s];
    });
    await writeFile(join(tmp, 'scores.npy'), encodeNpy(m, [S, C]));
    await writeFile(join(tmp, 'scores.json'), scoresToJson(a));
    const saved = encodeScoringModel(a.model);
    await writeFile(join(tmp, 'reference.json'), saved.json);
    await writeFile(join(tmp, 'reference.npz'), saved.npz);
    if (opts.report !== false) {
      // the renderer (Vega, resvg) loads only when a report is written
      const { writeScoresReport } = await import('../report/scores-report.js');
      await writeScoresReport(tmp, a, opts.signal);
    }
  });
}
