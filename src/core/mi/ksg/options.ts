/**
 * Options shared by every KSG entry point, and their validation.
 *
 * The one semantic choice is how the marginal counts treat a zero k-th-neighbour distance.
 * The reference (PAPER.md section 2, `shared/reference/ksg.json`) counts
 *   n_x(s) = #{t != s : |x_t - x_s| <= nextafter(eps_s, 0)}.
 * For eps_s > 0 that is exactly `|x_t - x_s| < eps_s` (no double lies strictly between
 * nextafter(eps, 0) and eps). For eps_s = 0 (at least k exact duplicates of the point (x_s, y_s)),
 * nextafter(0, 0) = 0 and the reference counts the points with x_t == x_s exactly.
 *
 * - `'reference'` (default): the rule above, bit-for-bit what the reference computes. With
 *   post-ReLU data (many exact (0, 0) points) it drives MI of independent neurons strongly
 *   negative (about -1.2 nats at S = 2000, k = 3), which is the weakness PAPER.md describes.
 * - `'strict'`: n_x(s) = #{t != s : |x_t - x_s| < eps_s}; identical when eps_s > 0, and 0 when
 *   eps_s = 0.
 */
export type KsgCountRule = 'reference' | 'strict';

/**
 * Which engine runs KsgPairKernel (and ksgMI): `'wasm'` (WebAssembly, compiled from
 * asm/ksg.ts, 2-2.5x faster at k = 3, ~1.4x otherwise), `'js'`, or `'auto'` (default: wasm where WebAssembly is available,
 * else js). Both give bit-for-bit the same results; ksgBrute ignores it.
 */
export type KsgEngine = 'auto' | 'wasm' | 'js';

/**
 * How the WebAssembly engine finds k-th neighbour distances (speed only; the results are
 * bit-for-bit the same): `'auto'` (default: the certified window search of asm/ksg.ts mi3 for
 * k = 3, the grid search otherwise) or `'grid'` (always the grid search; for A/B benchmarks and
 * tests). The JS engine always uses the grid search.
 */
export type KsgSearch = 'auto' | 'grid';

export interface KsgOptions {
  /** See {@link KsgSearch}; default `'auto'`. */
  search?: KsgSearch;
  /** See {@link KsgCountRule}; default `'reference'`. */
  countRule?: KsgCountRule;
  /** See {@link KsgEngine}; default `'auto'`. `'wasm'` throws where WebAssembly is unavailable. */
  engine?: KsgEngine;
}

/** Throws RangeError unless k is an integer >= 1 and samples >= k + 1. */
export function checkSizes(samples: number, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`KSG: k must be an integer >= 1, got ${k}`);
  if (!Number.isInteger(samples) || samples < k + 1) {
    throw new RangeError(`KSG: need samples >= k + 1 (k = ${k}), got ${samples}`);
  }
  if (samples > 0x3fffffff) throw new RangeError(`KSG: too many samples (${samples})`);
}

/** 1 for 'strict', 0 for 'reference' (the default); throws on anything else. */
export function strictFlag(options?: KsgOptions): 0 | 1 {
  const rule = options?.countRule ?? 'reference';
  if (rule === 'reference') return 0;
  if (rule === 'strict') return 1;
  throw new RangeError(`KSG: unknown countRule ${String(rule)}`);
}

/** The engine option, validated; default 'auto'. */
export function engineOption(options?: KsgOptions): KsgEngine {
  const e = options?.engine ?? 'auto';
  if (e === 'auto' || e === 'wasm' || e === 'js') return e;
  throw new RangeError(`KSG: unknown engine ${String(e)}`);
}

/** The search option, validated; default 'auto'. */
export function searchOption(options?: KsgOptions): KsgSearch {
  const e = options?.search ?? 'auto';
  if (e === 'auto' || e === 'grid') return e;
  throw new RangeError(`KSG: unknown search ${String(e)}`);
}
