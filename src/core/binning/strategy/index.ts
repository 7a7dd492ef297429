import { globalBinning } from './global.js';
import { layerBinning } from './layer.js';
import { neuronBinning } from './neuron.js';
import { quantileBinning } from './quantile.js';
import type { BinningStrategy } from './types.js';

export type { BinEdges, BinningStrategy } from './types.js';
export { globalBinning, layerBinning, neuronBinning, quantileBinning };

/** The binning scopes by name. `global` is the paper's. */
export const binningStrategies = {
  global: globalBinning,
  layer: layerBinning,
  neuron: neuronBinning,
  quantile: quantileBinning,
} as const satisfies Record<string, BinningStrategy>;

export type BinningName = keyof typeof binningStrategies;
export const binningNames = Object.keys(binningStrategies) as BinningName[];
