import { parseCommand } from './parse-command.js';
import { CSV_HEADERS } from '../io/csv.js';
import { describeMi } from '../analysis/estimator-text.js';
import { parseSettingFlags, settingFlagOptions } from './setting-flags.js';
import { analyzeFiles, openAnalysisOutput, writeAnalysis, type Analysis, type AnalyzeOptions } from '../analyze/analyze.js';
import type { Progress } from '../engine/progress.js';
import { defaultOutDir, outOption, withOutput, RESULT_DIR_FLAGS } from './output-option.js';
import type { Results } from '../analysis/results.js';
import { resultsToJson } from '../analysis/results.js';
import { cliNote, parseChoice, parseInteger, parseNumber, parseTake, parseThreads, UsageError } from './parse-take.js';
import { defaultThreads } from '../engine/pool.js';
import { Z95 } from '../analysis/intervals.js';
import { progressReporter } from './progress-reporter.js';
import { analyzeUsage } from './usage.js';
import { analyzeModel } from '../analyze/analyze.js';
import { extractProgress, modelOptions } from './extract-command.js';

/** What an analysis reads of its inputs (units, selection, reading rules): analyze's and plan's flags. */
export const SELECTION_FLAGS = {
  units: { type: 'string' },
  layers: { type: 'string' },
  samples: { type: 'string' },
  'neurons-per-layer': { type: 'string' },
  'sample-neurons': { type: 'string' },
  'exclude-constant': { type: 'boolean' },
  token: { type: 'string' },
  nan: { type: 'string' },
  'max-inflation': { type: 'string' },
  header: { type: 'string' },
} as const;

// the settings' flags (--mi, --k, ...) come from analysis/setting-options.ts (setting-flags.ts)
const options = {
  ...SELECTION_FLAGS,
  'example-ids': { type: 'string' },
  threads: { type: 'string' },
  ...RESULT_DIR_FLAGS,
  model: { type: 'string' },
  inputs: { type: 'string' },
  batch: { type: 'string' },
  pool: { type: 'string' },
} as const;

/** `infomem analyze`: returns the exit code. */
export async function analyzeCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const parsed = parseCommand(argv, { ...settingFlagOptions(), ...options }, analyzeUsage());
  if (!parsed) return 0;
  const v = parsed.values;
  const files = parsed.positionals;
  if (v.model !== undefined || v.inputs !== undefined || v.batch !== undefined || v.pool !== undefined) {
    if (v.model === undefined || v.inputs === undefined) throw new UsageError('analyze from a model needs both --model and --inputs (see infomem analyze --help)');
    if (files.length > 0) throw new UsageError('analyze takes either activation files or --model/--inputs, not both');
    return analyzeModelCommand(v, signal);
  }
  if (files.length === 0) throw new UsageError('analyze needs at least one activation file (see infomem analyze --help)');
  return runAnalyze(v, files, signal, (opts) => analyzeFiles(files, opts));
}

function analyzeModelCommand(v: Record<string, string | boolean | undefined>, signal: AbortSignal): Promise<number> {
  const extract = modelOptions(v);
  const quiet = Boolean(v.quiet);
  const extracting = extractProgress(process.stderr, quiet || Boolean(v.json));
  const inputs = [v.model as string, v.inputs as string];
  return runAnalyze(v, inputs, signal, (opts) => {
    const onProgress = (p: Progress): void => (p.phase === 'extract' ? extracting(p) : opts.onProgress?.(p));
    return analyzeModel(v.model as string, v.inputs as string, { ...opts, onProgress, extract: { ...extract, onProgress } });
  });
}

/**
 * The analysis and its output, for files or a model: the output directory is checked before any
 * work (`--out`, or a free directory named after the first input; none with `--json` and no
 * `--out`: the JSON on stdout is the result), and the time printed is the command's, from the
 * process's start to the report written.
 */
