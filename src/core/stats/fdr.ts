/**
 * Benjamini-Hochberg adjusted p-values (Benjamini & Hochberg 1995), as
 * scipy.stats.false_discovery_control(p, method='bh'): with p sorted ascending, q_(i) =
 * min over j >= i of m p_(j) / j, capped at 1, returned in the input's order. Rejecting every
 * hypothesis with q <= alpha controls the false discovery rate at alpha (for independent or
 * positively dependent tests).
 * @example benjaminiHochberg(Float64Array.of(0.01, 0.04, 0.03)) // [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const m = p.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
  const q = new Float64Array(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const i = order[k];
    running = Math.min(running, (m * p[i]) / (k + 1));
    q[i] = Math.min(1, running);
  }
  return q;
}
