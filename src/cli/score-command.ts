import { parseCommand } from './parse-command.js';
import { outOption, withOutput, RESULT_DIR_FLAGS } from './output-option.js';
import { parseInteger, parseNumber, UsageError } from './parse-take.js';
import { SCORE_USAGE } from './usage.js';
import { openScoreOutput, scoreFiles, scoreFilesWithModel, scoreModel, writeScores, type ScoreAnalysis } from '../score/score.js';

const options = {
  reference: { type: 'string' },
  'reference-from': { type: 'string' },
  model: { type: 'string' },
  'reference-inputs': { type: 'string' },
  layers: { type: 'string' },
  batch: { type: 'string' },
  inputs: { type: 'string' },
  ood: { type: 'string' },
  'labels-ood': { type: 'string' },
  bins: { type: 'string' },
  alpha: { type: 'string' },
  pairs: { type: 'string' },
  'joint-bins': { type: 'string' },
  'no-baselines': { type: 'boolean' },
  knn: { type: 'string' },
  logits: { type: 'string' },
  seed: { type: 'string' },
  ...RESULT_DIR_FLAGS,
} as const;

const list = (v: string | undefined): string[] | undefined => v?.split(',').map((s) => s.trim()).filter(Boolean);

/** `infomem score`: returns the exit code. */
export async function scoreCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const parsed = parseCommand(argv, options, SCORE_USAGE, false);
  if (!parsed) return 0;
  const v = parsed.values;
  const fromModel = v.model !== undefined || v['reference-inputs'] !== undefined;
  const saved = v['reference-from'];
  if (saved !== undefined && (fromModel || v.reference !== undefined)) throw new UsageError('--reference-from replaces --reference (and --model)');
  const reference = saved !== undefined ? [saved] : fromModel ? (v['reference-inputs'] !== undefined ? [v['reference-inputs']] : undefined) : list(v.reference);
  const inputs = list(v.inputs);
  if (fromModel && (v.model === undefined || v['reference-inputs'] === undefined || v.reference !== undefined)) {
    throw new UsageError('from a model, score takes --model, --reference-inputs and --inputs (model inputs), not --reference');
  }
  if (!fromModel && (v.layers !== undefined || v.batch !== undefined)) throw new UsageError('--layers and --batch apply with --model');
  if (!reference?.length || !inputs?.length) throw new UsageError(`score needs ${fromModel ? '--reference-inputs' : '--reference'} and --inputs (see infomem score --help)`);
  const ood = list(v.ood);
  if (ood && v['labels-ood']) throw new UsageError('give either --ood or --labels-ood, not both');
  const quiet = Boolean(v.quiet);
  const out = outOption(v.out, 'infomem-scores');
  const protectedInputs = [...(v.model ? [v.model] : []), ...(saved !== undefined ? [`${saved}/reference.json`, `${saved}/reference.npz`] : reference), ...inputs, ...(ood ?? []), ...(v['labels-ood'] ? [v['labels-ood']] : [])];
  const target = await openScoreOutput(out, { overwrite: Boolean(v.force), inputs: protectedInputs });
  if (!quiet) process.stderr.write(fromModel ? 'extracting and scoring ...\n' : 'scoring ...\n');
  const opts = {
    ood,
    labels: v['labels-ood'],
    bins: v.bins === undefined ? undefined : parseInteger(v.bins, '--bins'),
    alpha: v.alpha === undefined ? undefined : parseNumber(v.alpha, '--alpha'),
    pairs: v.pairs === undefined ? undefined : parseInteger(v.pairs, '--pairs', 0),
    jointBins: v['joint-bins'] === undefined ? undefined : parseInteger(v['joint-bins'], '--joint-bins'),
    baselines: !v['no-baselines'],
    knnK: v.knn === undefined ? undefined : parseInteger(v.knn, '--knn'),
    logits: v.logits,
    seed: v.seed === undefined ? undefined : parseInteger(v.seed, '--seed', 0),
    signal,
    warn: (m: string) => quiet || process.stderr.write(`warning: ${m}\n`),
    info: (m: string) => quiet || process.stderr.write(`${m}\n`),
  };
  const extract = {
    layers: v.layers === undefined ? ('auto' as const) : ['auto', 'auto:post', 'auto:pre'].includes(v.layers) ? (v.layers as 'auto' | 'auto:post' | 'auto:pre') : v.layers.split(',').map((x) => x.trim()).filter(Boolean),
    batch: v.batch === undefined ? undefined : parseInteger(v.batch, '--batch'),
  };
  const analysis = await withOutput(target, () =>
    saved !== undefined ? scoreFilesWithModel(saved, inputs, opts) : fromModel ? scoreModel(v.model!, reference[0], inputs[0], { ...opts, extract }) : scoreFiles(reference, inputs, opts),
  );
  await writeScores(target, analysis, { report: !v['no-report'], signal });
  if (v.json) process.stdout.write(JSON.stringify({ columns: analysis.columns.map((c) => c.name), metrics: analysis.metrics }) + '\n');
  else if (!quiet) process.stdout.write(formatScores(analysis, out));
  return 0;
}

/** The table printed after scoring. */
export function formatScores(a: ScoreAnalysis, out: string): string {
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '-');
  const lines = [`${a.samples} examples scored against ${a.reference.samples} reference examples x ${a.reference.neurons} neurons`];
  if (a.metrics) {
    const rows = [['score', 'AUROC', 'AUPR', 'FPR@95TPR'], ...a.metrics.map((m) => [m.score, f(m.auroc), f(m.averagePrecision), f(m.fprAt95Tpr)])];
    const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    lines.push('', ...rows.map((r, k) => r.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ') + (k === 0 ? '' : '')));
  }
  lines.push(`wrote ${out}/ (scores.npy, scores.json, reference.json, reference.npz, report.html)`);
  return lines.join('\n') + '\n';
}
