/**
 * Figure rendering for files: everything in vega-render.ts, plus PNG rasterisation with resvg
 * (native; Node only).
 */
import { Resvg } from '@resvg/resvg-js';

export * from './vega-render.js';

/**
 * Rasterises an SVG to PNG with resvg, at `scale` x its size, on white. System fonts are loaded
 * and the generic `sans-serif` family maps to DejaVu Sans (then whatever resvg finds), so text is
 * drawn as long as any sans-serif font is installed.
 */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const r = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    imageRendering: 1,
  });
  return r.render().asPng();
}

