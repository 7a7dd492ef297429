/**
 * Standardises each neuron in place: x <- (x - mean) / std, with the population standard
 * deviation (ddof = 0, as scikit-learn's StandardScaler). A constant neuron becomes all zeros.
 * `values` is neuron-major with `samples` values per neuron.
 */
export function zscoreInPlace(values: Float64Array, samples: number): void {
  const N = values.length / samples;
  for (let n = 0; n < N; n++) {
    const base = n * samples;
    let mean = 0;
    for (let s = 0; s < samples; s++) mean += values[base + s];
    mean /= samples;
    let ss = 0;
    for (let s = 0; s < samples; s++) {
      const d = values[base + s] - mean;
      ss += d * d;
    }
    const std = Math.sqrt(ss / samples);
    const inv = std > 0 ? 1 / std : 0;
    for (let s = 0; s < samples; s++) values[base + s] = std > 0 ? (values[base + s] - mean) * inv : 0;
  }
}

/** Population standard deviation of `values[from..to)`. */
export function standardDeviation(values: Float64Array, from = 0, to = values.length): number {
  const n = to - from;
  let mean = 0;
  for (let i = from; i < to; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = from; i < to; i++) {
    const d = values[i] - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / n);
}
