/**
 * Agglomerative hierarchical clustering with average linkage (UPGMA) of N items given a
 * symmetric N x N matrix, by the nearest-neighbour-chain algorithm (Murtagh 1983; Muellner 2011):
 * O(N^2) time and one N x N working copy (O(N^2) memory).
 *
 * Average linkage: the distance between clusters A and B is the mean of d(a, b) over a in A,
 * b in B; after merging A and B into C, the Lance-Williams update
 *   d(K, C) = (|A| d(K, A) + |B| d(K, B)) / (|A| + |B|)
 * gives it exactly. The diagonal is ignored. Non-finite distances are treated as +Infinity
 * (merged last).
 *
 * Determinism: nearest-neighbour ties are broken towards the chain's previous element (which the
 * algorithm needs for correctness), then towards the smallest item index; the leaf order is a
 * depth-first walk of the dendrogram that visits first the child containing the smaller
 * original item index. The result depends only on the matrix, never on timing or platform.
 */
export interface Merge {
  /** Node ids of the merged clusters: 0..N-1 are leaves, N + t is the cluster made by merge t. */
  a: number;
  b: number;
  /** Average-linkage distance at which they merged. */
  height: number;
  /** Items in the merged cluster. */
  size: number;
}

export interface Dendrogram {
  /** N - 1 merges, in the order the algorithm made them (not sorted by height). */
  merges: Merge[];
  /** The leaves in dendrogram order: a permutation of 0..N-1. */
  order: Int32Array;
}

export interface ClusterOptions {
  /**
   * How to read the matrix: 'distance' as is; 'similarity' converted to
   * d(i, j) = max_{k != l} s(k, l) - s(i, j) (so the most similar pair is at distance 0).
   */
  kind?: 'distance' | 'similarity';
}

/** Average-linkage clustering of a symmetric row-major `n x n` matrix. */
export function averageLinkage(matrix: ArrayLike<number>, n: number, options: ClusterOptions = {}): Dendrogram {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`cluster: n must be a non-negative integer, got ${n}`);
  if (matrix.length !== n * n) throw new RangeError(`cluster: matrix has ${matrix.length} values, expected ${n} x ${n}`);
  if (n === 0) return { merges: [], order: new Int32Array(0) };
  const d = new Float64Array(n * n);
  if (options.kind === 'similarity') {
    let max = -Infinity;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && Number.isFinite(matrix[i * n + j]) && matrix[i * n + j] > max) max = matrix[i * n + j];
    for (let k = 0; k < n * n; k++) d[k] = Number.isFinite(matrix[k]) ? max - matrix[k] : Infinity;
  } else {
    for (let k = 0; k < n * n; k++) d[k] = Number.isFinite(matrix[k]) ? matrix[k] : Infinity;
  }
  // symmetrise defensively (mean of the two halves)
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const a = d[i * n + j];
      const b = d[j * n + i];
      const v = a === b ? a : (a + b) / 2;
      d[i * n + j] = v;
      d[j * n + i] = v;
    }

  const size = new Float64Array(n).fill(1);
  const node = Int32Array.from({ length: n }, (_, i) => i); // node id of the cluster in slot i
  const minLeaf = Int32Array.from({ length: n }, (_, i) => i);
  // doubly linked list of active slots, for O(active) scans
  const next = Int32Array.from({ length: n }, (_, i) => i + 1);
  const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
  let head = 0;
  const merges: Merge[] = [];
  const childA: number[] = [];
  const childB: number[] = [];
  const chain = new Int32Array(n);
  let chainLen = 0;
  let remaining = n;

  while (remaining > 1) {
    if (chainLen === 0) {
      chain[0] = head;
      chainLen = 1;
    }
    for (;;) {
      const x = chain[chainLen - 1];
      const previous = chainLen > 1 ? chain[chainLen - 2] : -1;
      // nearest active neighbour of x; ties: previous chain element, then smallest slot
      let best = previous;
      let bestD = previous >= 0 ? d[x * n + previous] : Infinity;
      const row = x * n;
      for (let y = head; y < n; y = next[y]) {
        if (y === x) continue;
        const v = d[row + y];
        // strict '<': a tie keeps the previous chain element, else the smallest slot (scan is ascending)
        if (v < bestD || best === -1) {
          best = y;
          bestD = v;
        }
      }
      if (best === previous) break; // reciprocal nearest neighbours
      chain[chainLen++] = best;
    }
    // merge the last two chain elements
    let a = chain[chainLen - 1];
    let b = chain[chainLen - 2];
    chainLen -= 2;
    const height = d[a * n + b];
    if (b < a) [a, b] = [b, a]; // keep the cluster in the smaller slot a, retire b
    const na = size[a];
    const nb = size[b];
    const total = na + nb;
    for (let k = head; k < n; k = next[k]) {
      if (k === a || k === b) continue;
      const dka = d[k * n + a];
      const dkb = d[k * n + b];
      const v = (na * dka + nb * dkb) / total; // Infinity stays Infinity
      d[k * n + a] = v;
      d[a * n + k] = v;
    }
    const id = n + merges.length;
    const [first, second] = minLeaf[a] <= minLeaf[b] ? [node[a], node[b]] : [node[b], node[a]];
    merges.push({ a: first, b: second, height, size: total });
    childA.push(first);
    childB.push(second);
    size[a] = total;
    node[a] = id;
    minLeaf[a] = Math.min(minLeaf[a], minLeaf[b]);
    // retire slot b
    if (prev[b] >= 0) next[prev[b]] = next[b];
    else head = next[b];
    if (next[b] < n) prev[next[b]] = prev[b];
    remaining--;
  }

  // leaf order: iterative depth-first walk from the root
  const order = new Int32Array(n);
  let k = 0;
  const stack: number[] = [n === 1 ? 0 : n + merges.length - 1];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (v < n) {
      order[k++] = v;
      continue;
    }
    const t = v - n;
    stack.push(childB[t], childA[t]); // childA (smaller min leaf) is visited first
  }
  return { merges, order };
}

/** Convenience: the dendrogram leaf order only. */
export function clusterOrder(matrix: ArrayLike<number>, n: number, options: ClusterOptions = {}): Int32Array {
  return averageLinkage(matrix, n, options).order;
}
