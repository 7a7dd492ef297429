/**
 * Gaussian-copula MI (Ince et al. 2017): copula normalisation (copula.ts), then the MI of a
 * bivariate Gaussian from the scores' correlation (gcmi.ts), with gcmi's optional bias
 * correction. Exact against the `gcmi` package (test/fixtures/reference/gcmi.json).
 */
export { copulaNormalScores, copulaQuantiles } from './copula.js';
export { gcmiBiasCorrection, gcmiPair, miFromCorrelation } from './gcmi.js';
export { correlationBlock, dot2, unitScoreRow, unitScores } from './correlation.js';
export { GcmiWasmEngine, gcmiWasmAvailable } from './wasm.js';
