/**
 * The in-distribution statistics that per-example surprisal scores are measured against, built
 * once from reference activations (and serialisable: plain numbers and typed arrays, so a
 * deployed model can score new inputs without the reference set).
 *
 * Per neuron n: B equal-width bins over its reference range [lo_n, hi_n] (edges lo + (hi - lo) k / B,
 * the last bin closed) plus two tail bins for values below lo_n and above hi_n, with
 * additive smoothing so that a bin no reference example fell in still has a finite surprisal:
 *   p_n(b) = (c_n(b) + alpha) / (S + alpha (B + 2)),   b = tail-low, 0 .. B-1, tail-high,
 * and `logp[n * (B + 2) + b] = ln p_n(b)` with b shifted by one (0 = below, B + 1 = above).
 * The mean over examples of -ln p_n is the neuron's (smoothed) binned entropy, so an example's
 * surprisal is its own term of that mean: H(A_n) = E_s[-ln p(a_n^s)].
 *
 * Co-activation: the `pairs` reference pairs of highest binned MI (on `jointBins` equal-width
 * bins, tails included), each with its smoothed joint table; an example's co-activation score
 * on a pair is its pointwise -PMI, ln p(x) p(y) / p(x, y): large when the two neurons take
 * values together that they rarely take together in the reference.
 */
import type { ActivationSet } from '../activations/activation-set.js';
import { neuronCount } from '../activations/activation-set.js';

export interface ReferenceOptions {
  /** Bins per neuron of the marginal histograms (default 100, the paper's). */
  bins?: number;
  /** Additive smoothing per bin (default 0.5, Jeffreys). */
  alpha?: number;
  /** Reference pairs for the co-activation score (default 256; 0: none). */
  pairs?: number;
  /** Bins per neuron of the joint tables (default 16). */
  jointBins?: number;
}

export interface ReferenceStats {
  readonly version: 1;
  readonly samples: number;
  readonly neurons: number;
  readonly bins: number;
  readonly alpha: number;
  /** Layer names and their first neuron and size (the scored set must have the same). */
  readonly layers: readonly { name: string; offset: number; size: number }[];
  /** Per neuron: lo, hi of its reference values. */
  readonly range: Float64Array;
  /** Per neuron: B + 2 log-probabilities (tail-low, the B bins, tail-high). */
  readonly logp: Float64Array;
  readonly jointBins: number;
  /** Co-activation pairs [i0, j0, i1, j1, ...] (highest reference MI first). */
  readonly pairs: Int32Array;
  /** Their reference MI (nats, on the joint bins). */
  readonly pairMI: Float64Array;
  /** Per pair: (J + 2)^2 values ln p(x, y) - ln p(x) - ln p(y) (J = jointBins; tails included). */
  readonly pmi: Float64Array;
}

/**
 * The bin (0 = below lo, 1..B = the B bins, B + 1 = above hi) of x for a neuron with reference
 * range [lo, hi]: equal-width bins, edges lo + (hi - lo) k / B, the last bin closed.
 */
export function tailBin(x: number, lo: number, hi: number, B: number): number {
  if (x < lo) return 0;
  if (x > hi) return B + 1;
  if (!(hi > lo)) return 1 + ((B - 1) >> 1); // a constant reference neuron: its value's bin
  let i = Math.floor(((x - lo) / (hi - lo)) * B);
  if (i > B - 1) i = B - 1;
  // fix the arithmetic guess against the exact edges
  const edge = (k: number): number => lo + ((hi - lo) * k) / B;
  if (x < edge(i)) i--;
  else if (i < B - 1 && x >= edge(i + 1)) i++;
  return 1 + i;
}

