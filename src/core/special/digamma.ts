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
