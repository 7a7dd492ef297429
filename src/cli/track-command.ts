import { parseCommand } from './parse-command.js';
import { outOption, withOutput, RESULT_DIR_FLAGS } from './output-option.js';
import { parseSettingFlags, settingFlagOptions } from './setting-flags.js';
import { cliNote, parseChoice, parseNumber, parseThreads, UsageError } from './parse-take.js';
import { defaultThreads } from '../engine/pool.js';
import { progressReporter } from './progress-reporter.js';
import { openTrackOutput, trackFiles, writeTrack, type Track } from '../track/track.js';
import type { AnalyzeOptions } from '../analyze/analyze.js';
import { mapLines } from './compare-command.js';
import { trackUsage } from './usage.js';

// the settings' flags (--mi, --k, ...) come from analysis/setting-options.ts, as for analyze
const options = {
  labels: { type: 'string' },
  x: { type: 'string' },
  'x-title': { type: 'string' },
  accuracy: { type: 'string' },
  'baseline-model': { type: 'string' },
  'allow-mixed': { type: 'boolean' },
  layers: { type: 'string' },
  units: { type: 'string' },
  threads: { type: 'string' },
  ...RESULT_DIR_FLAGS,
} as const;

/** `infomem track`: returns the exit code. */
export async function trackCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const parsed = parseCommand(argv, { ...settingFlagOptions(), ...options }, trackUsage());
  if (!parsed) return 0;
  const v = parsed.values;
  const files = parsed.positionals;
  if (files.length < 2) throw new UsageError('track needs at least two checkpoints, in order (results.json or activation files; see infomem track --help)');
  const list = (s: string | undefined): string[] | undefined => s?.split(',').map((x) => x.trim());
  const numbers = (s: string | undefined, flag: string): number[] | undefined => list(s)?.map((x) => parseNumber(x, flag));
  const analysis: AnalyzeOptions = { selection: {}, ...parseSettingFlags(v) };
  if (v.layers !== undefined) analysis.selection!.layers = list(v.layers)!.filter(Boolean);
  if (v.units !== undefined) analysis.units = parseChoice(v.units, '--units', ['nats', 'bits'] as const);
  if (v.threads !== undefined) analysis.threads = parseThreads(v.threads, '--threads', defaultThreads(), cliNote(v));
  const quiet = Boolean(v.quiet);
  const out = outOption(v.out, 'infomem-track');
  const progress = progressReporter(process.stderr, quiet || Boolean(v.json));
  const target = await openTrackOutput(out, { overwrite: Boolean(v.force), inputs: files });
  const { track } = await withOutput(target, () =>
    trackFiles(files, {
      labels: list(v.labels),
      x: numbers(v.x, '--x'),
      xTitle: v['x-title'],
      accuracy: numbers(v.accuracy, '--accuracy'),
      baselineModel: v['baseline-model'],
      allowMixed: Boolean(v['allow-mixed']),
      analysis: { ...analysis, signal, onProgress: progress.update },
      onCheckpoint: (i, n, path, analysing) => {
        progress.end();
        if (!quiet && !v.json) process.stderr.write(`checkpoint ${i + 1}/${n}: ${analysing ? 'analysing' : 'reading'} ${path}\n`);
      },
      warn: (m) => quiet || process.stderr.write(`warning: ${m}\n`),
    }),
  );
  progress.end();
  await writeTrack(target, track, { report: !v['no-report'] });
  if (v.json) process.stdout.write(JSON.stringify(track, null, 2) + '\n');
  else if (!quiet) process.stdout.write(formatTrack(track, out));
  return 0;
}

/** The table printed after `track`: one row per checkpoint, the per-layer values, the map. */
export function formatTrack(t: Track, out: string): string {
  const f = (x: number | null): string => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(4));
  const layers = [...new Set(t.points.flatMap((p) => p.layers.map((l) => l.name)))];
  const hasAcc = t.points.some((p) => p.accuracy !== null);
  const rows = [['checkpoint', t.xTitle === 'checkpoint' ? '#' : t.xTitle, ...(hasAcc ? ['accuracy'] : []), 'mean H', 'mean MI', ...layers.flatMap((n) => [`${n} H`, `${n} MI`])]];
  for (const p of t.points)
    rows.push([
      p.label,
      String(p.x),
      ...(hasAcc ? [f(p.accuracy)] : []),
      f(p.meanEntropy),
      f(p.meanMI),
      ...layers.flatMap((n) => {
        const l = p.layers.find((x) => x.name === n);
        return [f(l?.meanEntropy ?? null), f(l?.meanMI ?? null)];
      }),
    ]);
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ');
  const word = (d: { direction: string } | null): string => (d === null ? 'n/a' : d.direction === 'same' ? 'indistinguishable' : d.direction);
  const steps = t.steps.some((s) => s.meanEntropy || s.meanMI) ? ['', `each checkpoint against the one before, at 95% (${t.paired ? 'paired' : 'unpaired'}):`, ...t.steps.map((s) => `  ${s.from} -> ${s.to}: mean H ${word(s.meanEntropy)}, mean MI ${word(s.meanMI)}`)] : [];
  const mixed = t.mismatches.map((m) => `MIXED (--allow-mixed): ${m.message}`);
  return [...mixed, ...(mixed.length ? [''] : []), `entropy: ${t.estimators.entropy} (${t.estimators.bins} ${t.estimators.binning} bins); MI: ${t.estimators.mi}; ${t.units}`, '', line(rows[0]), w.map((n) => '-'.repeat(n)).join('  '), ...rows.slice(1).map(line), ...steps, '', ...mapLines(t.map), `wrote ${out}/`].join('\n') + '\n';
}