async function runAnalyze(v: Record<string, string | boolean | undefined>, inputs: string[], signal: AbortSignal, run: (opts: AnalyzeOptions) => Promise<Analysis>): Promise<number> {
  const opts = toOptions(v);
  const json = Boolean(v.json);
  const out = v.out === undefined && json ? null : outOption(v.out as string | undefined, defaultOutDir(v.model === undefined ? inputs : [inputs[0]]));
  const quiet = Boolean(v.quiet);
  const progress = progressReporter(process.stderr, quiet || json);
  const warn = (msg: string): void => {
    if (!quiet) process.stderr.write(`warning: ${msg}\n`);
  };
  const info = (msg: string): void => {
    if (!quiet) process.stderr.write(`${msg}\n`);
  };
  const target = out === null ? null : await openAnalysisOutput(out, { overwrite: Boolean(v.force), inputs });
  const work = (): Promise<Analysis> => run({ ...opts, signal, onProgress: progress.update, warn, info });
  const analysis = target ? await withOutput(target, work) : await work();
  explain(analysis.results, warn, info);
  const reportStart = process.uptime();
  if (target) await writeAnalysis(target, analysis, { report: !v['no-report'], signal, onProgress: progress.update });
  progress.end();
  const times = { total: process.uptime(), report: process.uptime() - reportStart };
  if (json) process.stdout.write(resultsToJson(analysis.results));
  else if (!quiet) process.stdout.write(formatTable(analysis.results, out, times));
  return 0;
}

export function toOptions(v: Record<string, string | boolean | undefined>): AnalyzeOptions {
  const str = (k: string): string | undefined => v[k] as string | undefined;
  const o: AnalyzeOptions = { selection: {}, ...parseSettingFlags(v) };
  if (str('units') !== undefined) o.units = parseChoice(str('units')!, '--units', ['nats', 'bits'] as const);
  if (str('layers') !== undefined) o.selection!.layers = str('layers')!.split(',').map((s) => s.trim()).filter(Boolean);
  if (str('samples') !== undefined) o.selection!.samples = parseTake(str('samples')!, '--samples');
  if (str('neurons-per-layer') !== undefined) o.selection!.neuronsPerLayer = parseTake(str('neurons-per-layer')!, '--neurons-per-layer');
  if (str('sample-neurons') !== undefined) o.selection!.sampleNeurons = parseInteger(str('sample-neurons')!, '--sample-neurons');
  if (v['exclude-constant']) o.selection!.excludeConstant = true;
  if (str('token') !== undefined) o.token = parseChoice(str('token')!, '--token', ['first', 'last', 'mean'] as const);
  if (str('header') !== undefined) o.header = parseChoice(str('header')!, '--header', CSV_HEADERS);
  if (str('nan') !== undefined) o.nan = parseChoice(str('nan')!, '--nan', ['refuse', 'drop-examples'] as const);
  if (str('threads') !== undefined) o.threads = parseThreads(str('threads')!, '--threads', defaultThreads(), cliNote(v));
  if (str('example-ids') !== undefined) o.exampleIds = str('example-ids');
  if (str('max-inflation') !== undefined) o.maxInflation = parseInteger(str('max-inflation')!, '--max-inflation', 0);
  o.command = ['infomem', ...process.argv.slice(2)];
  return o;
}

/** Says on stderr what would make the numbers mislead: warnings, and dead neurons. */
function explain(r: Results, warn: (m: string) => void, info: (m: string) => void): void {
  for (const w of r.warnings) warn(w.message);
  const o = r.overall;
  if (r.pairs && r.pairs.sampled < r.pairs.total && o.meanMI !== null && o.meanMIInterval95) {
    info(`note: MI on ${r.pairs.sampled.toLocaleString('en-US')} random pairs of ${r.pairs.total.toLocaleString('en-US')}: mean ${fmt(o.meanMI)} +- ${fmt(1.96 * (o.meanMIStdErr ?? NaN))} (95% interval ${fmt(o.meanMIInterval95[0])} .. ${fmt(o.meanMIInterval95[1])}); pairs.npy holds them`);
  }
  if (r.excludedConstant && r.excludedConstant.count > 0) {
    info(`note: set aside ${r.excludedConstant.count} constant (dead) neurons (--exclude-constant); results.json lists them (excludedConstant)`);
  } else if (r.constantNeurons > 0) {
    const per = r.layers.filter((l) => l.constantNeurons > 0).map((l) => `${l.name} ${l.constantNeurons}`).join(', ');
    const live = r.overall.meanMILive;
    info(
      `note: ${r.constantNeurons} of ${r.neurons} neurons are constant (dead: ${per}); their entropy is 0 and their MI with every neuron ${r.settings.constantMI === 'zero' ? 'is 0' : "is the estimator's degenerate value"}` +
        (live !== null && r.overall.meanMI !== null ? `; mean MI ${fmt(r.overall.meanMI)} over all pairs, ${fmt(live)} over live pairs (results.json: overall.meanMILive)` : '') +
        '; --exclude-constant sets them aside',
    );
  }
}

