/**
 * `infomem track`: the measures of a series of checkpoints of one network (one analysis per
 * checkpoint, in order), as curves against x (epoch, step, or the position in the series), with
 * a table of the per-layer values, and the memorization map of each checkpoint against the
 * first (or a chosen one). Inputs are results.json files of `infomem analyze`, or activation
 * files, each analysed here with the given settings.
 */
import { open } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { analyzeFiles, type AnalyzeOptions } from '../analyze/analyze.js';
import { describeMi } from '../analysis/estimator-text.js';
import type { Results } from '../analysis/results.js';
import { defaultLabels, referenceIndex } from '../compare/compare-files.js';
import { mapInputOf, sharesDraws } from '../compare/build-comparison.js';
import { comparabilityIssues, refusal } from '../compare/comparability.js';
import { difference, type Difference } from '../compare/decide.js';
import type { ComparedInterval } from '../compare/comparison.js';
import { memorizationMap } from '../compare/memorization-map.js';
import { readResults } from '../compare/read-results.js';
import { isFigureFile } from '../io/figure-files.js';
import { OutputDir, writeOutputDir, type OutputDirOptions, type OutputKind } from '../io/output-dir.js';

export { TRACK_SCHEMA, TRACK_VERSION, type Track, type TrackPoint } from './track-types.js';
import { TRACK_SCHEMA, TRACK_VERSION, type Track, type TrackPoint } from './track-types.js';

export interface TrackOptions {
  /** One label per checkpoint (default: from the paths). */
  labels?: string[];
  /** One x value per checkpoint, strictly increasing (default 1, 2, ...). */
  x?: number[];
  xTitle?: string;
  /** One accuracy per checkpoint (drawn below the measures). */
  accuracy?: number[];
  /** The map's reference: a label or 1-based position (default the first). */
  baselineModel?: string;
  /** Track checkpoints that differ in S, examples, layers or settings anyway (comparability.ts). */
  allowMixed?: boolean;
  now?: Date;
}


/** Builds the series from analysed checkpoints, in the order given. Pure. */
export function buildTrack(checkpoints: readonly { path: string; results: Results }[], opts: TrackOptions = {}): Track {
  const n = checkpoints.length;
  if (n < 2) throw new RangeError('track needs at least two checkpoints');
  const labels = opts.labels ?? defaultLabels(checkpoints.map((c) => c.path));
  if (labels.length !== n) throw new RangeError(`--labels has ${labels.length} entries for ${n} checkpoints`);
  if (opts.x && opts.x.length !== n) throw new RangeError(`--x has ${opts.x.length} values for ${n} checkpoints`);
  if (opts.accuracy && opts.accuracy.length !== n) throw new RangeError(`--accuracy has ${opts.accuracy.length} values for ${n} checkpoints`);
  const x = opts.x ?? checkpoints.map((_, i) => i + 1);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new RangeError(`--x value ${i + 1} is not a finite number`);
    if (i > 0 && !(x[i] > x[i - 1])) throw new RangeError(`--x must increase strictly (checkpoints in order), but value ${i + 1} (${x[i]}) follows ${x[i - 1]}`);
  }
  const first = checkpoints[0].results;
  const mismatches = comparabilityIssues(checkpoints.map((c, i) => ({ label: labels[i], results: c.results })));
  if (mismatches.length > 0 && !opts.allowMixed) throw new RangeError(refusal(mismatches));
  const paired = sharesDraws(checkpoints.map((c) => c.results));
  const iv = (x: { low: number; high: number; se: number } | null | undefined): ComparedInterval | null => (x ? { low: x.low, high: x.high, se: x.se } : null);
  const points: TrackPoint[] = checkpoints.map((c, i) => {
    const r = c.results;
    return {
      label: labels[i],
      x: x[i],
      path: c.path,
      accuracy: opts.accuracy?.[i] ?? null,
      meanEntropy: r.overall.meanEntropy,
      medianEntropy: r.overall.medianEntropy,
      meanMI: r.overall.meanMI,
      medianMI: r.overall.mi?.median ?? null,
      intervals: { meanEntropy: iv(r.intervals?.overall.meanEntropy), meanMI: iv(r.intervals?.overall.meanMI) },
      layers: r.layers.map((l) => ({ name: l.name, neurons: l.neurons, meanEntropy: l.entropy.mean, medianEntropy: l.entropy.median, meanMI: l.mi && l.mi.pairs > 0 ? l.mi.mean : null })),
    };
  });
  const map = memorizationMap(
    checkpoints.map((c, i) => mapInputOf(labels[i], c.results)),
    referenceIndex(opts.baselineModel, labels),
    undefined,
    paired,
  );
  const steps = checkpoints.slice(1).map((c, i) => {
    const a = checkpoints[i].results.intervals?.overall;
    const b = c.results.intervals?.overall;
    const d = (k: 'meanEntropy' | 'meanMI'): Difference | null => (a?.[k] && b?.[k] ? difference(a[k]!, b[k]!, paired) : null);
    return { from: labels[i], to: labels[i + 1], meanEntropy: d('meanEntropy'), meanMI: d('meanMI') };
  });
  return {
    schema: TRACK_SCHEMA,
    version: TRACK_VERSION,
    createdAt: (opts.now ?? new Date()).toISOString(),
    units: first.units,
    xTitle: opts.xTitle ?? (opts.x ? 'epoch' : 'checkpoint'),
    estimators: { entropy: first.settings.entropy, mi: describeMi(first.settings), bins: first.settings.bins, binning: first.settings.binning, preset: first.settings.preset },
    points,
    map,
    mismatches,
    mixedSettings: [...new Set(mismatches.map((m) => m.what))],
    paired,
    steps,
  };
}

