import type { Logger } from '../../core/index.js';
import { QuarryError } from '../../core/index.js';
import type { Database, Job, JobContext, JobQueue, JobWorker } from '../../store/index.js';
import type { EmbeddingCache } from '../embedding-cache.js';
import { newResourceId } from '../ids.js';
import type { KnowledgeBaseRepository } from '../knowledge-base-repository.js';
import type { SourceItem } from '../sources/source-item.js';
import type { DataSourcesTable, IngestionJobsTable, KnowledgeBasesTable, KnowledgeTables } from '../tables.js';
import type { VectorStores } from '../vector-stores.js';
import { contentHash, documentIdFor, type Embedder, embedPrepared, type PreparedDocument, prepareDocument } from './document-indexer.js';
import { DocumentRows } from './document-rows.js';
import { indexSettingsFor, type SourceReaderFactory } from './index-settings.js';
import { emptyStatistics, type IngestionStatistics, MAX_FAILURE_REASONS } from './ingestion-statistics.js';

export const INGEST_JOB_TYPE = 'knowledge.ingest';

export interface IngestionRunnerDeps {
  db: Database;
  repo: KnowledgeBaseRepository;
  queue: JobQueue;
  stores: VectorStores;
  cache: EmbeddingCache;
  /** Embeds with a knowledge base's model, metered to the knowledge base's owner. */
  embedderFor(kb: KnowledgeBasesTable): Embedder;
  readers: SourceReaderFactory;
  log: Logger;
  /** Documents prepared and embedded together (bigger batches feed the embedder better). */
  batchDocuments?: number;
}

export interface IngestionJobView {
  knowledgeBaseId: string;
  dataSourceId: string;
  ingestionJobId: string;
  description?: string;
  status: string;
  statistics: IngestionStatistics;
  failureReasons?: string[];
  startedAt: string;
  updatedAt: string;
}

interface Payload {
  ingestionJobId: string;
}

const ACTIVE = ['STARTING', 'IN_PROGRESS', 'STOPPING'];

/**
 * Ingestion jobs: Bedrock's StartIngestionJob run on the durable queue. A job lists the data source, indexes what is
 * new or changed (by content hash), deletes what disappeared, and counts as it goes. Each document is replaced in
 * the vector store atomically and its hash is written only after, so a job killed at any point resumes on another
 * worker by simply running again: finished documents are unchanged and skipped.
 */
export class IngestionRunner {
  private readonly db;
  private readonly docs;
  private worker: JobWorker | undefined;

  constructor(private readonly deps: IngestionRunnerDeps) {
    this.db = deps.db.withTables<KnowledgeTables>();
    this.docs = new DocumentRows(deps.db);
  }

  /** `leaseMs`: how long a job whose worker died waits before another worker resumes it. */
  startWorker(concurrency = 1, leaseMs = 30_000): void {
    this.worker ??= this.deps.queue.work<Payload>(INGEST_JOB_TYPE, (job, ctx) => this.run(job, ctx), { concurrency, leaseMs });
  }

  async stopWorker(): Promise<void> {
    await this.worker?.stop();
    this.worker = undefined;
  }

  async start(scope: string, kbId: string, dsId: string, description?: string): Promise<IngestionJobView> {
    const ds = await this.deps.repo.dataSource(scope, kbId, dsId);
    if (JSON.parse(ds.source_config).type === 'CUSTOM') {
      throw new QuarryError('ValidationException', 'A CUSTOM data source is filled with IngestKnowledgeBaseDocuments; it has nothing to sync.');
    }
    const active = await this.db
      .selectFrom('ingestion_jobs')
      .selectAll()
      .where('scope', '=', scope)
      .where('data_source_id', '=', dsId)
      .where('status', 'in', ACTIVE)
      .executeTakeFirst();
    const running = active && (await this.reconciled(active));
    if (running && ACTIVE.includes(running.status)) throw new QuarryError('ConflictException', `Ingestion job ${running.id} is already running for data source ${dsId}.`);
    const now = new Date().toISOString();
    const row: IngestionJobsTable = {
      id: newResourceId(),
      knowledge_base_id: kbId,
      data_source_id: dsId,
      scope,
      description: description ?? null,
      status: 'STARTING',
      statistics: JSON.stringify(emptyStatistics()),
      failure_reasons: '[]',
      queue_job_id: null,
      checkpoint: 0,
      started_at: now,
      updated_at: now,
    };
    await this.db.insertInto('ingestion_jobs').values(row).execute();
    // The data source id as dedupe key makes two racing starts share one queue job.
    const job = await this.deps.queue.enqueue<Payload>(INGEST_JOB_TYPE, { ingestionJobId: row.id }, { scope, dedupeKey: dsId, maxAttempts: 5 });
    await this.db.updateTable('ingestion_jobs').set({ queue_job_id: job.id }).where('id', '=', row.id).execute();
    return view({ ...row, queue_job_id: job.id });
  }

