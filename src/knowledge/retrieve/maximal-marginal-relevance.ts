import { validation } from '../../core/errors.js';
import { cosineSimilarity } from '../vector/cosine-similarity.js';
import type { RankedItem } from './ranked-item.js';

export interface MmrOptions {
  /** How many to select. */
  k: number;
  /** 1 = relevance only, 0 = diversity only; 0.5 by default. */
  lambda?: number;
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein): picks, one at a time, the candidate maximising
 * λ·cos(query, c) − (1−λ)·max cos(c, already picked), so near-duplicate chunks do not fill the context. Every candidate
 * needs its vector (stores return them). The result is in selection order; each item keeps its own score.
 */
export function maximalMarginalRelevance<T extends RankedItem>(queryVector: Float32Array, candidates: T[], options: MmrOptions): T[] {
  const { k } = options;
  const lambda = options.lambda ?? 0.5;
  if (!Number.isInteger(k) || k < 0) throw validation(`MMR k must be an integer >= 0 (got ${k}).`);
  if (!Number.isFinite(lambda) || lambda < 0 || lambda > 1) throw validation(`MMR lambda must be between 0 and 1 (got ${lambda}).`);
  const vectors = candidates.map((c, i) => {
    if (!c.vector) throw validation(`MMR needs every candidate's vector; candidate ${i} (${c.id}) has none.`);
    if (c.vector.length !== queryVector.length) throw validation(`MMR: candidate ${c.id} has ${c.vector.length} dimensions, the query ${queryVector.length}.`);
    return c.vector;
  });
  const relevance = vectors.map((v) => cosineSimilarity(queryVector, v));
  // The highest similarity of each remaining candidate to anything picked so far, updated once per pick.
  const redundancy = new Float64Array(candidates.length).fill(Number.NEGATIVE_INFINITY);
  const remaining = new Set(candidates.keys());
  const picked: T[] = [];
  while (picked.length < k && remaining.size) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (const i of remaining) {
      const value = picked.length ? lambda * relevance[i] - (1 - lambda) * redundancy[i] : relevance[i];
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    remaining.delete(best);
    picked.push(candidates[best]);
    for (const i of remaining) redundancy[i] = Math.max(redundancy[i], cosineSimilarity(vectors[i], vectors[best]));
  }
  return picked;
}
