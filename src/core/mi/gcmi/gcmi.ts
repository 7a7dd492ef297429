import { digamma } from '../../special/digamma.js';

/**
 * Gaussian-copula mutual information (Ince et al. 2017) of two copula-normalised neurons
 * (copula.ts), in nats: the MI of a bivariate Gaussian with the scores' sample correlation rho,
 *   I = -1/2 ln(1 - rho^2),
 * which equals gcmi's `mi_gg` (entropies from the Cholesky factor of the ddof-1 covariance: the
 * ddof and the 2 pi e terms cancel). A lower bound on the true MI, exact for Gaussian copulas.
 * With `biasCorrect`, gcmi's correction for the entropies' sample bias is added (see
 * {@link gcmiBiasCorrection}).
 */
export function gcmiPair(zx: ArrayLike<number>, zy: ArrayLike<number>, biasCorrect = false): number {
  const S = zx.length;
  if (zy.length !== S) throw new RangeError(`gcmiPair: ${S} and ${zy.length} values`);
  let mx = 0;
  let my = 0;
  for (let s = 0; s < S; s++) {
    mx += zx[s];
    my += zy[s];
  }
  mx /= S;
  my /= S;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let s = 0; s < S; s++) {
    const dx = zx[s] - mx;
    const dy = zy[s] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const mi = miFromCorrelation(sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0);
  return biasCorrect ? mi + gcmiBiasCorrection(S) : mi;
}

/**
 * -1/2 ln(1 - rho^2): the MI of a bivariate Gaussian of correlation rho. |rho| = 1 (a neuron
 * with itself, or two neurons in the same order) gives the largest value a float64 correlation
 * expresses, 26 ln 2 = 18.02 nats (rho^2 held at 1 - 2^-52), not Infinity.
 */
export function miFromCorrelation(rho: number): number {
  return -0.5 * Math.log1p(-Math.min(rho * rho, 1 - 2 ** -52));
}

/**
 * gcmi's bias correction of the MI of two one-dimensional variables over S samples:
 * each entropy subtracts (ln 2 - ln(S - 1)) / 2 per dimension and psi((S - d) / 2) / 2 for
 * d = 1..dims; in I = H(X) + H(Y) - H(X, Y) all that is left is
 *   psi((S - 2) / 2) / 2 - psi((S - 1) / 2) / 2   (negative, about -1 / (2 S)).
 */
export function gcmiBiasCorrection(S: number): number {
  if (!(S > 2)) return NaN;
  return 0.5 * digamma((S - 2) / 2) - 0.5 * digamma((S - 1) / 2);
}
