/**
 * The registry of per-neuron entropy estimators (estimator.ts): the `--entropy` choices, their
 * help, validation and descriptions are read from here. Adding one: a module exporting an
 * EntropyEstimator, and one line in `builtins`.
 */
import { digammaTable } from '../special/digamma.js';
import { jitterInPlace } from '../transform/jitter.js';
import type { EntropyEstimator } from './estimator.js';
import { klEntropy } from './kozachenko-leonenko.js';
import { allocateCodes, binCodes } from '../binning/bin-codes.js';
import { PluginEntropyScratch } from './plugin.js';

/** Plug-in entropy H = ln S - (1/S) sum c ln c over the options' bins (plugin.ts). */
export const binnedEntropyEstimator: EntropyEstimator = {
  name: 'binned',
  label: 'binned entropy',
  help: "plug-in entropy over B bins: the paper's",
  reads: ['bins', 'binning', 'millerMadow'],
  describe: (o) => `binned plug-in, ${o.bins} bins, ${o.binning} scope${o.millerMadow ? ', Miller-Madow' : ''}`,
  minSamples: () => 1,
  resampling: 'bootstrap',
  entropies: async (_set, _o, context) => context.binned,
  replicate(values, neuron, o, { edges }) {
    const S = values.length;
    const W = o.bins + 1;
    const codes = allocateCodes(o.bins, S);
    binCodes(values, edges.edges.subarray(neuron * W, (neuron + 1) * W), o.bins, edges.equalWidth, codes, 0);
    return new PluginEntropyScratch(S, o.bins).entropy(codes, 0, o.millerMadow);
  },
};

/** Kozachenko-Leonenko k-NN entropy (kozachenko-leonenko.ts), after the options' jitter. */
export const klEntropyEstimator: EntropyEstimator = {
  name: 'kl',
  label: 'Kozachenko-Leonenko entropy',
  help: 'Kozachenko-Leonenko k-NN entropy (continuous, no bins)',
  reads: ['k', 'jitter', 'seed'],
  describe: (o) => `Kozachenko-Leonenko, k = ${o.k}${o.jitter > 0 ? `, jitter ${o.jitter}` : ''}`,
  minSamples: (o) => o.k + 1,
  async entropies(set, o, { ids, tick }) {
    const S = set.samples;
    const N = ids.length;
    const values = new Float64Array(S);
    const id = new Uint32Array(1);
    const psi = digammaTable(S);
    const out = new Float64Array(N);
    for (let n = 0; n < N; n++) {
      await tick();
      const src = set.values.subarray(n * S, (n + 1) * S);
      for (let i = 0; i < S; i++) values[i] = src[i];
      if (o.jitter > 0) {
        id[0] = ids[n];
        jitterInPlace(values, S, o.jitter, o.seed, id);
      }
      out[n] = klEntropy(values, o.k, psi);
    }
    return out;
  },
  replicate(values, _neuron, o, { id }) {
    if (o.jitter > 0) jitterInPlace(values, values.length, o.jitter, o.seed, Uint32Array.of(id));
    return klEntropy(values, o.k);
  },
};

const builtins = [binnedEntropyEstimator, klEntropyEstimator] as const;
export type BuiltinEntropyEstimatorName = (typeof builtins)[number]['name'];
const registry = new Map<string, EntropyEstimator>(builtins.map((e) => [e.name, e]));

/** Registers an entropy estimator under a new name. */
export function registerEntropyEstimator(estimator: EntropyEstimator): void {
  if (!/^[a-z][a-z0-9-]*$/.test(estimator.name)) throw new RangeError(`entropy estimator name '${estimator.name}': lowercase letters, digits and '-'`);
  const had = registry.get(estimator.name);
  if (had && had !== estimator) throw new RangeError(`an entropy estimator named '${estimator.name}' is already registered`);
  registry.set(estimator.name, estimator);
}

/** Removes an entropy estimator registered at run time (built-ins stay). */
export function unregisterEntropyEstimator(name: string): void {
  if (builtins.some((e) => e.name === name)) throw new RangeError(`'${name}' is built in`);
  registry.delete(name);
}

/** The estimator registered as `name`; throws RangeError naming the choices otherwise. */
export function entropyEstimator(name: string): EntropyEstimator {
  const e = registry.get(name);
  if (!e) throw new RangeError(`unknown entropy estimator '${name}' (${entropyEstimatorNames().join(', ')})`);
  return e;
}

export function entropyEstimatorNames(): string[] {
  return [...registry.keys()];
}
