import type { ConverseRequest } from '../core/index.js';
import type { CacheDirective } from './cache-directive.js';
import { cacheKey } from './cache-key.js';
import type { SemanticIndexFeed } from './redis-semantic-index-feed.js';
import type { CachedAnswer, ResponseCacheStore } from './response-cache-store.js';
import type { SemanticCacheConfig } from './routing-config.js';
import { SemanticCacheIndex } from './semantic-cache-index.js';

/** Embeds one prompt for the cache (the operator's call: not admitted or billed to the caller). */
export type PromptEmbedder = (text: string, signal: AbortSignal) => Promise<Float32Array>;

export interface SemanticProbe {
  /** A cached answer to a prompt close enough to this one. */
  hit?: CachedAnswer;
  similarity?: number;
  /** Indexes this prompt under `key` once its answer is in the exact cache. */
  remember(key: string): void;
}

export interface SemanticCacheStats {
  hits: number;
  misses: number;
  /** Prompts that could not be embedded (the embedding model failing); each was a miss, never an error. */
  embedFailures: number;
  /** Failed reads or writes of the replicas' shared feed; each probe went on with what this process had indexed. */
  feedFailures: number;
  entries: number;
}

/**
 * The semantic cache, consulted after an exact-cache miss: a new prompt whose embedding is within `threshold` (cosine)
 * of a cached one's, everything else about the request being identical, gets that prompt's answer. It adds an index
 * to the exact cache rather than a store of its own: answers stay in the exact cache's store (in Redis when shared),
 * and an index entry whose answer has expired there is dropped on the next lookup. With a `feed` (Redis, when replicas
 * share the store), each replica also indexes what the others did: it publishes what it indexes, and reads what was
 * published before each probe.
 */
export class SemanticResponseCache {
  readonly #index: SemanticCacheIndex;
  readonly #counters = { hits: 0, misses: 0, embedFailures: 0, feedFailures: 0 };

  constructor(
    private readonly store: ResponseCacheStore,
    private readonly config: SemanticCacheConfig,
    private readonly embed: PromptEmbedder,
    private readonly feed?: SemanticIndexFeed,
  ) {
    this.#index = new SemanticCacheIndex(config.maxEntries);
  }

  /** Undefined when the request has no plain-text last user message to compare (images, documents, tool results). */
  async probe(req: ConverseRequest, scope: string, directive: CacheDirective, signal: AbortSignal): Promise<SemanticProbe | undefined> {
    const text = lastUserText(req);
    if (text === undefined) return undefined;
    const partition = cacheKey({ ...req, messages: req.messages.slice(0, -1) }, `semantic|${scope}`);
    if (partition === undefined) return undefined;
    let vector: Float32Array;
    try {
      vector = await this.embed(text, signal);
    } catch {
      this.#counters.embedFailures++;
      return undefined;
    }
    const remember = (key: string) => {
      this.#index.add(partition, key, vector);
      this.feed?.publish({ partition, key, vector }).catch(() => this.#counters.feedFailures++);
    };
    if (directive === 'bypass') return { remember };
    await this.#catchUp();
    const near = this.#index.nearest(partition, vector, this.config.threshold);
    if (near) {
      const hit = await this.store.get(near.key).catch(() => undefined);
      if (hit) {
        this.#counters.hits++;
        return { hit, similarity: near.similarity, remember };
      }
      this.#index.remove(partition, near.key);
    }
    this.#counters.misses++;
    return { remember };
  }

  /** Indexes what other replicas published; a feed that fails costs this probe nothing but their entries. */
  async #catchUp(): Promise<void> {
    if (!this.feed) return;
    try {
      for (const e of await this.feed.catchUp()) this.#index.add(e.partition, e.key, e.vector);
    } catch {
      this.#counters.feedFailures++;
    }
  }

  stats(): SemanticCacheStats {
    return { ...this.#counters, entries: this.#index.size };
  }
}

/** The last message's text when it is the user's and holds text only; what the semantic cache compares. */
function lastUserText(req: ConverseRequest): string | undefined {
  const last = req.messages.at(-1);
  if (!last || last.role !== 'user' || !last.content.length) return undefined;
  let text = '';
  for (const block of last.content) {
    if (!('text' in block) || typeof block.text !== 'string') return undefined;
    text += (text ? '\n' : '') + block.text;
  }
  return text.trim() ? text : undefined;
}
