import { argsort } from '../../sort/argsort.js';
import { normalQuantile } from '../../special/normal.js';

/**
 * The copula normalisation of Ince et al. (2017) (`gcmi.copnorm`): each value is replaced by the
 * standard normal quantile of its rank, z_s = Phi^-1((r_s + 1) / (S + 1)), ranks r_s = 0..S-1
 * from a stable sort (equal values ranked by example index). The result depends only on the
 * order of the values, so any monotone transform of a neuron leaves it unchanged, and every
 * neuron's scores are a permutation of the same S quantiles.
 *
 * @param values one neuron's S values (any precision)
 * @param out receives the S normal scores
 * @param quantiles optional precomputed `copulaQuantiles(S)`, shared by every neuron
 */
export function copulaNormalScores(values: ArrayLike<number>, out: Float64Array, quantiles: Float64Array = copulaQuantiles(values.length)): void {
  const S = values.length;
  if (out.length !== S || quantiles.length !== S) throw new RangeError(`copulaNormalScores: ${S} values, ${out.length} outputs, ${quantiles.length} quantiles`);
  const order = argsort(values);
  for (let r = 0; r < S; r++) out[order[r]] = quantiles[r];
}

/** Phi^-1((r + 1) / (S + 1)) for r = 0..S-1 (upper half from S - r, so both tails are exact). */
export function copulaQuantiles(S: number): Float64Array {
  const q = new Float64Array(S);
  for (let r = 0; r < S; r++) q[r] = normalQuantile((r + 1) / (S + 1));
  return q;
}
