/**
 * The training dynamics of a sweep: every model's dynamics.json gathered (summary.json's
 * `dynamics`), a table of the measures by epoch (means over seeds) for summary.md, and the
 * figure per sweep and seed: mean entropy and mean MI against epoch, one line per swept value,
 * accuracy below.
 */
import type { FigureDef } from '../report/html.js';
import { seriesFigureSpec, type SeriesLine } from '../report/series-figure.js';
import { modelColors } from '../report/theme.js';
import { viridisCss } from '../report/vega-render.js';
import type { DynamicsRecord } from './dynamics.js';
import { formatValue, type SweepParameter } from './experiments.js';

/** One tracked epoch of one model, as the summary keeps it. */
export interface DynamicsRow {
  epoch: number;
  loss: number | null;
  trainAccuracy: number;
  valAccuracy: number;
  meanEntropy: number;
  meanMIGcmi: number | null;
  meanMIBinned: number | null;
  constantNeurons: number;
}

/** summary.json `dynamics`: one entry per sweep with tracked models. */
export interface SweepDynamics {
  parameter: SweepParameter;
  from?: string;
  every: number;
  bins: number;
  binnedPairs: number | 'all';
  models: { value: number; seed: number; rows: DynamicsRow[] }[];
  /** The figures written (paths relative to the run directory). */
  figures: string[];
}

export function sweepDynamics(parameter: SweepParameter, from: string | undefined, models: { value: number; seed: number; record: DynamicsRecord }[]): SweepDynamics | null {
  if (models.length === 0) return null;
  const first = models[0].record;
  return {
    parameter,
    ...(from ? { from } : {}),
    every: first.every,
    bins: first.settings.bins,
    binnedPairs: first.settings.miPairs,
    models: models.map((m) => ({
      value: m.value,
      seed: m.seed,
      rows: m.record.points.map((p) => ({
        epoch: p.epoch,
        loss: p.loss,
        trainAccuracy: p.trainAccuracy,
        valAccuracy: p.valAccuracy,
        meanEntropy: p.meanEntropy,
        meanMIGcmi: p.meanMI.gcmi,
        meanMIBinned: p.meanMI.binned,
        constantNeurons: p.constantNeurons,
      })),
    })),
    figures: [],
  };
}

type Field = 'meanEntropy' | 'meanMIGcmi' | 'meanMIBinned' | 'trainAccuracy' | 'valAccuracy';

/** The mean over seeds of `field` at each tracked epoch, per value (null where a seed lacks the epoch). */
function meansByEpoch(d: SweepDynamics, field: Field): { epochs: number[]; rows: { value: number; cells: (number | null)[] }[] } {
  const epochs = [...new Set(d.models.flatMap((m) => m.rows.map((r) => r.epoch)))].sort((a, b) => a - b);
  const values = [...new Set(d.models.map((m) => m.value))].sort((a, b) => a - b);
  const rows = values.map((value) => {
    const ms = d.models.filter((m) => m.value === value);
    return {
      value,
      cells: epochs.map((e) => {
        const v = ms.map((m) => m.rows.find((r) => r.epoch === e)?.[field] ?? null);
        return v.some((x) => x === null) ? null : (v as number[]).reduce((a, b) => a + b, 0) / v.length;
      }),
    };
  });
  return { epochs, rows };
}

/** At most `max` epoch columns, evenly spread over the tracked ones, the first and last kept. */
function fewerColumns(t: ReturnType<typeof meansByEpoch>, max: number): ReturnType<typeof meansByEpoch> {
  const n = t.epochs.length;
  if (n <= max) return t;
  const keep = [...new Set(Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1))))];
  return { epochs: keep.map((i) => t.epochs[i]), rows: t.rows.map((r) => ({ value: r.value, cells: keep.map((i) => r.cells[i]) })) };
}

