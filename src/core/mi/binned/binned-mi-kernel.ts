import type { BinnedStore } from './binned-store.js';

/**
 * Plug-in mutual information of two binned neurons, in nats:
 *   I(X;Y) = H(X) + H(Y) - H(X,Y) = ln S + (1/S) [sum c_xy ln c_xy - sum c_x ln c_x - sum c_y ln c_y],
 * with counts over the same bins the entropies use (so I(X;X) = H(X)). With `millerMadow`,
 * each entropy carries its Miller-Madow term, which adds (m_x + m_y - m_xy - 1) / (2 S)
 * (m = occupied bins). A neuron with a single occupied bin has MI exactly 0 with everything.
 *
 * Cost per pair: two passes over the S samples and no pass over the B x B joint table: each
 * increment of a joint cell adds c ln c - (c-1) ln (c-1) from a table, and the cells touched
 * are reset by a second pass. The scratch is allocated once per kernel.
 */
export class BinnedMiKernel {
  private readonly joint: Int32Array;
  private readonly delta: Float64Array;
  private readonly lnS: number;

  constructor(
    private readonly samples: number,
    private readonly bins: number,
    private readonly millerMadow = false,
  ) {
    this.joint = new Int32Array(bins * bins);
    this.delta = new Float64Array(samples + 1);
    let prev = 0;
    for (let c = 1; c <= samples; c++) {
      const cur = c * Math.log(c);
      this.delta[c] = cur - prev;
      prev = cur;
    }
    this.lnS = Math.log(samples);
  }

  mi(a: BinnedStore, i: number, b: BinnedStore, j: number): number {
    const S = this.samples;
    const B = this.bins;
    const mx = a.occupied[i];
    const my = b.occupied[j];
    if (mx <= 1 || my <= 1) return 0;
    const cx = a.codes;
    const cy = b.codes;
    const ox = i * S;
    const oy = j * S;
    const joint = this.joint;
    const delta = this.delta;
    let sum = 0;
    let mxy = 0;
    if (this.millerMadow) {
      for (let s = 0; s < S; s++) {
        const c = ++joint[cx[ox + s] * B + cy[oy + s]];
        sum += delta[c];
        if (c === 1) mxy++;
      }
    } else {
      for (let s = 0; s < S; s++) sum += delta[++joint[cx[ox + s] * B + cy[oy + s]]];
    }
    for (let s = 0; s < S; s++) joint[cx[ox + s] * B + cy[oy + s]] = 0;
    let mi = this.lnS + (sum - a.sumNLogN[i] - b.sumNLogN[j]) / S;
    if (this.millerMadow) mi += (mx + my - mxy - 1) / (2 * S);
    return mi;
  }
}
