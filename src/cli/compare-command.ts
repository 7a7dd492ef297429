import { parseCommand } from './parse-command.js';
import { compareFiles, openComparisonOutput, writeComparison } from '../compare/compare-files.js';
import { outOption, withOutput, RESULT_DIR_FLAGS } from './output-option.js';
import type { Comparison } from '../compare/comparison.js';
import { quadrantName, type AxisDecision, type MemorizationMap } from '../compare/memorization-map.js';
import { parseChoice, parseNumber } from './parse-take.js';
import { COMPARE_USAGE } from './usage.js';

const options = {
  labels: { type: 'string' },
  accuracy: { type: 'string' },
  setting: { type: 'string' },
  'baseline-model': { type: 'string' },
  'allow-mixed': { type: 'boolean' },
  group: { type: 'string' },
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
  const setting = v.setting === undefined ? undefined : parseChoice(v.setting, '--setting', ['heuristic', 'example-level', 'auto'] as const);
  const out = outOption(v.out, 'infomem-compare');
  const target = await openComparisonOutput(out, { overwrite: Boolean(v.force), inputs: parsed.positionals });
  const loaded = await withOutput(target, () => compareFiles(parsed.positionals, { labels, accuracy, setting, baselineModel: v['baseline-model'], allowMixed: Boolean(v['allow-mixed']), groups: v.group?.split(',').map((x) => x.trim()), warn: (m) => quiet || process.stderr.write(`warning: ${m}\n`) }));
  await writeComparison(target, loaded, { report: !v['no-report'] });
  if (v.json) process.stdout.write(JSON.stringify(loaded.comparison, null, 2) + '\n');
  else if (!quiet) process.stdout.write(formatComparison(loaded.comparison, out));
  return 0;
}

/** ` [lo, hi]` of an axis decided by its interval. */
function axis(a: AxisDecision): string {
  return a.interval ? ` [${a.interval[0].toFixed(4)}, ${a.interval[1].toFixed(4)}]` : '';
}

/** The memorization map as lines: each model's changes against the reference, its quadrant, and the verdict. */
export function mapLines(map: MemorizationMap): string[] {
  const f = (v: number | null): string => (v === null || !Number.isFinite(v) ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(4)}`);
  const w = Math.max(...map.models.map((m) => m.label.length));
  return [
    `memorization map (against ${map.reference.label}):`,
    ...map.models.map((m) =>
      m.quadrant === 'reference'
        ? `  ${m.label.padEnd(w)}  reference`
        : `  ${m.label.padEnd(w)}  dH ${f(m.dEntropy)}${axis(m.entropy)}  dMI ${f(m.dMI)}${m.mi ? axis(m.mi) : ''}  ${quadrantName(m.quadrant)}${m.layers.length > 1 ? ` (layers: ${m.layers.map((l) => `${l.name} ${quadrantName(l.quadrant)}`).join(', ')})` : ''}`,
    ),
    map.message,
  ];
}

/** The ranking table printed after a comparison. */
export function formatComparison(c: Comparison, out: string): string {
  const f = (x: number | null): string => (x === null ? '-' : x.toFixed(4));
  const ci = (x: { low: number; high: number } | null): string => (x ? `${x.low.toFixed(4)}..${x.high.toFixed(4)}` : '-');
  const rows = [['model', 'accuracy', 'mean H', '95% interval', 'rank H', 'mean MI', '95% interval', 'rank MI', 'rank acc']];
  for (const m of c.models)
    rows.push([m.label, f(m.accuracy), f(m.meanEntropy), ci(m.intervals.meanEntropy), String(m.rankByEntropy), f(m.meanMI), ci(m.intervals.meanMI), m.rankByMI === null ? '-' : String(m.rankByMI), m.rankByAccuracy === null ? '-' : String(m.rankByAccuracy)]);
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ');
  const t = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(2));
  const k = c.kendall;
  const source = c.settingSource === 'auto' ? ', chosen by --setting auto' : c.settingSource === 'auto-fallback' ? ': --setting auto found no single pattern, so the default' : '';
  const lines = [
    ...c.mismatches.map((m) => `MIXED (--allow-mixed): ${m.message}`),
    ...(c.mismatches.length ? [''] : []),
    ...mapLines(c.map),
    '',
    `setting: ${c.setting}${source} (better = ${c.setting === 'heuristic' ? 'higher entropy, lower MI' : 'lower entropy, higher MI'}); ${c.units}`,
    '',
    line(rows[0]),
    w.map((n) => '-'.repeat(n)).join('  '),
    ...rows.slice(1).map(line),
    '',
    `Kendall tau-b vs accuracy: mean entropy ${t(k.meanEntropy)}, mean MI ${t(k.meanMI)}; by binning: global ${t(k.byBinning.global)}, layer ${t(k.byBinning.layer)}, neuron ${t(k.byBinning.neuron)}`,
  ];
  lines.push(...stabilityLines(c));
  if (c.binningDisagreement.disagree) lines.push(`WARNING: ${c.binningDisagreement.message}`);
  lines.push(`wrote ${out}/`);
  return lines.join('\n') + '\n';
}

/** The pairs' verdicts and the rankings' stability, as lines. */
export function stabilityLines(c: Comparison): string[] {
  const out: string[] = [];
  const word = (d: { direction: string } | null): string => (d === null ? 'n/a' : d.direction === 'same' ? 'indistinguishable' : d.direction);
  if (c.differences.some((d) => d.meanEntropy || d.meanMI)) {
    out.push('', `differences at 95% (${c.paired ? 'paired replicates' : 'unpaired: the analyses do not share their resampling draws'}), second minus first:`);
    for (const d of c.differences) out.push(`  ${d.a} -> ${d.b}: mean H ${word(d.meanEntropy)}${d.meanEntropy ? ` (${d.meanEntropy.diff >= 0 ? '+' : ''}${d.meanEntropy.diff.toFixed(4)} [${d.meanEntropy.low.toFixed(4)}, ${d.meanEntropy.high.toFixed(4)}])` : ''}, mean MI ${word(d.meanMI)}${d.meanMI ? ` (${d.meanMI.diff >= 0 ? '+' : ''}${d.meanMI.diff.toFixed(4)} [${d.meanMI.low.toFixed(4)}, ${d.meanMI.high.toFixed(4)}])` : ''}`);
  }
  for (const [name, st] of [['mean entropy', c.stability.meanEntropy], ['mean MI', c.stability.meanMI]] as const) {
    if (!st) continue;
    out.push(`ranking by ${name}: as reported in ${(100 * st.sameRanking).toFixed(0)}% of ${st.replicates} replicates${st.tau ? `; tau vs accuracy median ${st.tau.median.toFixed(2)} (95%: ${st.tau.low.toFixed(2)} .. ${st.tau.high.toFixed(2)})` : ''}`);
  }
  return out;
}
