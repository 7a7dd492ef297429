/**
 * The cheap measures of one checkpoint, for following a network through training: the mean
 * binned entropy of every layer and of the whole set, and the mean pairwise MI under two fast
 * estimators:
 * - `binned`: plug-in MI of the same equal-width bins as the entropy, on a seeded sample of at
 *   most `miPairs` distinct pairs (the same pairs at every checkpoint of a run, so successive
 *   values differ only by the network); its standard error is given;
 * - `gcmi`: Gaussian-copula MI (Ince et al. 2017) of every pair, a lower bound of the MI.
 * Layer values are over the layer's own neurons (MI: pairs within the layer). No I/O.
 */
import type { ActivationSet } from '../core/activations/activation-set.js';
import { analyzeSet } from '../analyze/analyze.js';
import type { Results } from '../analysis/results.js';

export interface LayerMeasures {
  name: string;
  neurons: number;
  meanEntropy: number;
  /** Mean MI over the layer's distinct pairs (null for a one-neuron layer or a sample that drew none of its pairs). */
  meanMI: { binned: number | null; gcmi: number | null };
}

export interface CheckpointMeasures {
  /** Mean binned entropy over all neurons (nats). */
  meanEntropy: number;
  /** Mean MI over all distinct pairs (nats). */
  meanMI: { binned: number | null; gcmi: number | null };
  /** Median MI over all distinct pairs: where the bulk of the pair density sits (the paper's "MI mass"). */
  medianMI: { binned: number | null; gcmi: number | null };
  /** Standard error of the sampled binned mean MI (null when every pair was measured). */
  meanMIStdErr: { binned: number | null };
  /** Neurons whose activations are all equal (dead units). */
  constantNeurons: number;
  layers: LayerMeasures[];
}

export interface CheckpointMeasureOptions {
  /** Equal-width bins of the entropy and the binned MI (global edges, as the paper): default 100. */
  bins?: number;
  /** Most pairs of the binned MI (default 20,000; 'all' for every pair). */
  miPairs?: number | 'all';
  /** Seed of the pair sample. */
  seed?: number;
  threads?: number;
  signal?: AbortSignal;
}

/** The settings of the tracked measures, for the records that hold them. */
export function checkpointSettings(opts: CheckpointMeasureOptions = {}): { bins: number; binning: 'global'; miPairs: number | 'all'; estimators: ['binned', 'gcmi'] } {
  return { bins: opts.bins ?? 100, binning: 'global', miPairs: opts.miPairs ?? 20000, estimators: ['binned', 'gcmi'] };
}

/** Measures one checkpoint's activations (see the module comment). */
export async function measureCheckpoint(set: ActivationSet, opts: CheckpointMeasureOptions = {}): Promise<CheckpointMeasures> {
  const s = checkpointSettings(opts);
  const common = { preset: 'default' as const, bins: s.bins, binning: s.binning, entropy: 'binned' as const, baselinePairs: 0, seed: opts.seed ?? 0, threads: opts.threads ?? 1, signal: opts.signal };
  const binned = (await analyzeSet(set, { ...common, mi: 'binned', pairs: s.miPairs })).results;
  const gcmi = (await analyzeSet(set, { ...common, mi: 'gcmi', pairs: 'all' })).results;
  return combine(binned, gcmi);
}

function combine(binned: Results, gcmi: Results): CheckpointMeasures {
  return {
    meanEntropy: binned.overall.meanEntropy,
    meanMI: { binned: binned.overall.meanMI, gcmi: gcmi.overall.meanMI },
    medianMI: { binned: binned.overall.mi?.median ?? null, gcmi: gcmi.overall.mi?.median ?? null },
    meanMIStdErr: { binned: binned.overall.meanMIStdErr },
    constantNeurons: binned.constantNeurons,
    layers: binned.layers.map((l, i) => ({
      name: l.name,
      neurons: l.neurons,
      meanEntropy: l.entropy.mean,
      meanMI: { binned: pairMean(l.mi), gcmi: pairMean(gcmi.layers[i].mi) },
    })),
  };
}

function pairMean(s: { mean: number; pairs: number } | null): number | null {
  return s && s.pairs > 0 ? s.mean : null;
}
