import { QuarryError } from '../../core/index.js';
import type { EmbeddingCache } from '../embedding-cache.js';
import type { KnowledgeBaseRepository } from '../knowledge-base-repository.js';
import type { Metadata } from '../metadata.js';
import type { KbDocumentsTable } from '../tables.js';
import type { VectorStores } from '../vector-stores.js';
import { contentHash, documentIdFor, type Embedder, embedPrepared, prepareDocument } from './document-indexer.js';
import { DocumentRows } from './document-rows.js';
import { indexSettingsFor } from './index-settings.js';
import type { Database } from '../../store/index.js';
import type { KnowledgeBasesTable } from '../tables.js';

export interface DirectDocument {
  id: string;
  bytes: Uint8Array;
  contentType?: string;
  metadata?: Metadata;
}

/** Bedrock's KnowledgeBaseDocumentDetail. */
export interface DocumentDetail {
  knowledgeBaseId: string;
  dataSourceId: string;
  status: string;
  identifier: { dataSourceType: 'CUSTOM'; custom: { id: string } };
  statusReason?: string;
  updatedAt?: string;
}

/**
 * IngestKnowledgeBaseDocuments / DeleteKnowledgeBaseDocuments for CUSTOM data sources: documents arrive in the request
 * and are indexed before the call returns (Bedrock answers STARTING and indexes later; a finished status is what a
 * client polling GetKnowledgeBaseDocuments waits for anyway).
 */
export class DirectIngestion {
  private readonly docs;

  constructor(
    db: Database,
    private readonly repo: KnowledgeBaseRepository,
    private readonly stores: VectorStores,
    private readonly cache: EmbeddingCache,
  ) {
    this.docs = new DocumentRows(db);
  }

  async ingest(scope: string, kbId: string, dsId: string, documents: DirectDocument[], embedderFor: (kb: KnowledgeBasesTable) => Embedder, signal: AbortSignal): Promise<DocumentDetail[]> {
    const kb = await this.repo.knowledgeBase(scope, kbId);
    const ds = await this.repo.dataSource(scope, kbId, dsId);
    if (JSON.parse(ds.source_config).type !== 'CUSTOM') {
      throw new QuarryError('ValidationException', `Data source ${dsId} is not a CUSTOM data source; documents are ingested into it by syncing it (StartIngestionJob).`);
    }
    const settings = indexSettingsFor(kb, ds);
    const store = await this.stores.forKnowledgeBase(kb);
    const embed = embedderFor(kb);
    const known = await this.docs.known(ds.id);
    const owner = { knowledgeBaseId: kb.id, dataSourceId: ds.id, scope };
    const out: DocumentDetail[] = [];
    for (const d of documents) {
      const detail = (status: string, statusReason?: string): DocumentDetail => ({
        knowledgeBaseId: kbId,
        dataSourceId: dsId,
        status,
        identifier: { dataSourceType: 'CUSTOM', custom: { id: d.id } },
        ...(statusReason ? { statusReason } : {}),
        updatedAt: new Date().toISOString(),
      });
      const hash = contentHash(d.bytes, d.metadata, settings);
      if (known.get(d.id)?.hash === hash) {
        out.push(detail('INDEXED'));
        continue;
      }
      try {
        const item = { uri: d.id, name: d.id, contentType: d.contentType, metadata: d.metadata, read: async () => d.bytes };
        const prepared = await prepareDocument(item, d.bytes, hash, settings, embed, signal);
        const [chunks] = await embedPrepared([prepared], settings, this.cache, embed, signal);
        await store.replaceDocument(prepared.documentId, chunks!);
        await this.docs.saveIndexed(owner, d.id, hash, chunks!.length);
        out.push(detail('INDEXED'));
      } catch (e) {
        if (signal.aborted) throw e;
        // A model that is missing or failing is the server's problem, not this document's: report it as such.
        if (QuarryError.isInstance(e) && e.code !== 'ValidationException') throw e;
        const reason = e instanceof Error ? e.message : String(e);
        await this.docs.saveFailed(owner, d.id, known.get(d.id), reason);
        out.push(detail('FAILED', reason));
      }
    }
    return out;
  }

  async delete(scope: string, kbId: string, dsId: string, ids: string[]): Promise<DocumentDetail[]> {
    const kb = await this.repo.knowledgeBase(scope, kbId);
    await this.repo.dataSource(scope, kbId, dsId);
    const store = await this.stores.forKnowledgeBase(kb);
    const out: DocumentDetail[] = [];
    for (const id of ids) {
      await store.deleteDocument(documentIdFor(dsId, id));
      await this.docs.remove(dsId, id);
      out.push({ knowledgeBaseId: kbId, dataSourceId: dsId, status: 'DELETING', identifier: { dataSourceType: 'CUSTOM', custom: { id } }, updatedAt: new Date().toISOString() });
    }
    return out;
  }

  async get(scope: string, kbId: string, dsId: string, ids: string[]): Promise<DocumentDetail[]> {
    await this.repo.dataSource(scope, kbId, dsId);
    const rows = new Map((await this.docs.get(scope, dsId, ids)).map((r) => [r.uri, r]));
    return ids.map((id) => {
      const r = rows.get(id);
      return r ? rowDetail(r) : { knowledgeBaseId: kbId, dataSourceId: dsId, status: 'NOT_FOUND', identifier: { dataSourceType: 'CUSTOM', custom: { id } } };
    });
  }

  async list(scope: string, kbId: string, dsId: string, limit: number, after?: string): Promise<DocumentDetail[]> {
    await this.repo.dataSource(scope, kbId, dsId);
    return (await this.docs.list(scope, dsId, limit, after)).map(rowDetail);
  }
}

function rowDetail(r: KbDocumentsTable): DocumentDetail {
  return {
    knowledgeBaseId: r.knowledge_base_id,
    dataSourceId: r.data_source_id,
    status: r.status,
    identifier: { dataSourceType: 'CUSTOM', custom: { id: r.uri } },
    ...(r.status_reason ? { statusReason: r.status_reason } : {}),
    updatedAt: r.updated_at,
  };
}
