import type { MetadataFilter } from '../metadata.js';
import type { ScoredChunk, VectorStore } from '../vector/vector-store.js';
import { checkK, MAX_K } from '../vector/vector-store-checks.js';
import { fuseReciprocalRank } from './fuse-reciprocal-rank.js';
import { fuseWeighted } from './fuse-weighted.js';

/** Weights are [semantic, keyword]. */
export type Fusion = { type: 'rrf'; k?: number; weights?: [number, number] } | { type: 'weighted'; weights: [number, number] };

/**
 * Hybrid retrieval's default: reciprocal rank fusion with k = 30 and the keyword list weighted 2.5 times the semantic
 * one. Equal weights let the bundled sentence encoder (USE, general-purpose and small) pull BM25's good hits down
 * wherever its own ranking is much weaker (Cranfield's aerodynamics abstracts: nDCG@10 0.163 against BM25's 0.323), and
 * BM25 is the stronger single mode on most out-of-domain collections; leaning on keyword keeps semantic as the second
 * opinion that promotes what both agree on and fills in what BM25 misses. One default for every knowledge base, chosen
 * on bench/retrieval-quality.ts's four collections (bench/RESULTS.md): it was the setting whose lead over both single
 * modes held on all four at every candidate depth from 40 to 400, and its neighbours (k 20-30, weight 2-3) do nearly
 * as well. Ranks, not scores, so BM25's unbounded scale needs no calibration.
 */
export const DEFAULT_FUSION: Fusion = { type: 'rrf', k: 30, weights: [1, 2.5] };

/**
 * The fewest candidates fusion takes from each search. Fusion reorders the heads, so a chunk that one search ranks
 * 30th and the other 3rd must be in both lists to be scored fairly; measured, fusing 20 from each lost up to 0.02
 * nDCG@10 against 40 or more, and 100 costs one cheap index probe per search.
 */
export const HYBRID_MIN_CANDIDATES = 100;

/** Fuses one semantic and one keyword result list (each best first) by `fusion`; best first, each chunk once. */
export function fuseHybrid(semantic: ScoredChunk[], keyword: ScoredChunk[], fusion: Fusion = DEFAULT_FUSION): ScoredChunk[] {
  switch (fusion.type) {
    case 'rrf':
      return fuseReciprocalRank([semantic, keyword], { k: fusion.k, weights: fusion.weights });
    case 'weighted':
      return fuseWeighted([semantic, keyword], fusion.weights);
    default: {
      const unknown: never = fusion;
      throw new Error(`unknown fusion ${JSON.stringify(unknown)}`);
    }
  }
}

export interface HybridSearchRequest {
  vector: Float32Array;
  text: string;
  k: number;
  filter?: MetadataFilter;
  /** DEFAULT_FUSION unless given. */
  fusion?: Fusion;
  /** Results fetched from each search before fusion; default 4k, at least HYBRID_MIN_CANDIDATES. */
  candidates?: number;
}

/** Semantic and keyword search over one store, fused. Scores in the result are the fusion's, best first. */
export async function hybridSearch(store: VectorStore, request: HybridSearchRequest): Promise<ScoredChunk[]> {
  const { vector, text, k, filter } = request;
  checkK(k);
  const candidates = Math.min(MAX_K, Math.max(request.candidates ?? Math.max(4 * k, HYBRID_MIN_CANDIDATES), k));
  const [semantic, keyword] = await Promise.all([store.searchVector(vector, candidates, filter), store.searchKeyword(text, candidates, filter)]);
  return fuseHybrid(semantic, keyword, request.fusion).slice(0, k);
}
