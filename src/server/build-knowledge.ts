import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../core/index.js';
import { EmbeddedVectorStoreFactory, KnowledgeModule, PgvectorVectorStoreFactory, sourceReaders, type VectorStoreFactory } from '../knowledge/index.js';
import type { Runtime } from '../runtime/index.js';
import { type Store, StoreJobQueue } from '../store/index.js';
import type { QuarryConfig } from './config.js';

/**
 * Knowledge bases for this server: the durable queue in the store, the embedded vector store in the data directory,
 * pgvector where PostgreSQL is configured (the store itself, or knowledge.pgvectorUrl), and the folders LOCAL
 * sources may read.
 */
/** The store must already be migrated with knowledgeMigrations and jobMigrations. */
export async function buildKnowledge(opts: { config: QuarryConfig; store: Store; runtime: Runtime; dataDir: string; log: Logger }): Promise<KnowledgeModule> {
  const { config, store, dataDir, log } = opts;
  const vectorStores: Record<string, VectorStoreFactory> = { embedded: new EmbeddedVectorStoreFactory(join(dataDir, 'knowledge')) };
  const pgUrl = config.knowledge.pgvectorUrl ?? (store.dialect === 'postgres' ? config.store.url : undefined);
  if (pgUrl) vectorStores.pgvector = new PgvectorVectorStoreFactory(pgUrl);
  const localRoots = (config.knowledge.localRoots ?? [join(dataDir, 'documents')]).map((r) => resolve(r));
  mkdirSync(localRoots[0]!, { recursive: true });
  return new KnowledgeModule({
    db: store.db,
    queue: new StoreJobQueue(store, { logger: log }),
    models: opts.runtime,
    vectorStores,
    // Replicas share PostgreSQL but not a data directory, so a scaled-out server keeps vectors in pgvector.
    defaultVectorStore: store.dialect === 'postgres' ? 'pgvector' : 'embedded',
    readers: sourceReaders(),
    localRoots,
    region: config.region,
    accountId: config.accountId,
    log,
    workers: config.knowledge.workers,
    leaseMs: config.knowledge.leaseMs,
  });
}
