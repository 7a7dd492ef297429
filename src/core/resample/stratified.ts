/**
 * Replicate deviations of a mean (or median) over many units (neurons, or neuron pairs) from a
 * stratified sample of them: the resampling recomputes the estimator on sampled units only, and
 * this module turns those recomputations into the deviation of the whole population's mean.
 *
 * Units are in strata h (a layer's neurons; a layer's pairs, and the pairs across layers) of
 * N_h units, n_h of them sampled without replacement. For replicate r and sampled unit u,
 * d_r(u) = value_r(u) - value(u), the change from the full-data value. The population mean's
 * deviation is estimated by the stratified mean D_r = sum_h (N_h / N) mean_{u in h} d_r(u).
 *
 * Its spread over replicates has two parts: the true replicate-to-replicate spread of the
 * population mean, and the unit-sampling noise of the stratified mean (two-stage sampling,
 * Cochran 1977, ch. 10). The second is estimated per replicate,
 *   V_s = sum_h (N_h / N)^2 (1 - n_h / N_h) s_h^2 / n_h  (s_h^2: the d_r(u)'s variance in h),
 * averaged over replicates, and taken off: V = var_r(D_r) - mean_r V_s. With every unit sampled,
 * V_s = 0 and this is exact. The difference of two noisy terms can fall below what units that
 * vary independently would give, sum_h (N_h / N)^2 v_h / N_h (the units of one analysis share
 * examples, so their deviations are not negatively correlated): V is kept at least that, so that
 * an interval never claims a precision that the sample cannot show. The deviations returned are D_r centred on their mean
 * (the replicates' own bias, e.g. of subsamples' smaller size, is not a deviation) and scaled
 * so that their variance is the estimator's: V x the scheme's variance factor.
 */

/** The strata of a sample of units. */
export interface Strata {
  /** Stratum of each sampled unit (0..H-1). */
  readonly of: Int32Array;
  /** Units in each stratum in the population (N_h). */
  readonly population: Float64Array;
}

/** Deviations of a statistic over replicates, and its standard error. */
export interface Deviations {
  /** R values, mean 0, variance se^2. */
  readonly deviations: Float64Array;
  readonly se: number;
}

/**
 * The mean's deviations. `full[u]` is unit u's full-data value, `reps[r * U + u]` its value in
 * replicate r. `strata` may cover a subset of the strata (the rest get weight 0): the mean is then
 * that of the covered strata's population.
 */
export function meanDeviations(full: Float64Array, reps: Float64Array, strata: Strata, varianceFactor: number, only?: (h: number) => boolean): Deviations {
  const U = full.length;
  const R = reps.length / U;
  const H = strata.population.length;
  const n = new Float64Array(H);
  for (let u = 0; u < U; u++) n[strata.of[u]]++;
  let N = 0;
  for (let h = 0; h < H; h++) if (n[h] > 0 && (!only || only(h))) N += strata.population[h];
  const D = new Float64Array(R);
  if (N === 0) return { deviations: D, se: NaN };
  const sum = new Float64Array(H);
  for (let r = 0; r < R; r++) {
    sum.fill(0);
    for (let u = 0; u < U; u++) sum[strata.of[u]] += reps[r * U + u] - full[u];
    let dr = 0;
    for (let h = 0; h < H; h++) if (n[h] > 0 && (!only || only(h))) dr += (strata.population[h] / N) * (sum[h] / n[h]);
    D[r] = dr;
  }
  // each unit's own replicate variance (its mean deviation, the same in every replicate, is no noise)
  const unitVar = new Float64Array(H);
  for (let u = 0; u < U; u++) {
    let m1 = 0;
    let m2 = 0;
    for (let r = 0; r < R; r++) {
      const d = reps[r * U + u] - full[u];
      m1 += d;
      m2 += d * d;
    }
    m1 /= R;
    unitVar[strata.of[u]] += R > 1 ? Math.max(0, (m2 - R * m1 * m1) / (R - 1)) : 0;
  }
  let vs = 0;
  let floor = 0;
  for (let h = 0; h < H; h++) {
    if (n[h] === 0 || (only && !only(h))) continue;
    const w = strata.population[h] / N;
    const v = unitVar[h] / n[h];
    vs += (w * w * (1 - n[h] / strata.population[h]) * v) / n[h];
    floor += (w * w * v) / strata.population[h];
  }
  return scaled(D, vs, varianceFactor, floor);
}

/**
 * The median's deviations: median_u value_r(u) - median_u value(u) over the sampled units (no
 * unit-sampling correction: a median has no simple one).
 */
export function medianDeviations(full: Float64Array, reps: Float64Array, varianceFactor: number, units?: Int32Array): Deviations {
  const U = full.length;
  const R = reps.length / U;
  const pick = units ?? Int32Array.from({ length: U }, (_, u) => u);
  const base = median(Float64Array.from(pick, (u) => full[u]));
  const D = new Float64Array(R);
  const tmp = new Float64Array(pick.length);
  for (let r = 0; r < R; r++) {
    for (let k = 0; k < pick.length; k++) tmp[k] = reps[r * U + pick[k]];
    D[r] = median(tmp) - base;
  }
  return scaled(D, 0, varianceFactor);
}

/**
 * Centres D, takes `samplingVariance` off its variance (keeping at least `floor`), and scales it
 * to that variance x factor.
 */
function scaled(D: Float64Array, samplingVariance: number, factor: number, floor = 0): Deviations {
  const R = D.length;
  let mean = 0;
  for (const d of D) mean += d;
  mean /= R;
  let v = 0;
  for (const d of D) v += (d - mean) * (d - mean);
  v = R > 1 ? v / (R - 1) : 0;
  const corrected = Math.min(v, Math.max(floor, v - samplingVariance));
  const shrink = v > 0 ? Math.sqrt(corrected / v) : 0;
  const scale = shrink * Math.sqrt(factor);
  const out = D.map((d) => (d - mean) * scale);
  return { deviations: out, se: Math.sqrt(corrected * factor) };
}

/** Median of values (sorted in place). */
function median(v: Float64Array): number {
  if (v.length === 0) return NaN;
  v.sort();
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}
