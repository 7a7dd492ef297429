/**
 * The k-th nearest neighbour distance (max-norm) of one point by a one-dimensional sweep: walk
 * one neuron's sorted values outward from the point's rank, nearest value first, keeping the k
 * smallest distances max(|dv|, |dw|) (w: the other neuron's value of the same sample), and stop
 * when the next |dv| reaches the k-th smallest: every point not examined is at least that far,
 * so the result is exact and the same number the grid search (search.ts) finds.
 *
 * Cheap where this neuron is locally much sparser than the other (its spacing sets the
 * neighbour radius, so few points lie within it): raw values of very different scales, long
 * tails against a dense core, a run of ties in the other neuron. Elsewhere it would examine
 * about sqrt(k S) points, so it gives up after `budget` points and returns -1 (the caller then
 * searches the grid).
 *
 * @param v      sorted values of the swept neuron, rank 0 at v[base], with the store's +-Infinity
 *               guards on both sides (so the walk needs no bounds checks)
 * @param w      w[r] = the other neuron's value of the sample of rank r
 * @param r      the point's rank
 * @param best   scratch of at least k entries (left holding the k smallest, ascending)
 */
export function kthDistanceSweep(v: Float64Array, base: number, w: Float64Array, r: number, k: number, best: Float64Array, budget: number): number {
  const vs = v[base + r];
  const ws = w[r];
  const km = k - 1;
  for (let m = 0; m < k; m++) best[m] = Infinity;
  let kth = Infinity;
  let lo = r - 1;
  let hi = r + 1;
  let dl = vs - v[base + lo];
  let dh = v[base + hi] - vs;
  for (let seen = 0; ; seen++) {
    let dv: number;
    let q: number;
    if (dl <= dh) {
      if (dl >= kth) break;
      dv = dl;
      q = lo--;
      dl = vs - v[base + lo];
    } else {
      if (dh >= kth) break;
      dv = dh;
      q = hi++;
      dh = v[base + hi] - vs;
    }
    if (seen === budget) return -1;
    const dw = Math.abs(w[q] - ws);
    const d = dv > dw ? dv : dw;
    if (d < kth) {
      let m = km;
      while (m > 0 && best[m - 1] > d) {
        best[m] = best[m - 1];
        m--;
      }
      best[m] = d;
      kth = best[km];
    }
  }
  return kth;
}
