/**
 * Detection metrics of a score against binary labels (1 = positive, e.g. out of distribution;
 * a higher score = more positive), as scikit-learn computes them:
 * - `auroc`: the area under the ROC curve (`roc_auc_score`) = P(score of a random positive >
 *   score of a random negative) + 1/2 P(equal), from average ranks (ties count one half);
 * - `averagePrecision` (`average_precision_score`): sum over the distinct thresholds, highest
 *   first, of (R_n - R_{n-1}) P_n (recall and precision at each threshold; no interpolation);
 * - `fprAtTpr`: the false-positive rate at the first threshold (highest first, as `roc_curve`
 *   with `drop_intermediate=False`; its default drops thresholds and can overstate it) where
 *   the true-positive rate reaches `tpr` (FPR95 for tpr = 0.95).
 * NaN when one class is empty. Non-finite scores are an error.
 *
 * @example auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) // 0.75
 */

function check(scores: ArrayLike<number>, labels: ArrayLike<number>): { pos: number; neg: number } {
  if (scores.length !== labels.length) throw new RangeError(`roc: ${scores.length} scores, ${labels.length} labels`);
  let pos = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new RangeError(`roc: score ${i} is ${scores[i]}`);
    const l = labels[i];
    if (l !== 0 && l !== 1) throw new RangeError(`roc: label ${i} is ${l} (0 or 1)`);
    pos += l;
  }
  return { pos, neg: scores.length - pos };
}

/** Indices by score, descending (ties in index order). */
function descending(scores: ArrayLike<number>): Int32Array {
  const idx = Int32Array.from({ length: scores.length }, (_, i) => i);
  return idx.sort((a, b) => scores[b] - scores[a] || a - b);
}

/** Area under the ROC curve (Mann-Whitney U / (n_pos n_neg), ties halved). */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { pos, neg } = check(scores, labels);
  if (pos === 0 || neg === 0) return NaN;
  const order = descending(scores);
  const n = order.length;
  // sum of the positives' average ranks, ascending ranks 1..n
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && scores[order[j]] === scores[order[i]]) j++;
    // positions i..j-1 (descending) hold ranks n - j + 1 .. n - i (ascending): average
    const avg = (n - j + 1 + (n - i)) / 2;
    for (let t = i; t < j; t++) if (labels[order[t]] === 1) rankSum += avg;
    i = j;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** The ROC points at each distinct threshold, highest first: cumulative true and false positives. */
function rocSteps(scores: ArrayLike<number>, labels: ArrayLike<number>): { tp: number[]; fp: number[] } {
  const order = descending(scores);
  const tp: number[] = [];
  const fp: number[] = [];
  let t = 0;
  let f = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j]] === scores[order[i]]) {
      if (labels[order[j]] === 1) t++;
      else f++;
      j++;
    }
    tp.push(t);
    fp.push(f);
    i = j;
  }
  return { tp, fp };
}

/** Average precision: sum_n (R_n - R_{n-1}) P_n over the distinct thresholds. */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { pos, neg } = check(scores, labels);
  if (pos === 0 || neg === 0) return NaN;
  const { tp, fp } = rocSteps(scores, labels);
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < tp.length; i++) {
    const recall = tp[i] / pos;
    const precision = tp[i] / (tp[i] + fp[i]);
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
  }
  return ap;
}

/** The false-positive rate at the first threshold whose true-positive rate is >= `tpr`. */
export function fprAtTpr(scores: ArrayLike<number>, labels: ArrayLike<number>, tpr = 0.95): number {
  if (!(tpr > 0 && tpr <= 1)) throw new RangeError(`fprAtTpr: tpr ${tpr} not in (0, 1]`);
  const { pos, neg } = check(scores, labels);
  if (pos === 0 || neg === 0) return NaN;
  const { tp, fp } = rocSteps(scores, labels);
  for (let i = 0; i < tp.length; i++) if (tp[i] / pos >= tpr) return fp[i] / neg;
  return 1;
}