/** Whether a file is a results.json of `infomem analyze` (by its first bytes; activations may be JSON too). */
export async function isResultsFile(path: string): Promise<boolean> {
  if (extname(path).toLowerCase() !== '.json') return false;
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(512);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return /"schema"\s*:\s*"infomem\/results"/.test(new TextDecoder().decode(buf.subarray(0, bytesRead)));
  } finally {
    await fh.close();
  }
}

export interface TrackFilesOptions extends TrackOptions {
  /** How activation files are analysed (results.json files are read as they are). */
  analysis?: AnalyzeOptions;
  /** Called before each checkpoint is read or analysed. */
  onCheckpoint?: (i: number, n: number, path: string, analysing: boolean) => void;
  warn?: (msg: string) => void;
}

/** Reads or analyses every checkpoint, in order, and builds the series. */
export async function trackFiles(paths: readonly string[], opts: TrackFilesOptions = {}): Promise<{ track: Track; results: Results[] }> {
  if (paths.length < 2) throw new RangeError('track needs at least two checkpoints (results.json or activation files)');
  // refuse bad --labels / --x before any analysis
  if (opts.labels && opts.labels.length !== paths.length) throw new RangeError(`--labels has ${opts.labels.length} entries for ${paths.length} checkpoints`);
  if (opts.x && opts.x.length !== paths.length) throw new RangeError(`--x has ${opts.x.length} values for ${paths.length} checkpoints`);
  if (opts.accuracy && opts.accuracy.length !== paths.length) throw new RangeError(`--accuracy has ${opts.accuracy.length} values for ${paths.length} checkpoints`);
  const results: Results[] = [];
  for (const [i, path] of paths.entries()) {
    const isResults = await isResultsFile(path);
    opts.onCheckpoint?.(i, paths.length, path, !isResults);
    results.push(isResults ? await readResults(path) : (await analyzeFiles([path], opts.analysis ?? {})).results);
  }
  const track = buildTrack(
    paths.map((path, i) => ({ path, results: results[i] })),
    opts,
  );
  for (const m of track.mismatches) opts.warn?.(`tracked anyway (--allow-mixed): ${m.message}`);
  return { track, results };
}

/** The files `track` writes (what `--force` may replace). */
export const TRACK_OUTPUT: OutputKind = {
  what: 'track',
  owns: (rel) => rel === 'track.json' || rel === 'report.html' || isFigureFile(rel),
};

export function openTrackOutput(dir: string, opts: OutputDirOptions = {}): Promise<OutputDir> {
  return OutputDir.open(dir, TRACK_OUTPUT, opts);
}

/** Writes track.json and (unless `report` is false) report.html + figures/, atomically. */
export async function writeTrack(dir: string | OutputDir, track: Track, opts: { report?: boolean } & OutputDirOptions = {}): Promise<void> {
  await writeOutputDir(dir, TRACK_OUTPUT, { overwrite: opts.overwrite, inputs: opts.inputs ?? track.points.map((p) => p.path) }, async (tmp) => {
    await writeFile(join(tmp, 'track.json'), JSON.stringify(track, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
    if (opts.report !== false) {
      const { writeTrackReport } = await import('../report/track-report.js');
      await writeTrackReport(tmp, track);
    }
  });
}
