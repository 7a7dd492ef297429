/**
 * Reports: figures (Vega-Lite rendered server-side to SVG, resvg to PNG) and a self-contained
 * HTML page for one analysis or a comparison of models.
 */
export { writeAnalysisReport, type AnalysisReportInput } from './analysis-report.js';
export { writeComparisonReport, type ComparisonReportModel } from './comparison-report.js';
export { renderSvg, svgToPng, type VlSpec } from './render.js';
