import type { MetadataFilter } from '../metadata.js';
import { type Fusion, fuseHybrid, HYBRID_MIN_CANDIDATES, maximalMarginalRelevance } from '../retrieve/index.js';
import type { ScoredChunk, VectorStore } from '../vector/vector-store.js';

export type SearchType = 'HYBRID' | 'SEMANTIC' | 'KEYWORD';

export interface RetrieveQuery {
  text: string;
  numberOfResults: number;
  searchType: SearchType;
  filter?: MetadataFilter;
  /** How HYBRID fuses its two searches; DEFAULT_FUSION unless given (the wire API has no such option, as Bedrock's has none). */
  fusion?: Fusion;
  /** Diversify with maximal marginal relevance before cutting to numberOfResults (Quarry's reranker without a rerank model). */
  rerank?: { numberOfRerankedResults?: number; lambda?: number };
}

/**
 * One knowledge base's retrieval: semantic, keyword or both fused (keyword-leaning reciprocal rank by default), then
 * hierarchical parents in place of their children, then an optional MMR rerank. Candidates are over-fetched because
 * fusion and parent de-duplication both shrink the list; hybrid takes at least HYBRID_MIN_CANDIDATES from each search.
 */
export async function retrieveChunks(store: VectorStore, queryVector: Float32Array | undefined, q: RetrieveQuery): Promise<ScoredChunk[]> {
  const want = q.numberOfResults;
  const pool = Math.min(Math.max(want * 4, q.searchType === 'HYBRID' ? HYBRID_MIN_CANDIDATES : 20), 400);
  const semantic = q.searchType !== 'KEYWORD' && queryVector ? await store.searchVector(queryVector, pool, q.filter) : [];
  const keyword = q.searchType !== 'SEMANTIC' ? await store.searchKeyword(q.text, pool, q.filter) : [];
  let ranked: ScoredChunk[];
  if (q.searchType === 'HYBRID' && semantic.length && keyword.length) {
    ranked = fuseHybrid(semantic, keyword, q.fusion);
  } else {
    ranked = semantic.length ? semantic : keyword;
  }
  ranked = parentsInPlaceOfChildren(ranked);
  if (q.rerank && queryVector) {
    const withVectors = ranked.filter((c) => c.vector);
    if (withVectors.length) ranked = maximalMarginalRelevance(queryVector, withVectors, { k: q.rerank.numberOfRerankedResults ?? want, lambda: q.rerank.lambda ?? 0.7 });
  }
  return ranked.slice(0, want);
}

/** Hierarchical chunking matches small children and returns their parent; two children of one parent give it once. */
function parentsInPlaceOfChildren(chunks: ScoredChunk[]): ScoredChunk[] {
  const seen = new Set<string>();
  const out: ScoredChunk[] = [];
  for (const c of chunks) {
    if (!c.parentText) {
      out.push(c);
      continue;
    }
    const key = `${c.documentId}\0${c.parentText}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...c, text: c.parentText });
  }
  return out;
}
