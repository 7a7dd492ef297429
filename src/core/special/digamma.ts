/**
 * The digamma function at the positive integers, as a lookup table.
 *
 * Definition: psi(1) = -gamma (Euler-Mascheroni), psi(n + 1) = psi(n) + 1 / n.
 * `digammaTable(n)[m]` is psi(m) for 1 <= m <= n; entry 0 is NaN (psi has a pole at 0).
 *
 * The recurrence accumulates at most ~n ulps of rounding error (~1e-12 at n = 10^4), far inside
 * the 1e-9 tolerance the KSG reference values allow.
 *
 * @example digammaTable(3) // [NaN, -0.5772156649015329, 0.42278433509846713, 0.9227843350984671]
 */
export const EULER_GAMMA = 0.5772156649015329;

export function digammaTable(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`digammaTable: n must be a positive integer, got ${n}`);
  const t = new Float64Array(n + 1);
  t[0] = NaN;
  t[1] = -EULER_GAMMA;
  for (let m = 1; m < n; m++) t[m + 1] = t[m] + 1 / m;
  return t;
}

/**
 * The digamma function psi(x) = d/dx ln Gamma(x) for x > 0 (any real, not only integers):
 * psi(x) = psi(x + 1) - 1 / x until x >= 10, then the asymptotic series
 * ln x - 1/(2x) - sum_k B_2k / (2k x^2k) through k = 7 (B_2k the Bernoulli numbers), whose
 * first omitted term is below 1e-16 there.
 *
 * @example digamma(0.5) // -gamma - 2 ln 2 = -1.9635100260214235
 */
export function digamma(x: number): number {
  if (!(x > 0)) return NaN;
  let shift = 0;
  while (x < 10) {
    shift += 1 / x;
    x += 1;
  }
  const r = 1 / (x * x);
  // -B_2k / (2k) for k = 1..7: -1/12, 1/120, -1/252, 1/240, -1/132, 691/32760, -1/12
  const series = r * (-1 / 12 + r * (1 / 120 + r * (-1 / 252 + r * (1 / 240 + r * (-1 / 132 + r * (691 / 32760 + r * (-1 / 12)))))));
  return Math.log(x) - 0.5 / x + series - shift;
}
