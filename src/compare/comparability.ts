/**
 * Whether analyses can be ranked against each other: the same number of examples S (a plug-in
 * entropy's bias depends on S), the same example set where it is known (the inputs' SHA-256 when
 * activations came from a model and its inputs; the example ids when the user gave them), the same
 * layers (names and sizes, in order), the same estimators and every setting that changes what is
 * estimated (bins, binning scope, preset, k, ...), the same units; and no data given twice.
 * Layers are matched by position: the same sizes, and the same names where there are several (a
 * lone layer is named after its file). `compare`, `track` and the web page refuse a mismatch unless told to compare anyway
 * (`--allow-mixed`), and then record it. Pure: no I/O.
 */
import { settingOptions } from '../analysis/setting-options.js';
import type { Results } from '../analysis/results.js';
import type { Settings } from '../analysis/settings.js';

/** One difference between an analysis and the first one, in a line. */
export interface Mismatch {
  /** What differs: `samples`, `examples`, `layers`, `layer-names`, `units`, `duplicate`, or a setting's key. */
  what: string;
  /** The 0-based positions of the two analyses. */
  models: [number, number];
  message: string;
}

/**
 * The settings that change what is estimated: every declared one but threads, seed, the
 * baseline's and the intervals' sizes, and `pairs` (a sample of pairs estimates the same
 * all-pairs mean, with its standard error).
 */
export const estimateSettings: (keyof Settings)[] = settingOptions.map((o) => o.key).filter((k) => !['threads', 'seed', 'baselinePairs', 'resamples', 'resamplePairs', 'pairs', 'significance', 'fdr'].includes(k));

/** An analysis to check: how to name it, and its results. */
export interface Checked {
  label: string;
  results: Results;
}

/** Every mismatch of `models` against the first, and every pair that holds the same data. */
export function comparabilityIssues(models: readonly Checked[]): Mismatch[] {
  const out: Mismatch[] = [];
  if (models.length === 0) return out;
  const name = (i: number): string => `'${models[i].label}'`;
  // the same data twice: equal hashes of every input (a model's too: two models run on one
  // inputs file are two analyses of the same examples, not the same data)
  const key = (r: Results): string => (r.inputs ?? []).map((x) => x.sha256).sort().join(',');
  for (let a = 0; a < models.length; a++)
    for (let b = a + 1; b < models.length; b++) {
      const ka = key(models[a].results);
      if (ka !== '' && ka === key(models[b].results) && sameSelection(models[a].results, models[b].results) && sameEstimates(models[a].results, models[b].results)) {
        out.push({ what: 'duplicate', models: [a, b], message: `${name(a)} and ${name(b)} are analyses of the same data (the same SHA-256 of their inputs)` });
      }
    }
  const first = models[0].results;
  for (let i = 1; i < models.length; i++) {
    const r = models[i].results;
    const pair: [number, number] = [0, i];
    if (r.samples !== first.samples) out.push({ what: 'samples', models: pair, message: `${name(i)} has S = ${r.samples} examples, ${name(0)} S = ${first.samples} (entropy and MI estimates depend on S)` });
    const ea = exampleKey(first);
    const eb = exampleKey(r);
    if (ea && eb && ea !== eb) out.push({ what: 'examples', models: pair, message: `${name(i)} was measured on other examples than ${name(0)} (their example sets' SHA-256 differ)` });
    // layers by position: their sizes; their names too when a model names them (a single layer
    // takes its file's name, which differs from model to model)
    const sizes = (x: Results): string => x.layers.map((l) => l.neurons).join(', ');
    const names = (x: Results): string => x.layers.map((l) => l.name).join(', ');
    if (sizes(first) !== sizes(r)) out.push({ what: 'layers', models: pair, message: `${name(i)} has ${r.layers.length} layer${r.layers.length === 1 ? '' : 's'} of ${short(sizes(r))} neurons, ${name(0)} ${first.layers.length} of ${short(sizes(first))}` });
    else if (first.layers.length > 1 && names(first) !== names(r)) out.push({ what: 'layer-names', models: pair, message: `${name(i)} has layers ${short(names(r))}, ${name(0)} ${short(names(first))} (renamed or different layers)` });
    if (r.units !== first.units) out.push({ what: 'units', models: pair, message: `${name(i)} is in ${r.units}, ${name(0)} in ${first.units}` });
    for (const k of estimateSettings) {
      const a = first.settings[k];
      const b = r.settings[k];
      if (a === undefined || b === undefined || a === b) continue;
      out.push({ what: k, models: pair, message: `${name(i)} was analysed with ${k} = ${String(b)}, ${name(0)} with ${String(a)}` });
    }
  }
  return out;
}

/** Whether two analyses estimate the same things the same way. */
function sameEstimates(a: Results, b: Results): boolean {
  return a.units === b.units && [...estimateSettings, 'pairs' as const].every((k) => a.settings[k] === b.settings[k]);
}

/** Whether two analyses selected the same part of their data (layers, examples, neurons). */
function sameSelection(a: Results, b: Results): boolean {
  return JSON.stringify(a.selection ?? null) === JSON.stringify(b.selection ?? null) && a.layers.map((l) => l.name).join() === b.layers.map((l) => l.name).join();
}

/** What identifies the examples, where known: the user's example ids, else the model inputs' hash. */
function exampleKey(r: Results): string | null {
  if (r.examples) return `ids:${r.examples.sha256}`;
  const inputs = (r.inputs ?? []).find((x) => x.role === 'inputs');
  return inputs ? `inputs:${inputs.sha256}${JSON.stringify(r.selection?.samples ?? null)}` : null;
}

function short(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** The one line a refusal prints. */
export function refusal(issues: readonly Mismatch[]): string {
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more difference${issues.length > 2 ? 's' : ''})` : '';
  return `cannot compare: ${issues[0].message}${more}; --allow-mixed compares them anyway and records the differences`;
}
