export { fuseReciprocalRank, type ReciprocalRankOptions } from './fuse-reciprocal-rank.js';
export { fuseWeighted } from './fuse-weighted.js';
export { DEFAULT_FUSION, type Fusion, fuseHybrid, HYBRID_MIN_CANDIDATES, type HybridSearchRequest, hybridSearch } from './hybrid-search.js';
export { maximalMarginalRelevance, type MmrOptions } from './maximal-marginal-relevance.js';
export type { RankedItem } from './ranked-item.js';
