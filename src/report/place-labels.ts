/**
 * Labels of a scatter plot placed so that none overlaps another label or a point: each label in
 * turn (the most important first) takes the first of eight positions around its point whose box
 * is free, or is left out (its value is in the table beside the figure). Boxes are measured with
 * the report's font metrics (text-metrics.ts), in the plot's pixels.
 */
import { textWidth } from './text-metrics.js';

export interface LabelRequest {
  /** The point, in pixels from the plot's top left. */
  px: number;
  py: number;
  text: string;
  fontSize: number;
  bold?: boolean;
  /** The point's radius in pixels (kept clear). */
  radius: number;
}

/** Where a label goes: its offset from the point (left-aligned, middle baseline), or null. */
export type Placement = { dx: number; dy: number } | null;

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Places `labels` in order inside a `width` x `height` plot, clear of `obstacles` too. Each label
 * tries eight positions around its point, near then farther (1, 2 and 3.5 gaps); a `required`
 * label that finds no place clear of points and labels takes the first clear of labels only
 * (covering a ring, never text), else its right; the others are left out.
 */
export function placeLabels(labels: readonly (LabelRequest & { required?: boolean })[], width: number, height: number, obstacles: readonly Box[] = []): Placement[] {
  const points: Box[] = labels.map((l) => ({ x0: l.px - l.radius, y0: l.py - l.radius, x1: l.px + l.radius, y1: l.py + l.radius }));
  const texts: Box[] = [...obstacles];
  return labels.map((l) => {
    const w = textWidth(l.text, l.fontSize, l.bold);
    const h = l.fontSize * 1.2;
    const boxAt = ([dx, dy]: [number, number]): Box => ({ x0: l.px + dx, y0: l.py + dy - h / 2, x1: l.px + dx + w, y1: l.py + dy + h / 2 });
    const candidates: [number, number][] = [];
    for (const k of [1, 2, 3.5]) {
      const gap = k * (l.radius + 3);
      // right, left, above, below, then the four diagonals
      candidates.push([gap, 0], [-gap - w, 0], [-w / 2, -gap - h / 2], [-w / 2, gap + h / 2], [gap * 0.7, -gap * 0.7 - h / 2], [-gap * 0.7 - w, -gap * 0.7 - h / 2], [gap * 0.7, gap * 0.7 + h / 2], [-gap * 0.7 - w, gap * 0.7 + h / 2]);
    }
    const inside = (b: Box): boolean => b.x0 >= 0 && b.x1 <= width && b.y0 >= 0 && b.y1 <= height;
    const free = (b: Box, avoid: Box[]): boolean => inside(b) && !avoid.some((t) => overlaps(t, b));
    let pick = candidates.find((c) => free(boxAt(c), [...texts, ...points]));
    if (!pick && l.required) pick = candidates.find((c) => free(boxAt(c), texts)) ?? candidates[0];
    if (!pick) return null;
    texts.push(boxAt(pick));
    return { dx: pick[0], dy: pick[1] };
  });
}
