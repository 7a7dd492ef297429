/**
 * The logit baselines of out-of-distribution detection, from n rows of C logits (row-major):
 * `msp` = -max_c softmax(z)_c (Hendrycks & Gimpel 2017) and `energy` = -logsumexp(z) (Liu et al.
 * 2020), both higher = more unusual. A single logit (a binary sigmoid model) is taken as the
 * pair (0, z).
 */
export function logitScores(z: ArrayLike<number>, n: number): { msp: Float64Array; energy: Float64Array } {
  if (n < 1 || z.length % n !== 0) throw new RangeError(`logits: ${z.length} values for ${n} examples`);
  const C = z.length / n;
  const msp = new Float64Array(n);
  const energy = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    let mx = C === 1 ? Math.max(0, z[s]) : -Infinity;
    for (let c = 0; c < C; c++) mx = Math.max(mx, z[s * C + c]);
    let sum = C === 1 ? Math.exp(-mx) : 0;
    for (let c = 0; c < C; c++) sum += Math.exp(z[s * C + c] - mx);
    msp[s] = -1 / sum; // -exp(max - max) / sum
    energy[s] = -(mx + Math.log(sum));
  }
  return { msp, energy };
}