  async get(scope: string, kbId: string, dsId: string, jobId: string): Promise<IngestionJobView> {
    return view(await this.row(scope, kbId, dsId, jobId));
  }

  async list(scope: string, kbId: string, dsId: string, limit: number, after?: string): Promise<IngestionJobView[]> {
    await this.deps.repo.dataSource(scope, kbId, dsId);
    let q = this.db
      .selectFrom('ingestion_jobs')
      .selectAll()
      .where('scope', '=', scope)
      .where('data_source_id', '=', dsId)
      .orderBy('id')
      .limit(limit);
    if (after) q = q.where('id', '>', after);
    const rows = await q.execute();
    return (await Promise.all(rows.map((r) => this.reconciled(r)))).map(view);
  }

  async stop(scope: string, kbId: string, dsId: string, jobId: string): Promise<IngestionJobView> {
    const row = await this.row(scope, kbId, dsId, jobId);
    if (!ACTIVE.includes(row.status)) throw new QuarryError('ValidationException', `Ingestion job ${jobId} is ${row.status}; only a running job can be stopped.`);
    await this.db.updateTable('ingestion_jobs').set({ status: 'STOPPING', updated_at: new Date().toISOString() }).where('id', '=', jobId).execute();
    if (row.queue_job_id) await this.deps.queue.cancel(row.queue_job_id, scope);
    // A job still waiting in the queue never runs, so nothing else would mark it stopped.
    const queued = row.queue_job_id ? await this.deps.queue.get(row.queue_job_id, scope) : undefined;
    if (!queued || queued.state === 'CANCELLED') await this.finish(jobId, 'STOPPED');
    return view(await this.row(scope, kbId, dsId, jobId));
  }

  private async row(scope: string, kbId: string, dsId: string, jobId: string): Promise<IngestionJobsTable> {
    const row = await this.db
      .selectFrom('ingestion_jobs')
      .selectAll()
      .where('scope', '=', scope)
      .where('knowledge_base_id', '=', kbId)
      .where('data_source_id', '=', dsId)
      .where('id', '=', jobId)
      .executeTakeFirst();
    if (!row) throw new QuarryError('ResourceNotFoundException', `Ingestion job ${jobId} was not found.`);
    return this.reconciled(row);
  }

  /**
   * A job the queue has finished with while its row still reads as running: the queue gave up on it (each attempt's
   * worker stopped heartbeating: crashed, or stalled past its lease) or it was cancelled before any worker took it.
   * No handler will write its outcome, so it is settled here, on read, from the queue's; otherwise it would read
   * IN_PROGRESS forever and block every later sync of its data source. The update is conditional on the row still
   * being active, so a handler that finished it meanwhile wins.
   */
  private async reconciled(row: IngestionJobsTable): Promise<IngestionJobsTable> {
    if (!ACTIVE.includes(row.status) || !row.queue_job_id) return row;
    const queued = await this.deps.queue.get(row.queue_job_id, row.scope);
    if (queued && (queued.state === 'QUEUED' || queued.state === 'RUNNING')) return row;
    const stopped = queued?.state === 'CANCELLED' || row.status === 'STOPPING';
    const reasons: string[] = JSON.parse(row.failure_reasons);
    if (!stopped) reasons.push(queued?.error ?? 'The job left the queue without finishing.');
    const at = new Date().toISOString();
    const patch = { status: stopped ? 'STOPPED' : 'FAILED', failure_reasons: JSON.stringify(reasons.slice(-MAX_FAILURE_REASONS)), updated_at: at };
    await this.db.updateTable('ingestion_jobs').set(patch).where('id', '=', row.id).where('status', 'in', ACTIVE).execute();
    return (await this.db.selectFrom('ingestion_jobs').selectAll().where('id', '=', row.id).executeTakeFirst()) ?? { ...row, ...patch };
  }

