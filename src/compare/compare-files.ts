import { resolve, sep } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputDir, writeOutputDir, type OutputDirOptions, type OutputKind } from '../io/output-dir.js';
import { isFigureFile } from '../io/figure-files.js';
import type { Results } from '../analysis/results.js';
import { buildComparison } from './build-comparison.js';
import type { Comparison, MemorizationSetting } from './comparison.js';
import { readResults, readSiblingMi } from './read-results.js';
import { combineSeeds } from './seed-groups.js';
import { comparabilityIssues, refusal } from './comparability.js';

export interface CompareOptions {
  labels?: string[];
  accuracy?: number[];
  /** Orientation of the ranking; 'auto': the memorization map's dominant pattern (default heuristic). */
  setting?: MemorizationSetting | 'auto';
  /** The map's reference model: its label, or its 1-based position (default: the first). */
  baselineModel?: string;
  /** Compare analyses that differ in S, examples, layers or estimators anyway (comparability.ts). */
  allowMixed?: boolean;
  /**
   * A group name per results file: the runs of one group are seeds of one model, compared as one
   * (seed-groups.ts: their means averaged, the seeds' spread in the intervals); the groups are
   * the models, named by the group names, their accuracy the mean of their runs'.
   */
  groups?: string[];
  warn?: (msg: string) => void;
}

export interface LoadedComparison {
  comparison: Comparison;
  models: { label: string; path: string; results: Results; accuracy: number | null; mi: Float64Array | null }[];
}

export { estimateSettings } from './comparability.js';

/** Reads several results.json files and compares them (see buildComparison). */
export async function compareFiles(paths: readonly string[], opts: CompareOptions = {}): Promise<LoadedComparison> {
  if (paths.length < 2) throw new RangeError('compare needs at least two results.json files');
  if (opts.labels && opts.labels.length !== paths.length) throw new RangeError(`--labels has ${opts.labels.length} entries for ${paths.length} results`);
  if (opts.accuracy && opts.accuracy.length !== paths.length) throw new RangeError(`--accuracy has ${opts.accuracy.length} entries for ${paths.length} results`);
  const models = [];
  const names = opts.labels ?? defaultLabels(paths);
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i];
    const results = await readResults(path);
    models.push({ label: names[i], path, results, accuracy: opts.accuracy?.[i] ?? null, mi: await readSiblingMi(path) });
  }
  const compared = opts.groups ? groupModels(models, opts.groups, opts.allowMixed) : models;
  const comparison = buildComparison(
    compared.map((m) => ({ label: m.label, path: m.path, results: m.results, accuracy: m.accuracy })),
    opts.setting,
    { reference: referenceIndex(opts.baselineModel, compared.map((m) => m.label)), allowMixed: opts.allowMixed },
  );
  for (const m of comparison.mismatches) opts.warn?.(`compared anyway (--allow-mixed): ${m.message}`);
  return { comparison, models: compared };
}

/** The runs grouped as seeds of one model each (checked for comparability within each group first). */
function groupModels<M extends { label: string; path: string; results: Results; accuracy: number | null; mi: Float64Array | null }>(models: M[], groups: string[], allowMixed?: boolean): M[] {
  if (groups.length !== models.length) throw new RangeError(`--group has ${groups.length} entries for ${models.length} results`);
  const names = [...new Set(groups)];
  if (names.length < 2) throw new RangeError('--group names at least two models (a group per model, its runs the seeds)');
  return names.map((g) => {
    const runs = models.filter((_, i) => groups[i] === g);
    const issues = comparabilityIssues(runs.map((r) => ({ label: r.label, results: r.results })));
    if (issues.length > 0 && !allowMixed) throw new RangeError(`the runs of group '${g}' ${refusal(issues).replace(/^cannot compare: /, 'differ: ')}`);
    const acc = runs.map((r) => r.accuracy);
    const accuracy = acc.every((a): a is number => a !== null) ? acc.reduce((a, b) => a + b, 0) / acc.length : null;
    return { ...runs[0], label: g, path: runs.map((r) => r.path).join(' + '), results: combineSeeds(runs.map((r) => r.results)), accuracy, mi: null };
  });
}

/** The files a comparison writes (what `--force` may replace in an existing directory). */
export const COMPARISON_OUTPUT: OutputKind = {
  what: 'comparison',
  owns: (rel) => rel === 'comparison.json' || rel === 'report.html' || isFigureFile(rel),
};

/** Checks a comparison destination and reserves it before the work (see `OutputDir`). */
export function openComparisonOutput(dir: string, opts: OutputDirOptions = {}): Promise<OutputDir> {
  return OutputDir.open(dir, COMPARISON_OUTPUT, opts);
}

/**
 * Writes comparison.json and (unless `report` is false) report.html + figures/ into `dir`. A new
 * directory appears whole; an existing one that holds anything is refused unless `overwrite`,
 * and then only the comparison's own files are replaced; the compared results files (by default)
 * are never overwritten.
 */
export async function writeComparison(dir: string | OutputDir, c: LoadedComparison, opts: { report?: boolean } & OutputDirOptions = {}): Promise<void> {
  const inputs = opts.inputs ?? c.models.map((m) => m.path);
  await writeOutputDir(dir, COMPARISON_OUTPUT, { overwrite: opts.overwrite, inputs }, async (tmp) => {
    await writeFile(join(tmp, 'comparison.json'), JSON.stringify(c.comparison, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
    if (opts.report !== false) {
      const { writeComparisonReport } = await import('../report/comparison-report.js');
      await writeComparisonReport(
        tmp,
        c.comparison,
        c.models.map((m) => ({ label: m.label, results: m.results, accuracy: m.accuracy, mi: m.mi })),
      );
    }
  });
}

/**
 * The index of the reference model named by `--baseline-model`: a label, or a 1-based position.
 * @throws RangeError naming the labels
 */
export function referenceIndex(asked: string | undefined, labels: readonly string[]): number {
  if (asked === undefined) return 0;
  const byLabel = labels.indexOf(asked);
  if (byLabel >= 0) return byLabel;
  if (/^\d+$/.test(asked) && Number(asked) >= 1 && Number(asked) <= labels.length) return Number(asked) - 1;
  throw new RangeError(`--baseline-model '${asked}' is neither a model's label (${labels.join(', ')}) nor a position 1..${labels.length}`);
}

/**
 * Labels from the paths: a results.json is named by its folder (`runs/a/results.json` -> `a`),
 * another file by its name without `.json`; when two would share a name, the folders above are
 * added until the names differ (`beta-0.00/analysis-default`).
 */
export function defaultLabels(paths: readonly string[]): string[] {
  const parts = paths.map((p) => {
    const segs = resolve(p).split(sep).filter(Boolean);
    const last = segs[segs.length - 1] ?? p;
    if (last === 'results.json') segs.pop();
    else segs[segs.length - 1] = last.replace(/\.json$/i, '');
    return segs;
  });
  for (let depth = 1; ; depth++) {
    const labels = parts.map((s) => s.slice(-depth).join('/') || '/');
    if (new Set(labels).size === labels.length || parts.every((s) => depth >= s.length)) return labels;
  }
}