/** summary.md's section: mean entropy, mean MI (GCMI) and training accuracy by epoch. */
export function dynamicsMarkdown(d: SweepDynamics): string[] {
  const seeds = new Set(d.models.map((m) => m.seed)).size;
  const figures = d.figures;
  const L: string[] = [];
  L.push(`## Training dynamics: ${d.parameter} sweep${d.from ? ` from the ${d.from} encoder` : ''}`, '');
  L.push(
    `Measured every ${d.every} epochs on the measurement inputs${seeds > 1 ? ` (means over ${seeds} seeds)` : ''}: mean binned entropy (${d.bins} global bins), mean MI of all pairs by Gaussian-copula MI (a lower bound; fast), mean binned MI of ${d.binnedPairs === 'all' ? 'all pairs' : `a seeded sample of at most ${d.binnedPairs} pairs (all when there are fewer)`}, and the training accuracy. Nats. Epoch 0 is the initial weights; at most 12 of the tracked epochs are shown (summary.json has them all); a dash: a seed had stopped before that epoch.`,
    '',
  );
  for (const [field, title, digits] of [
    ['meanEntropy', 'mean entropy', 3],
    ['meanMIGcmi', 'mean MI (GCMI)', 4],
    ['meanMIBinned', 'mean MI (binned)', 4],
    ['trainAccuracy', 'training accuracy', 3],
  ] as const) {
    const t = fewerColumns(meansByEpoch(d, field), 12);
    L.push(`${title}:`, '', `| ${d.parameter} | ${t.epochs.map((e) => `ep ${e}`).join(' | ')} |`, `|---|${t.epochs.map(() => '---').join('|')}|`);
    for (const r of t.rows) L.push(`| ${formatValue(r.value)} | ${r.cells.map((c) => (c === null ? '-' : c.toFixed(digits))).join(' | ')} |`);
    L.push('');
  }
  if (figures.length > 0) L.push(`Figures: ${figures.map((f) => `\`${f}\``).join(', ')}.`, '');
  return L;
}

/** The figure of one seed of a sweep: mean entropy, mean MI (GCMI, binned) and accuracy against epoch. */
export function dynamicsFigure(d: SweepDynamics, seed: number, name: string): FigureDef | null {
  const ms = d.models.filter((m) => m.seed === seed).sort((a, b) => a.value - b.value);
  if (ms.length === 0) return null;
  const colors = modelColors(ms.length, viridisCss);
  const lines = (field: Field, dashed = false): SeriesLine[] =>
    ms.map((m, i) => ({ label: formatValue(m.value), color: colors[i], dashed, points: m.rows.map((r) => ({ x: r.epoch, y: r[field] })) }));
  return {
    name,
    alt: `Mean entropy, mean MI and accuracy against epoch for every ${d.parameter} of the sweep, seed ${seed}`,
    caption: `Training dynamics of the ${d.parameter} sweep${d.from ? ` (${d.from} encoder)` : ''}, seed ${seed}: measured every ${d.every} epochs on the measurement inputs. Mean entropy: ${d.bins} global bins; mean MI: all pairs by Gaussian-copula MI, and ${d.binnedPairs === 'all' ? 'all pairs' : `at most ${d.binnedPairs} sampled pairs`} by binned MI; accuracy: validation (solid) and training (dashed).`,
    spec: seriesFigureSpec({
      title: `Training dynamics: ${d.parameter} sweep${d.from ? ` (${d.from})` : ''}, seed ${seed}`,
      subtitle: [`every ${d.every} epochs; nats; accuracy: validation solid, training dashed`],
      xTitle: 'Epoch',
      legendTitle: d.parameter,
      panels: [
        { title: 'Mean entropy', lines: lines('meanEntropy') },
        { title: 'Mean MI (GCMI)', lines: lines('meanMIGcmi') },
        { title: 'Mean MI (binned)', lines: lines('meanMIBinned') },
        { title: 'Accuracy', lines: [...lines('valAccuracy'), ...lines('trainAccuracy', true)], domain: [0, 1] },
      ],
    }),
  };
}
