import type { Logger } from '../core/index.js';
import type { Principal } from '../iam/index.js';
import type { Database, JobQueue } from '../store/index.js';
import { EmbeddingCache } from './embedding-cache.js';
import { DirectIngestion } from './ingestion/direct-ingestion.js';
import { documentIdFor } from './ingestion/document-indexer.js';
import { DocumentRows } from './ingestion/document-rows.js';
import type { SourceReaderFactory } from './ingestion/index-settings.js';
import { IngestionRunner } from './ingestion/ingestion-runner.js';
import { KnowledgeBaseRepository } from './knowledge-base-repository.js';
import { KnowledgeService } from './knowledge-service.js';
import type { CallContext, ModelPort } from './model-port.js';
import { RagSessions } from './rag/rag-sessions.js';
import { RetrieveAndGenerate } from './rag/retrieve-and-generate.js';
import type { KnowledgeTables } from './tables.js';
import type { VectorStoreFactory } from './vector/vector-store.js';
import { VectorStores } from './vector-stores.js';

export interface KnowledgeModuleOptions {
  db: Database;
  queue: JobQueue;
  models: ModelPort;
  vectorStores: Record<string, VectorStoreFactory>;
  defaultVectorStore: string;
  readers: SourceReaderFactory;
  localRoots: string[];
  region: string;
  accountId: string;
  log: Logger;
  /** Run ingestion workers in this process (every replica does by default; the queue spreads the jobs). */
  workers?: number;
  /** How long an ingestion job whose worker died waits before another worker resumes it. */
  leaseMs?: number;
}

/** Who background ingestion is metered to: the work was asked for by whoever started the job, but runs later. */
const INGESTION_PRINCIPAL: Principal = { id: 'system:knowledge-ingestion', name: 'knowledge ingestion', keyId: '-', isAdmin: true, authMethod: 'bearer' };

/** Knowledge bases assembled: the service, ingestion (queued and direct), and RetrieveAndGenerate. */
export class KnowledgeModule {
  readonly service: KnowledgeService;
  readonly ingestion: IngestionRunner & { stopAllFor(scope: string, kbId: string): Promise<void> };
  readonly direct: DirectIngestion;
  readonly rag: RetrieveAndGenerate;
  private readonly stores: VectorStores;
  private readonly db;
  private readonly docs: DocumentRows;

  constructor(opts: KnowledgeModuleOptions) {
    this.db = opts.db.withTables<KnowledgeTables>();
    this.stores = new VectorStores(opts.vectorStores);
    const repo = new KnowledgeBaseRepository(opts.db, opts.region, opts.accountId);
    const cache = new EmbeddingCache(opts.db);
    this.docs = new DocumentRows(opts.db);
    this.service = new KnowledgeService({
      db: opts.db,
      repo,
      stores: this.stores,
      models: opts.models,
      cache,
      defaultVectorStore: opts.defaultVectorStore,
      localRoots: opts.localRoots,
    });
    const background = (): CallContext => ({ requestId: 'ingestion', principal: INGESTION_PRINCIPAL, api: 'knowledge.ingest', signal: new AbortController().signal, log: opts.log });
    const runner = new IngestionRunner({
      db: opts.db,
      repo,
      queue: opts.queue,
      stores: this.stores,
      cache,
      embedderFor: (kb) => this.service.embedderFor(kb, background),
      readers: opts.readers,
      log: opts.log,
    });
    this.ingestion = Object.assign(runner, { stopAllFor: (scope: string, kbId: string) => this.stopAllFor(scope, kbId) });
    this.direct = new DirectIngestion(opts.db, repo, this.stores, cache);
    this.rag = new RetrieveAndGenerate(this.service, opts.models, new RagSessions(opts.db));
    if ((opts.workers ?? 1) > 0) this.ingestion.startWorker(opts.workers ?? 1, opts.leaseMs);
  }

  /** Stops the data source's jobs; with the DELETE policy its vectors go too, with RETAIN they stay searchable. */
  async deleteDataSource(scope: string, kbId: string, dsId: string): Promise<void> {
    const kb = await this.service.repo.knowledgeBase(scope, kbId);
    const ds = await this.service.repo.dataSource(scope, kbId, dsId);
    await this.stopJobs(scope, kbId, [dsId]);
    if (ds.data_deletion_policy === 'DELETE') {
      const store = await this.stores.forKnowledgeBase(kb);
      for (const uri of (await this.docs.known(dsId)).keys()) await store.deleteDocument(documentIdFor(dsId, uri));
    }
    await this.service.repo.deleteDataSource(scope, kbId, dsId);
  }

  private async stopAllFor(scope: string, kbId: string): Promise<void> {
    const sources = await this.db.selectFrom('data_sources').select('id').where('scope', '=', scope).where('knowledge_base_id', '=', kbId).execute();
    await this.stopJobs(
      scope,
      kbId,
      sources.map((s) => s.id),
    );
  }

  private async stopJobs(scope: string, kbId: string, dsIds: string[]): Promise<void> {
    if (!dsIds.length) return;
    const active = await this.db
      .selectFrom('ingestion_jobs')
      .select(['id', 'data_source_id'])
      .where('scope', '=', scope)
      .where('data_source_id', 'in', dsIds)
      .where('status', 'in', ['STARTING', 'IN_PROGRESS'])
      .execute();
    for (const j of active) await this.ingestion.stop(scope, kbId, j.data_source_id, j.id).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.ingestion.stopWorker();
    await this.stores.close();
  }
}
