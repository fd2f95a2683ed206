/** What fusion and MMR need of a search result (ScoredChunk has it): an identity, a score, and for MMR a vector. */
export interface RankedItem {
  id: string;
  score: number;
  vector?: Float32Array;
}

/** One result list per search, best first. An item found by several searches keeps the copy that carries a vector. */
export function mergeById<T extends RankedItem>(lists: T[][]): Map<string, T> {
  const byId = new Map<string, T>();
  for (const list of lists) {
    for (const item of list) {
      const seen = byId.get(item.id);
      if (!seen || (!seen.vector && item.vector)) byId.set(item.id, item);
    }
  }
  return byId;
}