/** The compact per-layer table printed after an analysis. */
export function formatTable(r: Results, out: string | null, times?: { total: number; report: number }): string {
  const u = r.units;
  const iv = r.intervals;
  const pm = (x: { se: number } | null | undefined): string => (x ? ` ±${fmt(Z95 * x.se)}` : '');
  const rows = [['layer', 'neurons', 'const', `H median`, iv ? 'H mean ±95%' : `H mean`, iv ? 'MI mean ±95%' : `MI mean`, `MI median`]];
  for (const [i, l] of r.layers.entries()) {
    const li = iv?.layers[i];
    rows.push([l.name, String(l.neurons), String(l.constantNeurons), fmt(l.entropy.median), fmt(l.entropy.mean) + pm(li?.meanEntropy), l.mi ? fmt(l.mi.mean) + pm(li?.meanMI) : '-', l.mi ? fmt(l.mi.median) : '-']);
  }
  rows.push(['all', String(r.neurons), String(r.constantNeurons), fmt(r.overall.medianEntropy), fmt(r.overall.meanEntropy) + pm(iv?.overall.meanEntropy), r.overall.meanMI === null ? '-' : fmt(r.overall.meanMI) + pm(iv?.overall.meanMI), r.overall.mi ? fmt(r.overall.mi.median) : '-']);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]): string => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const lines = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1, -1).map(line), widths.map((w) => '-'.repeat(w)).join('  '), line(rows[rows.length - 1])];
  const s = r.settings;
  const head = `${r.samples} examples x ${r.neurons} neurons; preset ${s.preset}; entropy ${s.entropy}${s.entropy === 'binned' ? ` (${s.bins} ${s.binning} bins)` : ''}; MI ${describeMi(s)}; ${u}`;
  const bl = r.baseline ? `chance baseline (${r.baseline.pairs} permuted pairs): mean ${fmt(r.baseline.mean)}, p95 ${fmt(r.baseline.p95)}; ${(100 * r.baseline.fractionAboveP95).toFixed(1)}% of pairs above p95` : '';
  const by = r.overall.meanEntropyByBinning;
  const scopes = `mean entropy by binning scope: global ${fmt(by.global)}, layer ${fmt(by.layer)}, neuron ${fmt(by.neuron)}`;
  const ivLine = iv ? `95% intervals from ${iv.resamples} replicates of the examples (${[iv.entropy ? `entropy: ${iv.entropy.scheme}` : '', iv.mi ? `MI: ${iv.mi.scheme} on ${iv.mi.units.toLocaleString('en-US')} pairs` : ''].filter(Boolean).join('; ')})${s.binning !== 'quantile' && (s.entropy === 'binned' || s.mi === 'binned') ? ", with the bins' noise from the data's extremes" : ''}` : '';
  return [head, '', ...lines, '', ivLine, scopes, bl, timeLine(r, out, times), ''].filter((x, i, a) => x !== '' || a[i - 1] !== '').join('\n') + '\n';
}

/**
 * `time T s (...)`: T is the command's wall time when `times` is given (process start to the
 * report written), else the analysis's own.
 */
function timeLine(r: Results, out: string | null, times?: { total: number; report: number }): string {
  const t = times ? `time ${times.total.toFixed(2)} s (analysis ${r.timings.total.toFixed(2)} s, output and report ${times.report.toFixed(2)} s)` : `time ${r.timings.total.toFixed(2)} s`;
  return out === null ? t : `${t}; wrote ${out}/`;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(4);
}
