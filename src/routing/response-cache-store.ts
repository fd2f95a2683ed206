import type { ConverseResult, ModelInfo, StreamPart, Usage } from '../core/index.js';

/** One cached answer: a whole result, or the parts of a streamed one in the order they came (metadata left out). */
export interface CachedAnswer {
  /** The model that produced it (a fallback's, if one answered). */
  model: ModelInfo;
  usage: Usage;
  result?: ConverseResult;
  parts?: StreamPart[];
  /** Approximate bytes held, for the store's size bound. */
  size: number;
}

/**
 * Where cached answers live. Asynchronous so that a shared store (Redis, for several replicas) fits the same
 * interface as the in-process LRU; values are plain data, ready to serialise.
 */
export interface ResponseCacheStore {
  get(key: string): Promise<CachedAnswer | undefined>;
  set(key: string, value: CachedAnswer, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  close?(): Promise<void>;
}
