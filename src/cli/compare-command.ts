import { parseCommand } from './parse-command.js';
import { compareFiles, openComparisonOutput, writeComparison } from '../compare/compare-files.js';
import { outOption, withOutput, RESULT_DIR_FLAGS } from './output-option.js';
import type { Comparison } from '../compare/comparison.js';
import { parseChoice, parseNumber } from './parse-take.js';
import { COMPARE_USAGE } from './usage.js';

const options = {
  labels: { type: 'string' },
  accuracy: { type: 'string' },
  setting: { type: 'string' },
  ...RESULT_DIR_FLAGS,
} as const;

/** `infomem compare`: returns the exit code. */
export async function compareCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, options, COMPARE_USAGE);
  if (!parsed) return 0;
  const v = parsed.values;
  const quiet = Boolean(v.quiet);
  const labels = v.labels?.split(',').map((s) => s.trim());
  const accuracy = v.accuracy?.split(',').map((s) => parseNumber(s, '--accuracy'));
  const setting = v.setting === undefined ? undefined : parseChoice(v.setting, '--setting', ['heuristic', 'example-level'] as const);
  const out = outOption(v.out, 'infomem-compare');
  const target = await openComparisonOutput(out, { overwrite: Boolean(v.force), inputs: parsed.positionals });
  const loaded = await withOutput(target, () => compareFiles(parsed.positionals, { labels, accuracy, setting, warn: (m) => quiet || process.stderr.write(`warning: ${m}\n`) }));
  await writeComparison(target, loaded, { report: !v['no-report'] });
  if (v.json) process.stdout.write(JSON.stringify(loaded.comparison, null, 2) + '\n');
  else if (!quiet) process.stdout.write(formatComparison(loaded.comparison, out));
  return 0;
}

/** The ranking table printed after a comparison. */
export function formatComparison(c: Comparison, out: string): string {
  const f = (x: number | null): string => (x === null ? '-' : x.toFixed(4));
  const rows = [['model', 'accuracy', 'mean H', 'rank H', 'mean MI', 'rank MI', 'rank acc']];
  for (const m of c.models) rows.push([m.label, f(m.accuracy), f(m.meanEntropy), String(m.rankByEntropy), f(m.meanMI), m.rankByMI === null ? '-' : String(m.rankByMI), m.rankByAccuracy === null ? '-' : String(m.rankByAccuracy)]);
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ');
  const t = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));
  const k = c.kendall;
  const lines = [
    `setting: ${c.setting} (better = ${c.setting === 'heuristic' ? 'higher entropy, lower MI' : 'lower entropy, higher MI'}); ${c.units}`,
    '',
    line(rows[0]),
    w.map((n) => '-'.repeat(n)).join('  '),
    ...rows.slice(1).map(line),
    '',
    `Kendall tau-b vs accuracy: mean entropy ${t(k.meanEntropy)}, mean MI ${t(k.meanMI)}; by binning: global ${t(k.byBinning.global)}, layer ${t(k.byBinning.layer)}, neuron ${t(k.byBinning.neuron)}`,
  ];
  if (c.binningDisagreement.disagree) lines.push(`WARNING: ${c.binningDisagreement.message}`);
  lines.push(`wrote ${out}/`);
  return lines.join('\n') + '\n';
}
