/** The memorization map as an HTML table: each model's and layer's changes and quadrant. */
import { quadrantName, type MemorizationMap } from '../compare/memorization-map.js';
import { esc, table } from './html.js';

export function mapTable(map: MemorizationMap, units: string): string {
  const f = (v: number | null): string => (v === null || !Number.isFinite(v) ? '–' : `${v >= 0 ? '+' : ''}${v.toPrecision(3)}`);
  const rows = map.models.flatMap((m) => [
    [`<b>${esc(m.label)}</b>`, 'all layers', f(m.dEntropy), f(m.dMI), esc(quadrantName(m.quadrant))],
    ...m.layers.map((l) => ['', esc(l.name), f(l.dEntropy), f(l.dMI), esc(quadrantName(l.quadrant))]),
  ]);
  return table(['Model', 'Layer', `Δ mean entropy (${units})`, `Δ mean MI (${units})`, 'Quadrant'], rows);
}
