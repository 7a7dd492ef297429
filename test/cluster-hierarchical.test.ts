import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { averageLinkage, clusterOrder } from '../src/core/cluster/hierarchical.js';
import { Rng } from '../src/core/random/rng.js';

/** Similarity matrix of `blocks` groups whose members were shuffled: high within, low between. */
function blockSimilarity(n: number, blocks: number, seed: number): { s: Float64Array; group: Int32Array } {
  const r = new Rng(seed);
  const perm = r.permutation(n);
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) group[perm[i]] = i % blocks;
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const v = (group[i] === group[j] ? 1 : 0.1) + 0.05 * r.float();
      s[i * n + j] = v;
      s[j * n + i] = v;
    }
  return { s, group };
}

function isPermutation(order: Int32Array, n: number): boolean {
  const seen = new Uint8Array(n);
  for (const v of order) {
    if (v < 0 || v >= n || seen[v]) return false;
    seen[v] = 1;
  }
  return order.length === n;
}

describe('average-linkage clustering', () => {
  it('recovers block structure: each block contiguous in the leaf order', () => {
    const n = 60;
    const { s, group } = blockSimilarity(n, 4, 1);
    const order = clusterOrder(s, n, { kind: 'similarity' });
    assert.ok(isPermutation(order, n));
    let changes = 0;
    for (let k = 1; k < n; k++) if (group[order[k]] !== group[order[k - 1]]) changes++;
    assert.equal(changes, 3);
  });
  it('matches a brute-force UPGMA on small inputs (merge heights)', () => {
    const n = 12;
    const r = new Rng(5);
    const pts = Array.from({ length: n }, () => [r.normal(), r.normal()]);
    const d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]);
    const heights = averageLinkage(d, n).merges.map((m) => m.height).sort((a, b) => a - b);
    // brute force: repeatedly merge the closest pair of clusters by mean pairwise distance
    let clusters = Array.from({ length: n }, (_, i) => [i]);
    const brute: number[] = [];
    while (clusters.length > 1) {
      let best = [0, 1];
      let bestD = Infinity;
      for (let a = 0; a < clusters.length; a++)
        for (let b = a + 1; b < clusters.length; b++) {
          let s = 0;
          for (const i of clusters[a]) for (const j of clusters[b]) s += d[i * n + j];
          const v = s / (clusters[a].length * clusters[b].length);
          if (v < bestD) [bestD, best] = [v, [a, b]];
        }
      brute.push(bestD);
      const merged = [...clusters[best[0]], ...clusters[best[1]]];
      clusters = clusters.filter((_, k) => k !== best[0] && k !== best[1]);
      clusters.push(merged);
    }
    brute.sort((a, b) => a - b);
    heights.forEach((h, k) => assert.ok(Math.abs(h - brute[k]) < 1e-12, `merge ${k}: ${h} vs ${brute[k]}`));
  });
  it('is deterministic, a permutation, and handles ties, n = 0 and 1', () => {
    const { s } = blockSimilarity(40, 3, 2);
    assert.deepEqual(clusterOrder(s, 40, { kind: 'similarity' }), clusterOrder(s, 40, { kind: 'similarity' }));
    const flat = new Float64Array(25).fill(1);
    const o = clusterOrder(flat, 5);
    assert.ok(isPermutation(o, 5));
    assert.deepEqual(Array.from(o), Array.from(clusterOrder(flat, 5)));
    assert.equal(clusterOrder(new Float64Array(0), 0).length, 0);
    assert.deepEqual(Array.from(clusterOrder([0], 1)), [0]);
    assert.throws(() => clusterOrder([1, 2, 3], 2), RangeError);
  });
  it('N = 768 takes well under a second, N = 3072 a few seconds', () => {
    for (const [n, limit] of [
      [768, 1000],
      [3072, 8000],
    ] as const) {
      const { s } = blockSimilarity(n, 8, 3);
      const t = performance.now();
      const o = clusterOrder(s, n, { kind: 'similarity' });
      const ms = performance.now() - t;
      assert.ok(isPermutation(o, n));
      assert.ok(ms < limit, `N = ${n}: ${ms.toFixed(0)} ms`);
    }
  });
});
