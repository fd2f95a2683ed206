import type { ChunkingConfiguration } from '../chunk/chunk.js';
import type { DataSourceConfiguration } from '../schemas.js';
import type { DataSourceReader } from '../sources/source-item.js';
import type { DataSourcesTable, KnowledgeBasesTable } from '../tables.js';
import type { ChunkLocation } from '../vector/vector-store.js';
import type { IndexSettings } from './document-indexer.js';

/** Bedrock's default when a data source names no chunking: about 300 tokens with 20% overlap. */
export const DEFAULT_CHUNKING: ChunkingConfiguration = {
  chunkingStrategy: 'FIXED_SIZE',
  fixedSizeChunkingConfiguration: { maxTokens: 300, overlapPercentage: 20 },
};

export interface SourceReaderFactory {
  readerFor(ds: DataSourcesTable): DataSourceReader;
}

const LOCATION: Record<DataSourceConfiguration['type'], ChunkLocation['type']> = { LOCAL: 'LOCAL', WEB: 'WEB', CUSTOM: 'CUSTOM', S3: 'S3' };

export function indexSettingsFor(kb: KnowledgeBasesTable, ds: DataSourcesTable): IndexSettings {
  const source = JSON.parse(ds.source_config) as DataSourceConfiguration;
  const ingestion = JSON.parse(ds.ingestion_config) as {
    chunkingConfiguration?: ChunkingConfiguration;
    parsingConfiguration?: { ocr?: boolean };
  };
  return {
    dataSourceId: ds.id,
    embeddingModelId: kb.embedding_model_id,
    dimensions: kb.dimensions,
    chunking: ingestion.chunkingConfiguration ?? DEFAULT_CHUNKING,
    ocr: ingestion.parsingConfiguration?.ocr ?? true,
    locationType: LOCATION[source.type],
  };
}
