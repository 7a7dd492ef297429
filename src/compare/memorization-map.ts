/**
 * The memorization map: each model placed by its change in mean entropy and in mean MI against
 * a reference model, and the quadrant it lands in named by the paper's table (section 4):
 *
 *   entropy down, MI up  ->  heuristic (shortcut) memorization: fewer, redundant features;
 *   entropy up, MI down  ->  example-level memorization: diverse, independent neurons that
 *                            store individual examples;
 *   both up / both down  ->  neither pattern;
 *   a change within `tolerance` x |reference value| on an axis counts as no change there,
 *   and a model with no change on either named axis is 'unchanged'.
 *
 * The same is done for every layer (its mean entropy and the mean MI of its own pairs), so a
 * pattern carried by one layer shows. `dominantPattern` is what `--setting auto` orients the
 * ranking by: the named pattern most of the other models follow. Pure: no I/O.
 */
import type { MemorizationSetting } from './comparison.js';

export type MapQuadrant = 'heuristic' | 'example-level' | 'both-up' | 'both-down' | 'unchanged' | 'reference';

/** What the map reads of a model: overall and per-layer means (MI null when not measured). */
export interface MapInput {
  label: string;
  meanEntropy: number;
  meanMI: number | null;
  layers: { name: string; meanEntropy: number; meanMI: number | null }[];
}

export interface MapPlacement {
  /** Change against the reference (this model minus the reference), in the results' units. */
  dEntropy: number;
  dMI: number | null;
  quadrant: MapQuadrant;
}

export interface MapModel extends MapPlacement {
  label: string;
  layers: ({ name: string } & MapPlacement)[];
}

export interface MemorizationMap {
  /** The reference model: its label and index in the input order. */
  reference: { label: string; index: number };
  /** Relative dead zone of each axis (see the module comment). */
  tolerance: number;
  models: MapModel[];
  /** The named pattern most non-reference models follow (null: none, or a tie). */
  pattern: MemorizationSetting | null;
  /** How many non-reference models land in each quadrant. */
  votes: Record<Exclude<MapQuadrant, 'reference'>, number>;
  /** One sentence saying what the map shows. */
  message: string;
}

const QUADRANT_NAME: Record<MapQuadrant, string> = {
  heuristic: 'heuristic',
  'example-level': 'example-level',
  'both-up': 'both up (neither)',
  'both-down': 'both down (neither)',
  unchanged: 'unchanged',
  reference: 'reference',
};

/** A quadrant as reports and tables name it. */
export function quadrantName(q: MapQuadrant): string {
  return QUADRANT_NAME[q];
}

/** The quadrant of a change (dEntropy, dMI) against reference values (h0, mi0). */
export function quadrantOf(dEntropy: number, dMI: number | null, h0: number, mi0: number | null, tolerance: number): Exclude<MapQuadrant, 'reference'> {
  const sign = (d: number, ref: number): -1 | 0 | 1 => (Math.abs(d) <= tolerance * Math.abs(ref) || d === 0 ? 0 : d > 0 ? 1 : -1);
  const h = Number.isFinite(dEntropy) ? sign(dEntropy, h0) : 0;
  const m = dMI === null || mi0 === null || !Number.isFinite(dMI) ? 0 : sign(dMI, mi0);
  if (h < 0 && m > 0) return 'heuristic';
  if (h > 0 && m < 0) return 'example-level';
  if (h > 0 && m > 0) return 'both-up';
  if (h < 0 && m < 0) return 'both-down';
  // one axis unchanged (or MI missing): the other axis alone does not name a pattern
  return 'unchanged';
}

/**
 * Places `models` against `models[reference]`.
 * @param tolerance relative dead zone per axis (default 0.01: 1% of the reference's value)
 */
export function memorizationMap(models: readonly MapInput[], reference = 0, tolerance = 0.01): MemorizationMap {
  if (models.length < 2) throw new RangeError('a memorization map needs at least two models');
  if (!(Number.isInteger(reference) && reference >= 0 && reference < models.length)) throw new RangeError(`reference model ${reference} is not one of the ${models.length} models`);
  if (!(tolerance >= 0 && Number.isFinite(tolerance))) throw new RangeError(`tolerance must be a finite number >= 0, got ${tolerance}`);
  const ref = models[reference];
  const delta = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);
  const votes = { heuristic: 0, 'example-level': 0, 'both-up': 0, 'both-down': 0, unchanged: 0 };
  const out: MapModel[] = models.map((m, i) => {
    const dEntropy = m.meanEntropy - ref.meanEntropy;
    const dMI = delta(m.meanMI, ref.meanMI);
    const quadrant: MapQuadrant = i === reference ? 'reference' : quadrantOf(dEntropy, dMI, ref.meanEntropy, ref.meanMI, tolerance);
    if (quadrant !== 'reference') votes[quadrant]++;
    const layers = m.layers.map((l) => {
      const r = ref.layers.find((x) => x.name === l.name);
      if (!r) return { name: l.name, dEntropy: NaN, dMI: null, quadrant: 'unchanged' as const };
      const dH = l.meanEntropy - r.meanEntropy;
      const dM = delta(l.meanMI, r.meanMI);
      return { name: l.name, dEntropy: dH, dMI: dM, quadrant: i === reference ? ('reference' as const) : quadrantOf(dH, dM, r.meanEntropy, r.meanMI, tolerance) };
    });
    return { label: m.label, dEntropy, dMI, quadrant, layers };
  });
  const others = models.length - 1;
  const h = votes.heuristic;
  const e = votes['example-level'];
  const pattern: MemorizationSetting | null = h > e ? 'heuristic' : e > h ? 'example-level' : null;
  const count = (n: number): string => `${n} of ${others} model${others === 1 ? '' : 's'}`;
  let message: string;
  if (ref.meanMI === null) message = `No MI was measured, so the map cannot name a pattern (entropy alone does not).`;
  else if (pattern === 'heuristic') message = `Against ${ref.label}, ${count(h)} lose entropy and gain MI: the heuristic (shortcut) pattern${e > 0 ? `; ${count(e)} follow the example-level one` : ''}.`;
  else if (pattern === 'example-level') message = `Against ${ref.label}, ${count(e)} gain entropy and lose MI: the example-level pattern${h > 0 ? `; ${count(h)} follow the heuristic one` : ''}.`;
  else if (h > 0) message = `Against ${ref.label}, as many models follow the heuristic pattern as the example-level one (${h} each): no single pattern.`;
  else message = `Against ${ref.label}, no model follows either pattern (entropy and MI move together, or change by less than ${(100 * tolerance).toFixed(0)}%).`;
  return { reference: { label: ref.label, index: reference }, tolerance, models: out, pattern, votes, message };
}
