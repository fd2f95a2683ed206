import type { MetadataFilter } from '../metadata.js';
import type { ScoredChunk, VectorStore } from '../vector/vector-store.js';
import { checkK, MAX_K } from '../vector/vector-store-checks.js';
import { fuseReciprocalRank } from './fuse-reciprocal-rank.js';
import { fuseWeighted } from './fuse-weighted.js';

/** Weights are [semantic, keyword]. */
export type Fusion = { type: 'rrf'; k?: number; weights?: [number, number] } | { type: 'weighted'; weights: [number, number] };

export interface HybridSearchRequest {
  vector: Float32Array;
  text: string;
  k: number;
  filter?: MetadataFilter;
  /** Reciprocal rank fusion by default. */
  fusion?: Fusion;
  /** Results fetched from each search before fusion; default 4k (at least 20), since fusion reorders the heads. */
  candidates?: number;
}

/** Semantic and keyword search over one store, fused. Scores in the result are the fusion's, best first. */
export async function hybridSearch(store: VectorStore, request: HybridSearchRequest): Promise<ScoredChunk[]> {
  const { vector, text, k, filter } = request;
  checkK(k);
  const candidates = Math.min(MAX_K, Math.max(request.candidates ?? Math.max(4 * k, 20), k));
  const [semantic, keyword] = await Promise.all([store.searchVector(vector, candidates, filter), store.searchKeyword(text, candidates, filter)]);
  const fusion = request.fusion ?? { type: 'rrf' };
  let fused: ScoredChunk[];
  switch (fusion.type) {
    case 'rrf':
      fused = fuseReciprocalRank([semantic, keyword], { k: fusion.k, weights: fusion.weights });
      break;
    case 'weighted':
      fused = fuseWeighted([semantic, keyword], fusion.weights);
      break;
    default: {
      const unknown: never = fusion;
      throw new Error(`unknown fusion ${JSON.stringify(unknown)}`);
    }
  }
  return fused.slice(0, k);
}
