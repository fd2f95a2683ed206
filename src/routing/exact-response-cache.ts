import type { ConverseRequest, StopReason } from '../core/index.js';
import type { CacheDirective } from './cache-directive.js';
import { cacheKey } from './cache-key.js';
import type { CachedAnswer, ResponseCacheStore } from './response-cache-store.js';
import type { ResponseCacheConfig } from './routing-config.js';
import type { SemanticResponseCache } from './semantic-response-cache.js';

/** Who is asking, for the cache's sharing scope. */
export interface CacheScope {
  principalId: string;
  accountId?: string;
}

export interface ResponseCacheStats {
  hits: number;
  misses: number;
  stores: number;
  /** What the hits would have cost at list price, USD. */
  savedUsd: number;
}

// Answers cut short by a guardrail, a content filter or the context window say more about that moment's policy than
// about the request; they are not replayed.
const CACHEABLE: ReadonlySet<StopReason> = new Set(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence']);

/**
 * The exact response cache step: which requests may use it, under which key, and its counters. A request is
 * cacheable at temperature 0 (the only setting where a replay is the answer the model would give again), or when it
 * opts in (`x-quarry-cache: on`); `off` and `bypass` opt out (see `CacheDirective`).
 */
export class ExactResponseCache {
  private readonly counters: ResponseCacheStats = { hits: 0, misses: 0, stores: 0, savedUsd: 0 };

  constructor(
    readonly store: ResponseCacheStore,
    private readonly config: ResponseCacheConfig,
    /** Consulted on an exact miss, when configured (routing/semantic-response-cache.ts). */
    readonly semantic?: SemanticResponseCache,
  ) {}

  /** The sharing scope's part of a key, for the semantic cache's partitions. */
  scopeKey(who: CacheScope): string {
    return this.scopeOf(who);
  }

  /** The key when this request may be cached or served from the cache, else undefined (the usual case: no work). */
  keyFor(req: ConverseRequest, directive: CacheDirective, who: CacheScope): string | undefined {
    if (directive === 'off') return undefined;
    if (directive === 'default' && req.inferenceConfig?.temperature !== 0) return undefined;
    return cacheKey(req, this.scopeOf(who));
  }

  async lookup(key: string, directive: CacheDirective): Promise<CachedAnswer | undefined> {
    if (directive === 'bypass') return undefined;
    let hit: CachedAnswer | undefined;
    try {
      hit = await this.store.get(key);
    } catch {
      // As for saving: a store that is down means a miss.
    }
    if (hit) this.counters.hits++;
    else this.counters.misses++;
    return hit;
  }

  /** Keeps an answer, when its stop reason says it is whole. Never throws: a cache failure must not fail the call. */
  async save(key: string, answer: CachedAnswer, stopReason: StopReason): Promise<void> {
    if (!CACHEABLE.has(stopReason)) return;
    try {
      await this.store.set(key, answer, this.config.ttlMs);
      this.counters.stores++;
    } catch {
      // A shared store being down costs hits, not answers.
    }
  }

  recordSaving(usd: number): void {
    this.counters.savedUsd += usd;
  }

  stats(): ResponseCacheStats {
    return { ...this.counters };
  }

  private scopeOf(who: CacheScope): string {
    switch (this.config.scope) {
      case 'global':
        return '*';
      case 'account':
        return `a:${who.accountId ?? ''}`;
      case 'principal':
        return `p:${who.principalId}`;
      default:
        return this.config.scope satisfies never;
    }
  }
}
