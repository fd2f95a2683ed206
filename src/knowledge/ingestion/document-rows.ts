import type { Database } from '../../store/index.js';
import type { KbDocumentsTable, KnowledgeTables } from '../tables.js';

export interface KnownDocument {
  hash: string | null;
  chunks: number;
  /** When its row was last written (ISO time). */
  updatedAt: string;
}

interface Owner {
  knowledgeBaseId: string;
  dataSourceId: string;
  scope: string;
}

/** The kb_documents rows: what each data source has indexed, with the hash that makes the next sync incremental. */
export class DocumentRows {
  private readonly db;
  constructor(db: Database) {
    this.db = db.withTables<KnowledgeTables>();
  }

  async known(dataSourceId: string): Promise<Map<string, KnownDocument>> {
    const rows = await this.db.selectFrom('kb_documents').select(['uri', 'content_hash', 'chunk_count', 'updated_at']).where('data_source_id', '=', dataSourceId).execute();
    return new Map(rows.map((d) => [d.uri, { hash: d.content_hash, chunks: d.chunk_count, updatedAt: d.updated_at }]));
  }

  async saveIndexed(o: Owner, uri: string, hash: string, chunks: number): Promise<void> {
    const now = new Date().toISOString();
    await this.db
      .insertInto('kb_documents')
      .values({ data_source_id: o.dataSourceId, uri, knowledge_base_id: o.knowledgeBaseId, scope: o.scope, content_hash: hash, status: 'INDEXED', status_reason: null, chunk_count: chunks, updated_at: now })
      .onConflict((oc) => oc.columns(['data_source_id', 'uri']).doUpdateSet({ content_hash: hash, status: 'INDEXED', status_reason: null, chunk_count: chunks, updated_at: now }))
      .execute();
  }

  /**
   * A document that failed keeps whatever was indexed before (nothing already indexed is lost) and its old hash, so
   * the next sync tries it again.
   */
  async saveFailed(o: Owner, uri: string, prior: KnownDocument | undefined, reason: string): Promise<void> {
    const now = new Date().toISOString();
    const statusReason = prior?.chunks ? `${reason} (the previously indexed version is kept)` : reason;
    await this.db
      .insertInto('kb_documents')
      .values({
        data_source_id: o.dataSourceId,
        uri,
        knowledge_base_id: o.knowledgeBaseId,
        scope: o.scope,
        content_hash: prior?.hash ?? null,
        status: 'FAILED',
        status_reason: statusReason,
        chunk_count: prior?.chunks ?? 0,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['data_source_id', 'uri']).doUpdateSet({ status: 'FAILED', status_reason: statusReason, updated_at: now }))
      .execute();
  }

  async remove(dataSourceId: string, uri: string): Promise<void> {
    await this.db.deleteFrom('kb_documents').where('data_source_id', '=', dataSourceId).where('uri', '=', uri).execute();
  }

  async get(scope: string, dataSourceId: string, uris: string[]): Promise<KbDocumentsTable[]> {
    if (!uris.length) return [];
    return this.db.selectFrom('kb_documents').selectAll().where('scope', '=', scope).where('data_source_id', '=', dataSourceId).where('uri', 'in', uris).execute();
  }

  async list(scope: string, dataSourceId: string, limit: number, after?: string): Promise<KbDocumentsTable[]> {
    let q = this.db.selectFrom('kb_documents').selectAll().where('scope', '=', scope).where('data_source_id', '=', dataSourceId).orderBy('uri').limit(limit);
    if (after) q = q.where('uri', '>', after);
    return q.execute();
  }
}
