/**
 * Competition ranks ("1224") of scores, higher score = better = rank 1; equal scores share the
 * smaller rank. Non-finite scores rank last.
 * @example competitionRanks([0.2, 0.9, 0.9, 0.1]) // [3, 1, 1, 4]
 */
export function competitionRanks(scores: readonly number[]): number[] {
  const key = (v: number): number => (Number.isFinite(v) ? v : -Infinity);
  return scores.map((s) => 1 + scores.filter((t) => key(t) > key(s)).length);
}
