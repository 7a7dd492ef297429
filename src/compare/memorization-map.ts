/**
 * The memorization map: each model placed by its change in mean entropy and in mean MI against
 * a reference model, and the quadrant it lands in named by the paper's table (section 4):
 *
 *   entropy down, MI up  ->  heuristic (shortcut) memorization: fewer, redundant features;
 *   entropy up, MI down  ->  example-level memorization: diverse, independent neurons that
 *                            store individual examples;
 *   both up / both down  ->  neither pattern;
 *   one axis only        ->  'entropy up only', 'MI down only', ...: a result, not 'unchanged';
 *   neither axis         ->  'unchanged'.
 *
 * Each axis is decided on its own. With intervals (results.json `intervals`), a change is up or
 * down when its 95% interval excludes 0, the difference taken on paired replicates when the two
 * analyses share their resampling draws (decide.ts); without them, a change within `tolerance`
 * x |reference value| counts as no change on that axis. Layers are matched by name, else by
 * position when both have as many; a layer that the reference lacks is 'absent' (not compared).
 *
 * The same is done for every layer (its mean entropy and the mean MI of its own pairs), so a
 * pattern carried by one layer shows. `dominantPattern` is what `--setting auto` orients the
 * ranking by: the named pattern most of the other models follow. Pure: no I/O.
 */
import type { IntervalStat } from '../analysis/intervals.js';
import { difference, type Difference } from './decide.js';

/**
 * Which memorization the sweep varies. The paper's hypotheses orient the scores:
 * heuristic: score = +meanEntropy and -meanMI (more diverse = better);
 * example-level: score = -meanEntropy and +meanMI.
 */
export type MemorizationSetting = 'heuristic' | 'example-level';

export type MapQuadrant = 'heuristic' | 'example-level' | 'both-up' | 'both-down' | 'entropy-up' | 'entropy-down' | 'mi-up' | 'mi-down' | 'unchanged' | 'absent' | 'reference';

/** What the map reads of a model's means: values, and their intervals when measured. */
export interface MapMeans {
  meanEntropy: number;
  meanMI: number | null;
  meanEntropyInterval?: IntervalStat | null;
  meanMIInterval?: IntervalStat | null;
}

/** What the map reads of a model: overall and per-layer means (MI null when not measured). */
export interface MapInput extends MapMeans {
  label: string;
  layers: ({ name: string } & MapMeans)[];
}

export interface MapPlacement {
  /** Change against the reference (this model minus the reference), in the results' units. */
  dEntropy: number;
  dMI: number | null;
  /** Each axis decided: up, down or same (indistinguishable / within the dead zone). */
  entropy: AxisDecision;
  mi: AxisDecision | null;
  quadrant: MapQuadrant;
}

/** One axis: its direction, and the difference's 95% interval when intervals decided it. */
export interface AxisDecision {
  direction: 'up' | 'down' | 'same';
  /** 'interval' (95%, paired or not) or 'tolerance' (the relative dead zone). */
  by: 'interval' | 'tolerance';
  interval: [number, number] | null;
  paired: boolean;
}

export interface MapModel extends MapPlacement {
  label: string;
  layers: ({ name: string } & MapPlacement)[];
}

export interface MemorizationMap {
  /** The reference model: its label and index in the input order. */
  reference: { label: string; index: number };
  /** Relative dead zone of each axis where no interval decides it (see the module comment). */
  tolerance: number;
  /** Whether the axes were decided by paired intervals (the analyses share their draws). */
  paired: boolean;
  models: MapModel[];
  /** The named pattern most non-reference models follow (null: none, or a tie). */
  pattern: MemorizationSetting | null;
  /** How many non-reference models land in each quadrant. */
  votes: Record<Exclude<MapQuadrant, 'reference' | 'absent'>, number>;
  /** One sentence saying what the map shows. */
  message: string;
}

const QUADRANT_NAME: Record<MapQuadrant, string> = {
  heuristic: 'heuristic',
  'example-level': 'example-level',
  'both-up': 'both up (neither)',
  'both-down': 'both down (neither)',
  'entropy-up': 'entropy up only',
  'entropy-down': 'entropy down only',
  'mi-up': 'MI up only',
  'mi-down': 'MI down only',
  unchanged: 'unchanged',
  absent: 'absent from the reference',
  reference: 'reference',
};

/** A quadrant as reports and tables name it. */
export function quadrantName(q: MapQuadrant): string {
  return QUADRANT_NAME[q];
}

