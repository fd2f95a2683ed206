import { QuarryError } from '../core/index.js';
import { type Database, isUniqueViolation } from '../store/index.js';
import { knowledgeBaseArn, newResourceId } from './ids.js';
import type { DataSourcesTable, KnowledgeBasesTable, KnowledgeTables } from './tables.js';

/** A knowledge base as the API returns it (`@aws-sdk/client-bedrock-agent` KnowledgeBase). */
export interface KnowledgeBaseView {
  knowledgeBaseId: string;
  name: string;
  knowledgeBaseArn: string;
  description?: string;
  roleArn?: string;
  knowledgeBaseConfiguration: unknown;
  storageConfiguration: unknown;
  status: string;
  createdAt: string;
  updatedAt: string;
  failureReasons?: string[];
}

export interface DataSourceView {
  knowledgeBaseId: string;
  dataSourceId: string;
  name: string;
  status: string;
  description?: string;
  dataSourceConfiguration: unknown;
  vectorIngestionConfiguration: unknown;
  dataDeletionPolicy: string;
  createdAt: string;
  updatedAt: string;
}

export type NewKnowledgeBase = Omit<KnowledgeBasesTable, 'id' | 'created_at' | 'updated_at' | 'status' | 'failure_reasons'>;
export type NewDataSource = Omit<DataSourcesTable, 'id' | 'created_at' | 'updated_at' | 'status'>;

/** Rows of knowledge bases and data sources, always read and written within one scope (tenant). */
export class KnowledgeBaseRepository {
  private readonly db;
  constructor(
    db: Database,
    private readonly region: string,
    private readonly accountId: string,
  ) {
    this.db = db.withTables<KnowledgeTables>();
  }

  async insertKnowledgeBase(kb: NewKnowledgeBase): Promise<KnowledgeBasesTable> {
    const now = new Date().toISOString();
    const row: KnowledgeBasesTable = { ...kb, id: newResourceId(), status: 'ACTIVE', failure_reasons: null, created_at: now, updated_at: now };
    try {
      await this.db.insertInto('knowledge_bases').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new QuarryError('ConflictException', `A knowledge base named ${kb.name} already exists.`);
      throw e;
    }
    return row;
  }

  async knowledgeBase(scope: string, id: string): Promise<KnowledgeBasesTable> {
    const row = await this.db.selectFrom('knowledge_bases').selectAll().where('scope', '=', scope).where('id', '=', id).executeTakeFirst();
    if (!row) throw new QuarryError('ResourceNotFoundException', `Knowledge base ${id} was not found.`);
    return row;
  }

  /** Any scope: for background jobs that already hold the id from a scoped call. */
  async knowledgeBaseById(id: string): Promise<KnowledgeBasesTable | undefined> {
    return this.db.selectFrom('knowledge_bases').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listKnowledgeBases(scope: string, limit: number, after?: string): Promise<KnowledgeBasesTable[]> {
    let q = this.db.selectFrom('knowledge_bases').selectAll().where('scope', '=', scope).orderBy('id').limit(limit);
    if (after) q = q.where('id', '>', after);
    return q.execute();
  }

  async updateKnowledgeBase(scope: string, id: string, patch: Partial<KnowledgeBasesTable>): Promise<KnowledgeBasesTable> {
    await this.knowledgeBase(scope, id);
    try {
      await this.db
        .updateTable('knowledge_bases')
        .set({ ...patch, updated_at: new Date().toISOString() })
        .where('scope', '=', scope)
        .where('id', '=', id)
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new QuarryError('ConflictException', `A knowledge base named ${patch.name} already exists.`);
      throw e;
    }
    return this.knowledgeBase(scope, id);
  }

  async deleteKnowledgeBase(scope: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('kb_documents').where('scope', '=', scope).where('knowledge_base_id', '=', id).execute();
      await tx.deleteFrom('ingestion_jobs').where('scope', '=', scope).where('knowledge_base_id', '=', id).execute();
      await tx.deleteFrom('data_sources').where('scope', '=', scope).where('knowledge_base_id', '=', id).execute();
      await tx.deleteFrom('knowledge_bases').where('scope', '=', scope).where('id', '=', id).execute();
    });
  }

  async insertDataSource(ds: NewDataSource): Promise<DataSourcesTable> {
    const now = new Date().toISOString();
    const row: DataSourcesTable = { ...ds, id: newResourceId(), status: 'AVAILABLE', created_at: now, updated_at: now };
    try {
      await this.db.insertInto('data_sources').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new QuarryError('ConflictException', `A data source named ${ds.name} already exists in this knowledge base.`);
      throw e;
    }
    return row;
  }

  async dataSource(scope: string, kbId: string, id: string): Promise<DataSourcesTable> {
    const row = await this.db
      .selectFrom('data_sources')
      .selectAll()
      .where('scope', '=', scope)
      .where('knowledge_base_id', '=', kbId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new QuarryError('ResourceNotFoundException', `Data source ${id} was not found in knowledge base ${kbId}.`);
    return row;
  }

  async listDataSources(scope: string, kbId: string, limit: number, after?: string): Promise<DataSourcesTable[]> {
    let q = this.db.selectFrom('data_sources').selectAll().where('scope', '=', scope).where('knowledge_base_id', '=', kbId).orderBy('id').limit(limit);
    if (after) q = q.where('id', '>', after);
    return q.execute();
  }

  async updateDataSource(scope: string, kbId: string, id: string, patch: Partial<DataSourcesTable>): Promise<DataSourcesTable> {
    await this.dataSource(scope, kbId, id);
    await this.db
      .updateTable('data_sources')
      .set({ ...patch, updated_at: new Date().toISOString() })
      .where('scope', '=', scope)
      .where('id', '=', id)
      .execute();
    return this.dataSource(scope, kbId, id);
  }

  async deleteDataSource(scope: string, kbId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('kb_documents').where('scope', '=', scope).where('data_source_id', '=', id).execute();
      await tx.deleteFrom('ingestion_jobs').where('scope', '=', scope).where('data_source_id', '=', id).execute();
      await tx.deleteFrom('data_sources').where('scope', '=', scope).where('knowledge_base_id', '=', kbId).where('id', '=', id).execute();
    });
  }

  knowledgeBaseView(row: KnowledgeBasesTable): KnowledgeBaseView {
    return {
      knowledgeBaseId: row.id,
      name: row.name,
      knowledgeBaseArn: knowledgeBaseArn(this.region, this.accountId, row.id),
      ...(row.description ? { description: row.description } : {}),
      ...(row.role_arn ? { roleArn: row.role_arn } : {}),
      knowledgeBaseConfiguration: JSON.parse(row.kb_config),
      storageConfiguration: JSON.parse(row.storage_config),
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      ...(row.failure_reasons ? { failureReasons: JSON.parse(row.failure_reasons) } : {}),
    };
  }

  dataSourceView(row: DataSourcesTable): DataSourceView {
    return {
      knowledgeBaseId: row.knowledge_base_id,
      dataSourceId: row.id,
      name: row.name,
      status: row.status,
      ...(row.description ? { description: row.description } : {}),
      dataSourceConfiguration: JSON.parse(row.source_config),
      vectorIngestionConfiguration: JSON.parse(row.ingestion_config),
      dataDeletionPolicy: row.data_deletion_policy,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
