// Types (not interfaces): Kysely's withTables<T>() needs index-signature-compatible records.
import type { Migration } from 'kysely';

/** Configuration objects are stored as JSON text in their Bedrock shape, so Get* returns what Create* was given. */
export type KnowledgeBasesTable = {
  id: string;
  /** The account or project that owns it; every query filters on it so tenants never see each other's bases. */
  scope: string;
  name: string;
  description: string | null;
  role_arn: string | null;
  embedding_model_id: string;
  dimensions: number;
  /** JSON: knowledgeBaseConfiguration as given. */
  kb_config: string;
  /** JSON: storageConfiguration as given (or as defaulted). */
  storage_config: string;
  vector_store: string;
  status: string;
  failure_reasons: string | null;
  created_at: string;
  updated_at: string;
};

export type DataSourcesTable = {
  id: string;
  knowledge_base_id: string;
  scope: string;
  name: string;
  description: string | null;
  /** JSON: dataSourceConfiguration. */
  source_config: string;
  /** JSON: vectorIngestionConfiguration. */
  ingestion_config: string;
  data_deletion_policy: string;
  status: string;
  created_at: string;
  updated_at: string;
};

/** One row per document a data source has offered; the content hash drives incremental sync. */
export type KbDocumentsTable = {
  data_source_id: string;
  uri: string;
  knowledge_base_id: string;
  scope: string;
  /** sha256 of the document's bytes plus its metadata and the chunking configuration that indexed it. */
  content_hash: string | null;
  status: string;
  status_reason: string | null;
  chunk_count: number;
  updated_at: string;
};

export type IngestionJobsTable = {
  id: string;
  knowledge_base_id: string;
  data_source_id: string;
  scope: string;
  description: string | null;
  status: string;
  /** JSON: IngestionJobStatistics. */
  statistics: string;
  /** JSON: string[] (a reason per failed document, capped). */
  failure_reasons: string;
  queue_job_id: string | null;
  /** Source entries fully handled so far; saved with the statistics in one write, so a resumed job neither skips nor recounts. */
  checkpoint: number;
  started_at: string;
  updated_at: string;
};

export type EmbeddingCacheTable = {
  model_id: string;
  /** sha256 of the embedded text. */
  text_hash: string;
  /** The vector as little-endian float32, base64: text keeps the table portable across SQLite and PostgreSQL. */
  vector: string;
  created_at: string;
};

export type RagSessionsTable = {
  id: string;
  scope: string;
  /** JSON: the conversation so far ({ role, text }[]), bounded. */
  turns: string;
  updated_at: string;
};

export type KnowledgeTables = {
  knowledge_bases: KnowledgeBasesTable;
  data_sources: DataSourcesTable;
  kb_documents: KbDocumentsTable;
  ingestion_jobs: IngestionJobsTable;
  embedding_cache: EmbeddingCacheTable;
  rag_sessions: RagSessionsTable;
};

export const knowledgeMigrations: Record<string, Migration> = {
  '2026-11-23-10-knowledge': {
    async up(db) {
      await db.schema
        .createTable('knowledge_bases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('role_arn', 'text')
        .addColumn('embedding_model_id', 'text', (c) => c.notNull())
        .addColumn('dimensions', 'integer', (c) => c.notNull())
        .addColumn('kb_config', 'text', (c) => c.notNull())
        .addColumn('storage_config', 'text', (c) => c.notNull())
        .addColumn('vector_store', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('failure_reasons', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('knowledge_bases_scope_name').on('knowledge_bases').columns(['scope', 'name']).unique().execute();
      await db.schema
        .createTable('data_sources')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('knowledge_base_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('source_config', 'text', (c) => c.notNull())
        .addColumn('ingestion_config', 'text', (c) => c.notNull())
        .addColumn('data_deletion_policy', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('data_sources_kb_name').on('data_sources').columns(['knowledge_base_id', 'name']).unique().execute();
      await db.schema
        .createTable('kb_documents')
        .addColumn('data_source_id', 'text', (c) => c.notNull())
        .addColumn('uri', 'text', (c) => c.notNull())
        .addColumn('knowledge_base_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('chunk_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('kb_documents_pk', ['data_source_id', 'uri'])
        .execute();
      await db.schema
        .createTable('ingestion_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('knowledge_base_id', 'text', (c) => c.notNull())
        .addColumn('data_source_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('statistics', 'text', (c) => c.notNull())
        .addColumn('failure_reasons', 'text', (c) => c.notNull())
        .addColumn('queue_job_id', 'text')
        .addColumn('checkpoint', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ingestion_jobs_ds').on('ingestion_jobs').columns(['data_source_id', 'started_at']).execute();
      await db.schema
        .createTable('embedding_cache')
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('text_hash', 'text', (c) => c.notNull())
        .addColumn('vector', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('embedding_cache_pk', ['model_id', 'text_hash'])
        .execute();
      await db.schema
        .createTable('rag_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('turns', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