/** Builds the reference statistics of `set` (not modified). */
export function buildReference(set: ActivationSet, options: ReferenceOptions = {}): ReferenceStats {
  const B = options.bins ?? 100;
  const alpha = options.alpha ?? 0.5;
  const J = options.jointBins ?? 16;
  const wantPairs = options.pairs ?? 256;
  if (!(Number.isInteger(B) && B >= 1 && B <= 65536)) throw new RangeError(`reference: bins must be an integer in 1..65536, got ${B}`);
  if (!(Number.isInteger(J) && J >= 1 && J <= 256)) throw new RangeError(`reference: jointBins must be an integer in 1..256, got ${J}`);
  if (!(Number.isFinite(alpha) && alpha > 0)) throw new RangeError(`reference: alpha must be > 0, got ${alpha}`);
  if (!(Number.isInteger(wantPairs) && wantPairs >= 0)) throw new RangeError(`reference: pairs must be an integer >= 0, got ${wantPairs}`);
  const N = neuronCount(set);
  const S = set.samples;
  if (S < 1 || N < 1) throw new RangeError('reference: no examples or no neurons');
  const v = set.values;
  const range = new Float64Array(2 * N);
  const logp = new Float64Array(N * (B + 2));
  const counts = new Float64Array(B + 2);
  const norm = Math.log(S + alpha * (B + 2));
  for (let n = 0; n < N; n++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let s = 0; s < S; s++) {
      const x = v[n * S + s];
      if (!Number.isFinite(x)) throw new RangeError(`reference: non-finite value at neuron ${n}, example ${s}`);
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    range[2 * n] = lo;
    range[2 * n + 1] = hi;
    counts.fill(0);
    for (let s = 0; s < S; s++) counts[tailBin(v[n * S + s], lo, hi, B)]++;
    for (let b = 0; b < B + 2; b++) logp[n * (B + 2) + b] = Math.log(counts[b] + alpha) - norm;
  }
  // joint codes on J bins (tails included: J + 2 codes), for the pairs' MI and tables
  const W = J + 2;
  const codes = new Uint8Array(N * S);
  for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) codes[n * S + s] = tailBin(v[n * S + s], range[2 * n], range[2 * n + 1], J);
  const { pairs, mi } = topPairs(codes, N, S, W, Math.min(wantPairs, (N * (N - 1)) / 2));
  const P = pairs.length / 2;
  const pmi = new Float64Array(P * W * W);
  const joint = new Float64Array(W * W);
  const mx = new Float64Array(W);
  const my = new Float64Array(W);
  for (let p = 0; p < P; p++) {
    const i = pairs[2 * p];
    const j = pairs[2 * p + 1];
    joint.fill(0);
    mx.fill(0);
    my.fill(0);
    for (let s = 0; s < S; s++) {
      const a = codes[i * S + s];
      const b = codes[j * S + s];
      joint[a * W + b]++;
      mx[a]++;
      my[b]++;
    }
    const lnJ = Math.log(S + alpha * W * W);
    const lnM = Math.log(S + alpha * W);
    for (let a = 0; a < W; a++)
      for (let b = 0; b < W; b++) pmi[p * W * W + a * W + b] = Math.log(joint[a * W + b] + alpha) - lnJ - (Math.log(mx[a] + alpha) - lnM) - (Math.log(my[b] + alpha) - lnM);
  }
  return {
    version: 1,
    samples: S,
    neurons: N,
    bins: B,
    alpha,
    layers: set.layers.map((l) => ({ name: l.name, offset: l.offset, size: l.size })),
    range,
    logp,
    jointBins: J,
    pairs,
    pairMI: mi,
    pmi,
  };
}

/**
 * The `count` distinct pairs of highest plug-in MI on the codes (ties: lower i, then j).
 * I(i, j) = ln S + (1/S) (sum c_ab ln c_ab - sum c_a ln c_a - sum c_b ln c_b); the c ln c come
 * from a table (no logarithm per cell), and only the best `count` pairs are kept (a bounded
 * heap), never all N (N - 1) / 2.
 */
