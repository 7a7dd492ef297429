import { incompleteBeta } from '../special/beta.js';

/**
 * The two-sided tail of Student's t distribution with `df` degrees of freedom:
 * P(|T| >= |t|) = I_{df / (df + t^2)}(df / 2, 1 / 2).
 * @example studentTwoSided(0, 10) // 1
 */
export function studentTwoSided(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`studentTwoSided: df must be > 0, got ${df}`);
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * The two-sided p-value of a Pearson correlation r of n pairs under independence of normal
 * variables (scipy.stats.pearsonr's): t = r sqrt((n - 2) / (1 - r^2)) on n - 2 degrees of freedom.
 * |r| = 1 gives 0.
 */
export function correlationPValue(r: number, n: number): number {
  if (!(n >= 3)) throw new RangeError(`correlationPValue: needs n >= 3, got ${n}`);
  const r2 = r * r;
  if (r2 >= 1) return 0;
  return studentTwoSided(r * Math.sqrt((n - 2) / (1 - r2)), n - 2);
}
