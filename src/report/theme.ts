/**
 * The report's visual style: fonts, sizes and colour-blind-safe colours.
 *
 * Categorical colours are Okabe & Ito's palette (2008; distinguishable under the common colour
 * vision deficiencies), without its yellow, which is unreadable on white. Continuous colour is
 * viridis (perceptually uniform, colour-blind safe, readable in greyscale).
 */
export const FONT = 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif';

export const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;

/** Main colour of single-model figures. */
export const PRIMARY = OKABE_ITO[0];
/** Colour of the fitted density curve. */
export const CURVE = OKABE_ITO[1];
/** Colour of the chance-baseline marks. */
export const BASELINE = '#555555';
/** Colour of the validation-accuracy line. */
export const ACCURACY = '#222222';
/** Cells of a heatmap that have no value (the diagonal when not downsampled). */
export const MISSING = '#d9d9d9';

/** n colours for n models: Okabe-Ito for up to 7, else evenly spaced viridis (its yellow end cut). */
export function modelColors(n: number, viridis: (t: number) => string): string[] {
  if (n <= OKABE_ITO.length) return OKABE_ITO.slice(0, n);
  return Array.from({ length: n }, (_, i) => viridis((0.85 * i) / (n - 1)));
}

/** Vega-Lite config shared by every figure. */
export const VL_CONFIG = {
  font: FONT,
  background: 'white',
  padding: 8,
  view: { stroke: null, continuousWidth: 460, continuousHeight: 280 },
  title: { fontSize: 15, fontWeight: 'bold', anchor: 'start', offset: 10, subtitleFontSize: 11.5, subtitleColor: '#555555', subtitlePadding: 4 },
  axis: {
    labelFontSize: 11.5,
    titleFontSize: 12.5,
    titleFontWeight: 'normal',
    titleColor: '#222222',
    labelColor: '#333333',
    domainColor: '#555555',
    tickColor: '#555555',
    gridColor: '#ebebeb',
    titlePadding: 8,
  },
  legend: { labelFontSize: 11.5, titleFontSize: 12, titleFontWeight: 'normal', symbolStrokeWidth: 2.5 },
  text: { fontSize: 11 },
} as const;
