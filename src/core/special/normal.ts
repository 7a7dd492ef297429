/**
 * The standard normal distribution: its upper-tail probability Q(z) = 1 - Phi(z), its CDF
 * Phi(z), and its quantile Phi^-1(p) (SciPy's `ndtr` and `ndtri`), to double precision.
 *
 * erf and erfc for x >= 0: below 3 from the series erf(x) = (2 / sqrt(pi)) e^(-x^2) sum_n
 * 2^n x^(2n+1) / (1 * 3 * ... * (2n+1)) (all terms positive); from 3 on from the continued
 * fraction erfc(x) = e^(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))),
 * evaluated backwards. The quantile starts from Abramowitz & Stegun 26.2.23 and is refined by
 * Halley's method on Q, to full precision.
 *
 * @example normalQuantile(0.975) // 1.9599639845400547 (the exact value rounds to ...542)
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT2 = Math.SQRT2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** erf(x) for 0 <= x < 3 by its series of positive terms (full relative precision near 0). */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
}

/** The error function erf(x) = (2 / sqrt(pi)) int_0^x e^(-t^2) dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return -erf(-x);
  return x < 3 ? erfSeries(x) : 1 - erfc(x);
}

/** The complementary error function erfc(x) = (2 / sqrt(pi)) int_x^inf e^(-t^2) dt. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) return 1 - erfSeries(x);
  if (x > 27.3) return 0; // below the smallest double
  // Continued fraction, from depth 120 back to the top (ample for x >= 3).
  let f = x;
  for (let n = 120; n >= 1; n--) f = x + n / 2 / f;
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** Q(z) = 1 - Phi(z), the standard normal upper-tail probability (accurate in both tails). */
export function normalTail(z: number): number {
  return 0.5 * erfc(z / SQRT2);
}

/** Phi(z), the standard normal CDF (SciPy's `ndtr`). */
export function normalCdf(z: number): number {
  return Math.abs(z) < 0.5 ? 0.5 + 0.5 * erf(z / SQRT2) : 0.5 * erfc(-z / SQRT2);
}

/** The standard normal density phi(z). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT_2PI;
}

/**
 * Phi^-1(p), the standard normal quantile (SciPy's `ndtri`): -Infinity at 0, +Infinity at 1,
 * NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Solve Q(q) = t for the tail probability t <= 1/2 (1 - p is exact for p >= 1/2).
  const upper = p > 0.5;
  const t = upper ? 1 - p : p;
  const w = Math.sqrt(-2 * Math.log(t));
  let q = w - (2.515517 + 0.802853 * w + 0.010328 * w * w) / (1 + 1.432788 * w + 0.189269 * w * w + 0.001308 * w * w * w);
  for (let i = 0; i < 50; i++) {
    // Halley on f(q) = Q(q) - t: f' = -phi(q), f'' = q phi(q). Near the centre f is taken as
    // (1/2 - t) - erf(q / sqrt 2) / 2, both parts exact to the last bit there.
    const f = t > 0.25 ? 0.5 - t - 0.5 * erf(q / SQRT2) : normalTail(q) - t;
    const d = normalPdf(q);
    if (d === 0) break;
    const r = f / d; // Newton step is +r
    const step = r / (1 - (q * r) / 2);
    q += step;
    if (Math.abs(step) <= 1e-16 * Math.max(1, Math.abs(q))) break;
  }
  return upper ? q : -q;
}