  private async finish(jobId: string, status: string, patch: Partial<IngestionJobsTable> = {}): Promise<void> {
    await this.db
      .updateTable('ingestion_jobs')
      .set({ ...patch, status, updated_at: new Date().toISOString() })
      .where('id', '=', jobId)
      .execute();
  }

  /** The queue handler. Throwing lets the queue retry; a job that cannot succeed is marked FAILED and returns. */
  private async run(job: Job<Payload>, ctx: JobContext): Promise<unknown> {
    const jobRow = await this.db.selectFrom('ingestion_jobs').selectAll().where('id', '=', job.payload.ingestionJobId).executeTakeFirst();
    if (!jobRow || !ACTIVE.includes(jobRow.status)) return { skipped: true };
    if (jobRow.status === 'STOPPING') {
      await this.finish(jobRow.id, 'STOPPED');
      return { stopped: true };
    }
    const kb = await this.deps.repo.knowledgeBaseById(jobRow.knowledge_base_id);
    const ds = kb && (await this.deps.repo.dataSource(jobRow.scope, kb.id, jobRow.data_source_id).catch(() => undefined));
    if (!kb || !ds) {
      await this.finish(jobRow.id, 'FAILED', { failure_reasons: JSON.stringify(['The knowledge base or data source was deleted.']) });
      return { failed: true };
    }
    await this.finish(jobRow.id, 'IN_PROGRESS');
    const stats: IngestionStatistics = { ...emptyStatistics(), ...JSON.parse(jobRow.statistics) };
    const reasons: string[] = JSON.parse(jobRow.failure_reasons);
    const checkpoint = jobRow.checkpoint;
    try {
      await this.sync(kb, ds, jobRow, stats, reasons, checkpoint, ctx);
    } catch (e) {
      const save = { statistics: JSON.stringify(stats), failure_reasons: JSON.stringify(reasons) };
      if (ctx.signal.aborted) {
        const now = await this.db.selectFrom('ingestion_jobs').select('status').where('id', '=', jobRow.id).executeTakeFirst();
        if (now?.status === 'STOPPING') {
          await this.finish(jobRow.id, 'STOPPED', save);
          return { stopped: true };
        }
        // Lease lost or worker stopping: leave it IN_PROGRESS with the last checkpoint's counts; whoever takes the job
        // next resumes from there.
        throw e;
      }
      const reason = e instanceof Error ? e.message : String(e);
      reasons.push(reason);
      await this.finish(jobRow.id, 'FAILED', { statistics: save.statistics, failure_reasons: JSON.stringify(reasons.slice(-MAX_FAILURE_REASONS)) });
      this.deps.log.warn({ err: e, ingestionJobId: jobRow.id }, 'ingestion job failed');
      return { failed: true };
    }
    await this.finish(jobRow.id, 'COMPLETE', { statistics: JSON.stringify(stats), failure_reasons: JSON.stringify(reasons) });
    return stats;
  }

