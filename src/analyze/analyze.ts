import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActivationSet } from '../core/activations/activation-set.js';
import { dropConstantNeurons, sampleNeurons, selectLayers, selectNeuronsPerLayer, selectSamples } from '../core/activations/select.js';
import type { Units } from '../core/units.js';
import { encodeNpy } from '../io/npy.js';
import { writeNpyFile } from '../io/npy-write.js';
import { OutputDir, writeOutputDir, type OutputDirOptions, type OutputKind } from '../io/output-dir.js';
import { isFigureFile } from '../io/figure-files.js';
import { loadActivationFiles, type LoadOptions } from '../inputs/load-activations.js';
import { computeMeasures, type ComputeOptions, type Measures } from '../analysis/compute.js';
import { buildResults, resultsToJson, type ExcludedNeurons, type InputRecord, type Results, type SelectionRecord } from '../analysis/results.js';
import { neuronsWithTies, settingWarnings } from '../analysis/warnings.js';
import { readFileBytes } from '../io/files.js';
import { VERSION } from '../version.js';
import { AbortError, type ProgressCallback } from '../engine/progress.js';
import { InputError } from '../io/errors.js';
import { resolveSettings } from '../analysis/settings.js';
import { minimumBlockBytes } from '../analysis/prepared-blocks.js';
import { minSamplesText } from '../analysis/estimator-text.js';
import { miEstimator } from '../core/mi/registry.js';
import { entropyEstimator } from '../core/entropy/registry.js';
import { checkMemory } from '../io/memory.js';

/** A count, taken from the start ("first") or drawn at random with the analysis seed. */
export interface Take {
  count: number;
  random: boolean;
}

/** What to analyse of a loaded activation set. */
export interface Selection {
  layers?: string[];
  samples?: Take;
  neuronsPerLayer?: Take;
  /** K neurons drawn at random over all layers. */
  sampleNeurons?: number;
  /** Set aside constant (dead) neurons before the measures (after the other selections). */
  excludeConstant?: boolean;
}

/** Applies a selection (layers, then examples, then neurons). Random draws use `seed`. */
export function applySelection(set: ActivationSet, sel: Selection, seed: number): ActivationSet {
  let out = set;
  if (sel.layers && sel.layers.length > 0) out = selectLayers(out, sel.layers);
  if (sel.samples) out = selectSamples(out, sel.samples.count, sel.samples.random ? seed : undefined);
  if (sel.neuronsPerLayer) out = selectNeuronsPerLayer(out, sel.neuronsPerLayer.count, sel.neuronsPerLayer.random ? seed + 1 : undefined);
  if (sel.sampleNeurons !== undefined) out = sampleNeurons(out, sel.sampleNeurons, seed + 2);
  return out;
}

export interface AnalyzeOptions extends ComputeOptions, LoadOptions {
  selection?: Selection;
  units?: Units;
  /** The command line, recorded in results.json (`command`). */
  command?: string[];
  /**
   * A text file of example ids, one per line, as many as the input's examples: its SHA-256 is
   * recorded (results.json `examples`), which lets `compare` check that analyses saw the same
   * examples.
   */
  exampleIds?: string;
}

export interface Analysis {
  measures: Measures;
  results: Results;
}

/** Measures an activation set and summarises it (no I/O). */
export async function analyzeSet(set: ActivationSet, opts: AnalyzeOptions = {}, inputs: InputRecord[] = []): Promise<Analysis> {
  const { selection, units, token, warn: _warn, nan, info: _info, header, checkShape: _check, command, exampleIds, ...compute } = opts;
  const examples = exampleIds === undefined ? null : await readExampleIds(exampleIds, set.samples);
  const { selected, excludedConstant } = selectForAnalysis(set, selection ?? {}, compute.seed ?? 0);
  const measures = await computeMeasures(selected, compute);
  const sel = selection ?? {};
  const record: SelectionRecord = {
    layers: sel.layers && sel.layers.length > 0 ? [...sel.layers] : null,
    samples: sel.samples ? { ...sel.samples } : null,
    neuronsPerLayer: sel.neuronsPerLayer ? { ...sel.neuronsPerLayer } : null,
    sampleNeurons: sel.sampleNeurons ?? null,
    excludeConstant: Boolean(sel.excludeConstant),
    token: token ?? null,
    nan: nan ?? null,
    header: header ?? null,
  };
  const names = (n: number): string => `${layerName(selected, n)}[${selected.sourceIndex[n]}]`;
  const ties = measures.settings.entropy === 'kl' ? neuronsWithTies(selected.values, measures.entropy.length, selected.samples) : [];
  const warnings = settingWarnings(measures.settings, measures.samples, measures.entropy, names, record.layers, set.layers.length, ties);
  return { measures, results: buildResults(measures, { units, inputs, version: VERSION, excludedConstant, selection: record, examples, command: command ?? null, warnings }) };
}

