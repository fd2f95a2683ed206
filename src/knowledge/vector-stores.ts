import { QuarryError } from '../core/index.js';
import type { KnowledgeBasesTable } from './tables.js';
import type { VectorStore, VectorStoreFactory } from './vector/vector-store.js';

/**
 * Opens each knowledge base's index once and keeps it open: the embedded store holds an ANN index in memory, which
 * is worth loading once rather than per query.
 */
export class VectorStores {
  private readonly open = new Map<string, Promise<VectorStore>>();

  constructor(private readonly factories: Record<string, VectorStoreFactory>) {}

  kinds(): string[] {
    return Object.keys(this.factories);
  }

  forKnowledgeBase(kb: Pick<KnowledgeBasesTable, 'id' | 'vector_store' | 'dimensions'>): Promise<VectorStore> {
    let p = this.open.get(kb.id);
    if (!p) {
      const factory = this.factories[kb.vector_store];
      if (!factory) {
        return Promise.reject(
          new QuarryError('ValidationException', `Vector store ${kb.vector_store} is not configured on this server (have: ${this.kinds().join(', ')}).`),
        );
      }
      p = factory.open({ indexId: kb.id.toLowerCase(), dimensions: kb.dimensions });
      p.catch(() => this.open.delete(kb.id));
      this.open.set(kb.id, p);
    }
    return p;
  }

  async drop(kb: Pick<KnowledgeBasesTable, 'id' | 'vector_store' | 'dimensions'>): Promise<void> {
    const store = await this.forKnowledgeBase(kb);
    this.open.delete(kb.id);
    await store.drop();
  }

  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(all.map(async (p) => (await p).close()));
    // A pgvector pool left open would keep its connections until the idle timeout, after the server has stopped.
    await Promise.allSettled(Object.values(this.factories).map((f) => f.close?.()));
  }
}