  private async sync(
    kb: KnowledgeBasesTable,
    ds: DataSourcesTable,
    jobRow: IngestionJobsTable,
    stats: IngestionStatistics,
    reasons: string[],
    checkpoint: number,
    ctx: JobContext,
  ): Promise<void> {
    const settings = indexSettingsFor(kb, ds);
    const store = await this.deps.stores.forKnowledgeBase(kb);
    const embed = this.deps.embedderFor(kb);
    const reader = this.deps.readers.readerFor(ds);
    const known = await this.docs.known(ds.id);
    const owner = { knowledgeBaseId: kb.id, dataSourceId: ds.id, scope: kb.scope };
    const seen = new Set<string>();
    const failure = (uri: string, reason: string) => {
      stats.numberOfDocumentsFailed++;
      if (reasons.length < MAX_FAILURE_REASONS) reasons.push(`${uri}: ${reason}`);
    };
    let processed = 0;
    let batch: { item: SourceItem; bytes: Uint8Array; hash: string; isNew: boolean }[] = [];
    const batchDocs = this.deps.batchDocuments ?? 64;

    const flush = async () => {
      const prepared: { doc: PreparedDocument; isNew: boolean }[] = [];
      for (const b of batch) {
        try {
          prepared.push({ doc: await prepareDocument(b.item, b.bytes, b.hash, settings, embed, ctx.signal), isNew: b.isNew });
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          failure(b.item.uri, e instanceof Error ? e.message : String(e));
          await this.docs.saveFailed(owner, b.item.uri, known.get(b.item.uri), e instanceof Error ? e.message : String(e));
        }
      }
      batch = [];
      if (prepared.length === 0) return;
      const vectors = await embedPrepared(
        prepared.map((p) => p.doc),
        settings,
        this.deps.cache,
        embed,
        ctx.signal,
      );
      for (const [i, p] of prepared.entries()) {
        await store.replaceDocument(p.doc.documentId, vectors[i]!);
        await this.docs.saveIndexed(owner, p.doc.uri, p.doc.hash, vectors[i]!.length);
        if (p.isNew) stats.numberOfNewDocumentsIndexed++;
        else stats.numberOfModifiedDocumentsIndexed++;
      }
    };

    for await (const entry of reader.list(ctx.signal)) {
      processed++;
      seen.add(entry.uri);
      // Entries before the checkpoint were handled by an earlier attempt of this job and are already counted.
      if (processed <= checkpoint) continue;
      stats.numberOfDocumentsScanned++;
      if (!entry.ok) {
        failure(entry.uri, entry.reason);
        continue;
      }
      if (entry.metadata) stats.numberOfMetadataDocumentsScanned++;
      let bytes: Uint8Array;
      try {
        bytes = await entry.read(ctx.signal);
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        failure(entry.uri, `could not be read: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      const hash = contentHash(bytes, entry.metadata, settings);
      const prior = known.get(entry.uri);
      if (prior?.hash === hash) {
        // Unchanged since it was written during this very job: an earlier attempt indexed it after its last checkpoint
        // and died before counting it (the checkpoint and the counts are saved per batch, documents one by one). It was
        // indexed by this job, so it counts; whether as new or modified that attempt knew and did not save, so new.
        if (prior.updatedAt >= jobRow.started_at) stats.numberOfNewDocumentsIndexed++;
        continue;
      }
      batch.push({ item: entry, bytes, hash, isNew: !prior || prior.chunks === 0 });
      if (batch.length >= batchDocs) {
        await flush();
        await this.saveProgress(jobRow.id, stats, reasons, processed);
        await ctx.heartbeat({ processed });
      }
    }
    await flush();
    // Only a listing that ran to the end may delete: a source that failed half-way must not empty the index.
    for (const [uri, d] of known) {
      if (seen.has(uri)) continue;
      await store.deleteDocument(documentIdFor(ds.id, uri));
      await this.docs.remove(ds.id, uri);
      if (d.chunks > 0) stats.numberOfDocumentsDeleted++;
    }
    await ctx.heartbeat({ processed });
  }

  private async saveProgress(jobId: string, stats: IngestionStatistics, reasons: string[], checkpoint: number): Promise<void> {
    await this.db
      .updateTable('ingestion_jobs')
      .set({ statistics: JSON.stringify(stats), failure_reasons: JSON.stringify(reasons), checkpoint, updated_at: new Date().toISOString() })
      .where('id', '=', jobId)
      .execute();
  }
}

function view(row: IngestionJobsTable): IngestionJobView {
  const reasons: string[] = JSON.parse(row.failure_reasons);
  return {
    knowledgeBaseId: row.knowledge_base_id,
    dataSourceId: row.data_source_id,
    ingestionJobId: row.id,
    ...(row.description ? { description: row.description } : {}),
    status: row.status,
    statistics: { ...emptyStatistics(), ...JSON.parse(row.statistics) },
    ...(reasons.length ? { failureReasons: reasons } : {}),
    startedAt: row.started_at,
    updatedAt: row.updated_at,
  };
}
