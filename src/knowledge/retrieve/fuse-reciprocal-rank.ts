import { validation } from '../../core/errors.js';
import { mergeById, type RankedItem } from './ranked-item.js';

export interface ReciprocalRankOptions {
  /** The rank constant: 60 in Cormack et al.'s paper and in most engines; larger flattens the head of each list. */
  k?: number;
  /** One weight per list (default 1 each). */
  weights?: number[];
}

/**
 * Reciprocal rank fusion: score(d) = Σ weight_i / (k + rank_i(d)), rank 1-based, over the lists that contain d. It uses
 * ranks only, so lists whose scores live on different scales (cosine, BM25) combine without calibration. Returns each
 * distinct item once, best first, with the fused score in place of its own; ties keep first-seen order.
 */
export function fuseReciprocalRank<T extends RankedItem>(lists: T[][], options: ReciprocalRankOptions = {}): T[] {
  const k = options.k ?? 60;
  if (!Number.isFinite(k) || k < 0) throw validation(`RRF k must be a finite number >= 0 (got ${k}).`);
  const weights = checkWeights(options.weights, lists.length);
  const fused = new Map<string, number>();
  lists.forEach((list, i) => {
    const seen = new Set<string>();
    let rank = 0;
    for (const item of list) {
      // A list that repeats an item counts its best rank only.
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      rank++;
      fused.set(item.id, (fused.get(item.id) ?? 0) + weights[i] / (k + rank));
    }
  });
  return withScores(mergeById(lists), fused);
}

export function checkWeights(weights: number[] | undefined, lists: number): number[] {
  if (weights === undefined) return Array(lists).fill(1);
  if (weights.length !== lists) throw validation(`Fusion needs one weight per result list (${lists} lists, ${weights.length} weights).`);
  for (const w of weights) if (!Number.isFinite(w) || w < 0) throw validation(`Fusion weights must be finite numbers >= 0 (got ${w}).`);
  return weights;
}

export function withScores<T extends RankedItem>(items: Map<string, T>, scores: Map<string, number>): T[] {
  return [...items.values()].map((item) => ({ ...item, score: scores.get(item.id) ?? 0 })).sort((a, b) => b.score - a.score);
}
