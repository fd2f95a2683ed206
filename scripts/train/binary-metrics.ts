/** Small, exact metrics over score lists, shared by the training script and the benchmark. A score ≥ t is flagged. */

/** Share of `scores` at or above `threshold`; NaN for an empty list. */
export function rateAtOrAbove(scores: ArrayLike<number>, threshold: number): number {
  if (scores.length === 0) return Number.NaN;
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= threshold) n++;
  return n / scores.length;
}

/**
 * The lowest threshold at which at most `fpr` of `negatives` are flagged. Ties are kept together, so the rate it gives
 * may be below `fpr` but never above it. +Infinity when `negatives` is empty would flag nothing; -Infinity is
 * returned instead, since no negative can be wrongly flagged.
 */
export function thresholdForFpr(negatives: ArrayLike<number>, fpr: number): number {
  if (negatives.length === 0) return Number.NEGATIVE_INFINITY;
  const sorted = Float64Array.from(negatives).sort().reverse();
  const allowed = Math.floor(fpr * sorted.length + 1e-9);
  if (allowed >= sorted.length) return Number.NEGATIVE_INFINITY;
  return nextUp(sorted[allowed]!);
}

/** Area under the ROC curve (ties count half): the chance a random positive outscores a random negative. */
export function rocAuc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  const all = [
    ...Array.from(positives, (s) => ({ s, p: 1 })),
    ...Array.from(negatives, (s) => ({ s, p: 0 })),
  ].sort((a, b) => a.s - b.s);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k]!.p === 1) rankSum += rank;
    i = j;
  }
  const np = positives.length;
  return (rankSum - (np * (np + 1)) / 2) / (np * negatives.length);
}

export interface PrecisionRecall {
  precision: number;
  recall: number;
  f1: number;
}

export function precisionRecall(positives: ArrayLike<number>, negatives: ArrayLike<number>, threshold: number): PrecisionRecall {
  const tp = rateAtOrAbove(positives, threshold) * positives.length;
  const fp = rateAtOrAbove(negatives, threshold) * negatives.length;
  const fn = positives.length - tp;
  const precision = tp + fp === 0 ? Number.NaN : tp / (tp + fp);
  const recall = positives.length === 0 ? Number.NaN : tp / positives.length;
  const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  return { precision, recall, f1 };
}

/** The threshold with the best F1 (an oracle figure when computed on the data it is reported on). */
export function bestF1(positives: ArrayLike<number>, negatives: ArrayLike<number>): PrecisionRecall & { threshold: number } {
  const all = [
    ...Array.from(positives, (s) => ({ s, p: 1 })),
    ...Array.from(negatives, (s) => ({ s, p: 0 })),
  ].sort((a, b) => b.s - a.s);
  let best = { precision: Number.NaN, recall: 0, f1: 0, threshold: Number.POSITIVE_INFINITY };
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < all.length; ) {
    const s = all[i]!.s;
    for (; i < all.length && all[i]!.s === s; i++) all[i]!.p === 1 ? tp++ : fp++;
    const f1 = (2 * tp) / (2 * tp + fp + (positives.length - tp));
    if (f1 > best.f1) best = { precision: tp / (tp + fp), recall: tp / positives.length, f1, threshold: s };
  }
  return best;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function nextUp(x: number): number {
  if (!Number.isFinite(x)) return x;
  return x + Math.max(Math.abs(x) * 1e-12, 1e-12);
}
