/**
 * Figures without native code: Vega-Lite specs rendered to SVG by Vega (in Node or a browser),
 * SVG inlining, the viridis colour map. PNG rasterisation (resvg, native) is in render.ts.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { vegaTextWidth } from './text-metrics.js';
import { VL_CONFIG } from './theme.js';

// Vega measures text with a canvas when there is one and guesses 0.8 em per character otherwise;
// give it real font metrics instead (Vega supports a user-defined width function).
(vega as unknown as { textMetrics: { width: (item: object, text: unknown) => number } }).textMetrics.width = vegaTextWidth;

/** A Vega-Lite specification as plain JSON (type-checked by Vega-Lite when compiled). */
export type VlSpec = Record<string, unknown>;

/**
 * Renders a Vega-Lite spec to an SVG string, server-side: Vega-Lite compiles it to Vega, and a
 * headless Vega view (`renderer: 'none'`) writes the SVG. Text widths are estimated (no canvas).
 */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const full = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...spec, config: { ...VL_CONFIG, ...((spec.config as object | undefined) ?? {}) } };
  const vgSpec = compile(full as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  try {
    return tidySvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Nearest-neighbour scaling for raster images (heatmap cells stay crisp). */
function tidySvg(svg: string): string {
  return svg.replace(/<image /g, '<image image-rendering="optimizeSpeed" style="image-rendering:pixelated" ');
}

/**
 * Makes an SVG safe to inline next to others in one HTML page: every `id` and its references
 * (`url(#id)`, `href="#id"`) get `prefix`, and the root gets a class, a role and a label.
 */
export function inlineSvg(svg: string, prefix: string, label: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1]);
  let out = svg;
  if (ids.size > 0) {
    out = out.replace(/\sid="([^"]+)"/g, (_m, id: string) => ` id="${prefix}-${id}"`);
    out = out.replace(/url\(#([^)]+)\)/g, (m, id: string) => (ids.has(id) ? `url(#${prefix}-${id})` : m));
    out = out.replace(/(xlink:href|href)="#([^"]+)"/g, (m, attr: string, id: string) => (ids.has(id) ? `${attr}="#${prefix}-${id}"` : m));
  }
  return out.replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(label)}" class="figure-svg" data-figure="${escapeAttr(prefix)}" `);
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The viridis colour map of Vega (the one its legends draw), as [r, g, b] at t in [0, 1]. */
export function viridisRgb(t: number): [number, number, number] {
  const s = (vega.scheme('viridis') as (t: number) => string)(Math.min(1, Math.max(0, t)));
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(s);
  if (!m) throw new Error(`unexpected colour ${s}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** viridis as a CSS colour string. */
export function viridisCss(t: number): string {
  const [r, g, b] = viridisRgb(t);
  return `rgb(${r}, ${g}, ${b})`;
}