/** Reads an example-id file: one id per line (a final newline optional), as many as `samples`. */
async function readExampleIds(path: string, samples: number): Promise<NonNullable<Results['examples']>> {
  const { createHash } = await import('node:crypto');
  const bytes = await readFileBytes(path);
  const text = new TextDecoder().decode(bytes).replace(/\r?\n$/, '');
  const count = text === '' ? 0 : text.split(/\r?\n/).length;
  if (count !== samples) throw new InputError(path, `holds ${count} example ids (one per line), but the activations have ${samples} examples (--example-ids)`);
  return { path, count, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * What an analysis measures of a set: the selection (layers, examples, neurons; random draws by
 * `seed`), then constant neurons set aside when asked. The shards of a cluster plan select so too.
 */
export function selectForAnalysis(set: ActivationSet, selection: Selection, seed: number): { selected: ActivationSet; excludedConstant: ExcludedNeurons | null } {
  let selected = applySelection(set, selection, seed);
  let excludedConstant: ExcludedNeurons | null = null;
  if (selection.excludeConstant) {
    const r = dropConstantNeurons(selected);
    const before = selected;
    excludedConstant = { count: r.dropped.length, neurons: r.dropped.map((n) => ({ layer: layerName(before, n), index: before.sourceIndex[n] })) };
    selected = r.set;
  }
  return { selected, excludedConstant };
}

function layerName(set: ActivationSet, n: number): string {
  return set.layers.find((l) => n >= l.offset && n < l.offset + l.size)!.name;
}

/**
 * Refuses, from the sizes alone, a selection or setting the data cannot satisfy: more examples
 * or neurons than there are, unknown layers, fewer than k + 1 examples for the k-NN estimators.
 * @throws RangeError / InputError with a one-line message
 */
export function checkRequest(shape: { samples: number; layers: { name: string; neurons: number }[] }, opts: AnalyzeOptions, files: string): void {
  const sel = opts.selection ?? {};
  const s = resolveSettings(opts, 1);
  const names = shape.layers.map((l) => l.name);
  for (const name of sel.layers ?? []) if (!names.includes(name)) throw new RangeError(`unknown layer '${name}' (layers: ${names.join(', ')})`);
  const repeated = (sel.layers ?? []).find((name, i, all) => all.indexOf(name) !== i);
  if (repeated !== undefined) throw new RangeError(`--layers names '${repeated}' twice: a layer is analysed once`);
  const layers = sel.layers && sel.layers.length > 0 ? shape.layers.filter((l) => sel.layers!.includes(l.name)) : shape.layers;
  if (sel.samples && sel.samples.count > shape.samples) throw new RangeError(`asked for ${sel.samples.count} examples, but the input has ${shape.samples} (--samples)`);
  const largest = Math.max(...layers.map((l) => l.neurons));
  if (sel.neuronsPerLayer && sel.neuronsPerLayer.count > largest) throw new RangeError(`asked for ${sel.neuronsPerLayer.count} neurons per layer, but the largest layer has ${largest} (--neurons-per-layer)`);
  const N = layers.reduce((n, l) => n + (sel.neuronsPerLayer ? Math.min(l.neurons, sel.neuronsPerLayer.count) : l.neurons), 0);
  if (sel.sampleNeurons !== undefined && sel.sampleNeurons > N) throw new RangeError(`asked for ${sel.sampleNeurons} neurons at random, but the input has ${N} (--sample-neurons)`);
  const samples = Math.min(shape.samples, sel.samples?.count ?? Infinity);
  const mi = s.mi === 'none' ? null : miEstimator(s.mi);
  for (const e of mi ? [entropyEstimator(s.entropy), mi] : [entropyEstimator(s.entropy)]) {
    const least = e.minSamples(s);
    if (samples < least) throw new InputError(files, `${samples} examples: ${minSamplesText(e, s)}`);
  }
  if (mi) checkMemory(files, minimumBlockBytes(mi, sel.sampleNeurons ?? N, samples, s), `${mi.label} on ${samples} examples (its smallest block of prepared neurons)`, undefined, 'to run');
}

/** Reads activation files and analyses them (the request is checked before any data is read). */
export async function analyzeFiles(paths: readonly string[], opts: AnalyzeOptions = {}): Promise<Analysis> {
  const { set, inputs } = await loadActivationFiles(paths, { ...opts, checkShape: (shape) => checkRequest(shape, opts, paths.join(', ')) });
  refuseRepeatedData(inputs);
  return analyzeSet(set, opts, inputs.map((i) => ({ ...i, role: 'activations' as const })));
}

/** The same data given twice (equal SHA-256) would be analysed as two layers: refused. */
export function refuseRepeatedData(inputs: readonly InputRecord[]): void {
  for (let a = 0; a < inputs.length; a++)
    for (let b = a + 1; b < inputs.length; b++)
      if (inputs[a].sha256 === inputs[b].sha256) throw new InputError(inputs[b].path, `holds the same data as ${inputs[a].path} (equal SHA-256): each input is analysed once; give it once`);
}

/** Options of {@link analyzeModel}: the analysis options plus the extraction ones. */
export interface AnalyzeModelOptions extends AnalyzeOptions {
  extract?: import('../models/extract.js').ExtractOptions;
}

/**
 * Runs a model over its inputs (see `extractActivations` in models/extract.ts) and analyses the
 * extracted layers, named as the model names them. The input record lists the model and the
 * inputs file (when given by path).
 */
export async function analyzeModel(
  model: import('../models/model.js').ModelSource,
  inputs: import('../models/extract.js').InputSource,
  opts: AnalyzeModelOptions = {},
): Promise<Analysis & { extraction: import('../models/extract.js').Extraction }> {
  const { extractActivations } = await import('../models/extract.js');
  const { activationSetFromLayers } = await import('../core/activations/activation-set.js');
  const { extract, ...rest } = opts;
  const extraction = await extractActivations(model, inputs, { token: opts.token, signal: opts.signal, info: opts.info, ...extract });
  const set = activationSetFromLayers(extraction.layers);
  const records: InputRecord[] = [];
  const { createHash } = await import('node:crypto');
  const { readFile, stat } = await import('node:fs/promises');
  for (const p of [typeof model === 'string' ? model : undefined, typeof inputs === 'string' ? inputs : undefined]) {
    if (p === undefined) continue;
    const st = await stat(p).catch(() => undefined);
    if (!st?.isFile()) continue;
    const bytes = await readFile(p);
    records.push({ path: p, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), role: p === model ? 'model' : 'inputs' });
  }
  const { selection, ...analyzeOpts } = rest;
  const { layers: _layers, ...sel } = selection ?? {};
  const analysis = await analyzeSet(set, { ...analyzeOpts, selection: sel }, records);
  return { ...analysis, extraction };
}

/** The files an analysis writes (what `--force` may replace in an existing directory). */
export const ANALYSIS_OUTPUT: OutputKind = {
  what: 'analysis',
  owns: (rel) => ['entropy.npy', 'mi.npy', 'pairs.npy', 'pvalues.npy', 'results.json', 'report.html'].includes(rel) || isFigureFile(rel),
};

/**
 * Checks an analysis destination and reserves it (see `OutputDir`): call before the computation,
 * so a bad destination fails at once, then pass the result to {@link writeAnalysis}.
 */
export function openAnalysisOutput(dir: string, opts: OutputDirOptions = {}): Promise<OutputDir> {
  return OutputDir.open(dir, ANALYSIS_OUTPUT, opts);
}

/** Options of {@link writeAnalysis}. */
export interface WriteAnalysisOptions extends OutputDirOptions {
  /** Write `report.html` and `figures/` (default true). */
  report?: boolean;
  /** Stops the writing (AbortError; nothing is written) between files and figures. */
  signal?: AbortSignal;
  /** Phase `report`: figures rendered. */
  onProgress?: ProgressCallback;
}

/**
 * Writes an analysis to `dir`: `entropy.npy` (N float64, in the results' units), `mi.npy`
 * (N x N float64, when MI was computed for all pairs) or `pairs.npy` (P x 3 float64: i, j, MI,
 * for sampled pairs), `results.json`, and unless `report` is false
 * `report.html` with `figures/*.svg|png`. A new directory appears whole or not at all. An
 * existing directory that holds anything is refused unless `overwrite` is set, and then only
 * the analysis' own files are replaced (see `OutputDir`); the input files (by default those
 * the results list) are never overwritten. `dir` may be a destination already opened with
 * {@link openAnalysisOutput}.
 */
export async function writeAnalysis(dir: string | OutputDir, a: Analysis, opts: WriteAnalysisOptions = {}): Promise<void> {
  const f = a.results.units === 'bits' ? 1 / Math.LN2 : 1;
  const entropy = a.measures.entropy.map((v) => v * f);
  const mi = a.measures.mi; // written in pieces, in the results' units (no copy of the matrix)
  const inputs = opts.inputs ?? a.results.inputs.map((i) => i.path);
  const check = (): void => {
    if (opts.signal?.aborted) throw new AbortError();
  };
  await writeOutputDir(dir, ANALYSIS_OUTPUT, { overwrite: opts.overwrite, inputs }, async (tmp) => {
    check();
    const N = entropy.length;
    await writeFile(join(tmp, 'entropy.npy'), encodeNpy(entropy, [N]));
    if (mi) await writeNpyFile(join(tmp, 'mi.npy'), mi, [N, N], f);
    const sample = a.measures.sample;
    const sig = a.measures.significance;
    if (sample) {
      // Sampled pairs: one row (i, j, MI) per pair, and (p, q) with --significance.
      const P = sample.values.length;
      const C = sig ? 5 : 3;
      const rows = new Float64Array(C * P);
      for (let p = 0; p < P; p++) {
        rows[C * p] = sample.pairs[2 * p];
        rows[C * p + 1] = sample.pairs[2 * p + 1];
        rows[C * p + 2] = sample.values[p] * f;
        if (sig) {
          rows[C * p + 3] = sig.p[p];
          rows[C * p + 4] = sig.q[p];
        }
      }
      await writeFile(join(tmp, 'pairs.npy'), encodeNpy(rows, [P, C]));
    } else if (sig) {
      // N x N permutation p-values beside mi.npy (NaN on the diagonal)
      const p = new Float64Array(N * N).fill(NaN);
      for (let k = 0; k < sig.p.length; k++) {
        const i = sig.pairs[2 * k];
        const j = sig.pairs[2 * k + 1];
        p[i * N + j] = sig.p[k];
        p[j * N + i] = sig.p[k];
      }
      await writeFile(join(tmp, 'pvalues.npy'), encodeNpy(p, [N, N]));
    }
    await writeFile(join(tmp, 'results.json'), resultsToJson(a.results));
    check();
    if (opts.report !== false) {
      const baseline = a.measures.baseline ? a.measures.baseline.values.map((v) => v * f) : null;
      // The report's renderer (Vega, resvg) loads only when a report is written.
      const { writeAnalysisReport } = await import('../report/analysis-report.js');
      const sig = a.measures.significance;
      const significance = sig ? { mi: Float64Array.from({ length: sig.p.length }, (_, k) => (mi ? mi[sig.pairs[2 * k] * N + sig.pairs[2 * k + 1]] : (a.measures.sample?.values[k] ?? NaN)) * f), q: sig.q, fdr: sig.fdr } : null;
      await writeAnalysisReport(tmp, { results: a.results, entropy, mi: mi && f !== 1 ? mi.map((v) => v * f) : mi, baseline, constant: a.measures.constantMask, signal: opts.signal, onProgress: opts.onProgress, significance });
    }
    check();
  });
}