export function topPairs(codes: Uint8Array, N: number, S: number, W: number, count: number): { pairs: Int32Array; mi: Float64Array } {
  if (count === 0) return { pairs: new Int32Array(0), mi: new Float64Array(0) };
  const nlogn = new Float64Array(S + 1);
  for (let c = 1; c <= S; c++) nlogn[c] = c * Math.log(c);
  const hx = new Float64Array(N);
  const c = new Int32Array(W);
  for (let n = 0; n < N; n++) {
    c.fill(0);
    for (let s = 0; s < S; s++) c[codes[n * S + s]]++;
    let sum = 0;
    for (let b = 0; b < W; b++) sum += nlogn[c[b]];
    hx[n] = sum; // sum c ln c
  }
  // two pairs (i, j) and (i, j + 1) per pass over the samples: i's row offsets are read once
  const WW = W * W;
  const joint = new Int32Array(2 * WW);
  const rowOf = new Int32Array(S);
  const lnS = Math.log(S);
  const heap = new TopPairs(count);
  const finish = (i: number, j: number, base: number): void => {
    let sum = 0;
    for (let q = base; q < base + WW; q++) sum += nlogn[joint[q]];
    heap.offer(i, j, lnS + (sum - hx[i] - hx[j]) / S);
  };
  for (let i = 0; i < N; i++) {
    for (let s = 0; s < S; s++) rowOf[s] = codes[i * S + s] * W;
    let j = i + 1;
    for (; j + 1 < N; j += 2) {
      joint.fill(0);
      const o1 = j * S;
      const o2 = o1 + S;
      for (let s = 0; s < S; s++) {
        const r = rowOf[s];
        joint[r + codes[o1 + s]]++;
        joint[WW + r + codes[o2 + s]]++;
      }
      finish(i, j, 0);
      finish(i, j + 1, WW);
    }
    if (j < N) {
      joint.fill(0, 0, WW);
      const o1 = j * S;
      for (let s = 0; s < S; s++) joint[rowOf[s] + codes[o1 + s]]++;
      finish(i, j, 0);
    }
  }
  return heap.sorted();
}

/**
 * The best `k` of a stream of pairs, ordered by MI descending, then i, then j ascending: a
 * binary heap whose root is the worst kept pair.
 */
class TopPairs {
  private readonly i: Int32Array;
  private readonly j: Int32Array;
  private readonly mi: Float64Array;
  private n = 0;

  constructor(private readonly k: number) {
    this.i = new Int32Array(k);
    this.j = new Int32Array(k);
    this.mi = new Float64Array(k);
  }

  /** Whether pair a ranks below pair b (a is worse). */
  private worse(ai: number, aj: number, am: number, bi: number, bj: number, bm: number): boolean {
    return am < bm || (am === bm && (ai > bi || (ai === bi && aj > bj)));
  }

  offer(i: number, j: number, mi: number): void {
    if (this.n < this.k) {
      let x = this.n++;
      while (x > 0) {
        const p = (x - 1) >> 1;
        if (!this.worse(i, j, mi, this.i[p], this.j[p], this.mi[p])) break;
        this.set(x, this.i[p], this.j[p], this.mi[p]);
        x = p;
      }
      this.set(x, i, j, mi);
      return;
    }
    if (!this.worse(this.i[0], this.j[0], this.mi[0], i, j, mi)) return; // not better than the worst kept
    let x = 0;
    for (;;) {
      const l = 2 * x + 1;
      if (l >= this.n) break;
      const r = l + 1;
      const c = r < this.n && this.worse(this.i[r], this.j[r], this.mi[r], this.i[l], this.j[l], this.mi[l]) ? r : l;
      if (!this.worse(this.i[c], this.j[c], this.mi[c], i, j, mi)) break;
      this.set(x, this.i[c], this.j[c], this.mi[c]);
      x = c;
    }
    this.set(x, i, j, mi);
  }

  private set(x: number, i: number, j: number, mi: number): void {
    this.i[x] = i;
    this.j[x] = j;
    this.mi[x] = mi;
  }

  /** The kept pairs, best first. */
  sorted(): { pairs: Int32Array; mi: Float64Array } {
    const idx = Array.from({ length: this.n }, (_, x) => x).sort((a, b) => (this.worse(this.i[a], this.j[a], this.mi[a], this.i[b], this.j[b], this.mi[b]) ? 1 : this.worse(this.i[b], this.j[b], this.mi[b], this.i[a], this.j[a], this.mi[a]) ? -1 : 0));
    const pairs = new Int32Array(2 * this.n);
    const mi = new Float64Array(this.n);
    idx.forEach((x, r) => {
      pairs[2 * r] = this.i[x];
      pairs[2 * r + 1] = this.j[x];
      mi[r] = this.mi[x];
    });
    return { pairs, mi };
  }
}
