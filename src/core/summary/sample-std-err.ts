/**
 * Standard error of a sample mean of n of the `total` values (drawn without replacement):
 * sd / sqrt(n) * sqrt((total - n) / (total - 1)), sd with n - 1 in the denominator.
 */
export function sampleStdErr(values: Float64Array, mean: number, total: number): number {
  const n = values.length;
  if (n < 2) return NaN;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const fpc = total > 1 ? Math.sqrt(Math.max(0, total - n) / (total - 1)) : 0;
  return (Math.sqrt(ss / (n - 1)) / Math.sqrt(n)) * fpc;
}