/** The quadrant of two axis directions. */
export function quadrantOfAxes(h: 'up' | 'down' | 'same', m: 'up' | 'down' | 'same' | null): Exclude<MapQuadrant, 'reference' | 'absent'> {
  const mi = m ?? 'same';
  if (h === 'down' && mi === 'up') return 'heuristic';
  if (h === 'up' && mi === 'down') return 'example-level';
  if (h === 'up' && mi === 'up') return 'both-up';
  if (h === 'down' && mi === 'down') return 'both-down';
  if (h !== 'same') return h === 'up' ? 'entropy-up' : 'entropy-down';
  if (mi !== 'same') return mi === 'up' ? 'mi-up' : 'mi-down';
  return 'unchanged';
}

/** The quadrant of a change (dEntropy, dMI) against reference values (h0, mi0), by the dead zone alone. */
export function quadrantOf(dEntropy: number, dMI: number | null, h0: number, mi0: number | null, tolerance: number): Exclude<MapQuadrant, 'reference' | 'absent'> {
  return quadrantOfAxes(byTolerance(dEntropy, h0, tolerance).direction, dMI === null || mi0 === null ? null : byTolerance(dMI, mi0, tolerance).direction);
}

function byTolerance(d: number, ref: number, tolerance: number): AxisDecision {
  const direction = !Number.isFinite(d) || d === 0 || Math.abs(d) <= tolerance * Math.abs(ref) ? 'same' : d > 0 ? 'up' : 'down';
  return { direction, by: 'tolerance', interval: null, paired: false };
}

/** One axis of a model against the reference: by the intervals when both have one, else by the dead zone. */
function decideAxis(value: number, ref: number, stat: IntervalStat | null | undefined, refStat: IntervalStat | null | undefined, tolerance: number, paired: boolean): AxisDecision {
  if (stat && refStat) {
    const d: Difference = difference(refStat, stat, paired);
    return { direction: d.direction, by: 'interval', interval: [d.low, d.high], paired: d.paired };
  }
  return byTolerance(value - ref, ref, tolerance);
}

/**
 * Places `models` against `models[reference]`.
 * @param tolerance relative dead zone per axis (default 0.01: 1% of the reference's value)
 */
export function memorizationMap(models: readonly MapInput[], reference = 0, tolerance = 0.01, paired = false): MemorizationMap {
  if (models.length < 2) throw new RangeError('a memorization map needs at least two models');
  if (!(Number.isInteger(reference) && reference >= 0 && reference < models.length)) throw new RangeError(`reference model ${reference} is not one of the ${models.length} models`);
  if (!(tolerance >= 0 && Number.isFinite(tolerance))) throw new RangeError(`tolerance must be a finite number >= 0, got ${tolerance}`);
  const ref = models[reference];
  const delta = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);
  const votes = { heuristic: 0, 'example-level': 0, 'both-up': 0, 'both-down': 0, 'entropy-up': 0, 'entropy-down': 0, 'mi-up': 0, 'mi-down': 0, unchanged: 0 };
  const place = (m: MapMeans, r: MapMeans, self: boolean): MapPlacement => {
    const entropy = decideAxis(m.meanEntropy, r.meanEntropy, m.meanEntropyInterval, r.meanEntropyInterval, tolerance, paired);
    const mi = m.meanMI === null || r.meanMI === null ? null : decideAxis(m.meanMI, r.meanMI, m.meanMIInterval, r.meanMIInterval, tolerance, paired);
    return { dEntropy: m.meanEntropy - r.meanEntropy, dMI: delta(m.meanMI, r.meanMI), entropy, mi, quadrant: self ? 'reference' : quadrantOfAxes(entropy.direction, mi?.direction ?? null) };
  };
  const out: MapModel[] = models.map((m, i) => {
    const p = place(m, ref, i === reference);
    if (p.quadrant !== 'reference' && p.quadrant !== 'absent') votes[p.quadrant]++;
    const byPosition = m.layers.length === ref.layers.length;
    const layers = m.layers.map((l, li) => {
      const r = ref.layers.find((x) => x.name === l.name) ?? (byPosition ? ref.layers[li] : undefined);
      if (!r) return { name: l.name, dEntropy: NaN, dMI: null, entropy: { direction: 'same' as const, by: 'tolerance' as const, interval: null, paired: false }, mi: null, quadrant: 'absent' as const };
      return { name: l.name, ...place(l, r, i === reference) };
    });
    return { label: m.label, ...p, layers };
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
  else {
    const single = votes['entropy-up'] + votes['entropy-down'] + votes['mi-up'] + votes['mi-down'];
    const decided = out.some((m) => m.entropy.by === 'interval');
    message = `Against ${ref.label}, no model follows either pattern (${single > 0 ? `${count(single)} move${single === 1 ? 's' : ''} on one axis only; ` : ''}entropy and MI move together, or ${decided ? 'their changes are within the 95% intervals' : `change by less than ${(100 * tolerance).toFixed(0)}%`}).`;
  }
  return { reference: { label: ref.label, index: reference }, tolerance, paired, models: out, pattern, votes, message };
}
