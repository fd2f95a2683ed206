import { checkWeights, withScores } from './fuse-reciprocal-rank.js';
import { mergeById, type RankedItem } from './ranked-item.js';

/**
 * Weighted score fusion: each list's scores are min-max normalised to [0, 1] (cosine and BM25 have unrelated scales),
 * then score(d) = Σ weight_i · norm_i(d), an item missing from a list adding 0 for it. A list whose scores are all equal
 * normalises to 1 for each of its items. Returns each distinct item once, best first, with the fused score.
 */
export function fuseWeighted<T extends RankedItem>(lists: T[][], weights: number[]): T[] {
  const w = checkWeights(weights, lists.length);
  const fused = new Map<string, number>();
  lists.forEach((list, i) => {
    if (!list.length) return;
    const scores = list.map((item) => item.score);
    const min = Math.min(...scores);
    const span = Math.max(...scores) - min;
    const seen = new Set<string>();
    for (const item of list) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      const norm = span > 0 ? (item.score - min) / span : 1;
      fused.set(item.id, (fused.get(item.id) ?? 0) + w[i] * norm);
    }
  });
  return withScores(mergeById(lists), fused);
}
