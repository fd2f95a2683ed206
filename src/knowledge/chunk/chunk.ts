/** Bedrock's ChunkingConfiguration (CreateDataSource → vectorIngestionConfiguration.chunkingConfiguration). */
export type ChunkingConfiguration =
  | { chunkingStrategy: 'NONE' }
  | { chunkingStrategy: 'FIXED_SIZE'; fixedSizeChunkingConfiguration: { maxTokens: number; overlapPercentage: number } }
  | {
      chunkingStrategy: 'HIERARCHICAL';
      hierarchicalChunkingConfiguration: {
        /** Exactly two levels: parent, then child. */
        levelConfigurations: [{ maxTokens: number }, { maxTokens: number }];
        overlapTokens: number;
      };
    }
  | {
      chunkingStrategy: 'SEMANTIC';
      semanticChunkingConfiguration: { maxTokens: number; bufferSize: number; breakpointPercentileThreshold: number };
    };

export interface Chunk {
  /** The text to embed and keyword-index. */
  text: string;
  /** Hierarchical chunking only: the parent chunk this child belongs to. */
  parentText?: string;
  /** Character offsets of `text` in the parsed document. */
  start: number;
  end: number;
  /** 1-based page of `start`, for paged documents. */
  pageNumber?: number;
}

/** Embeds texts for semantic chunking (the knowledge base's own embedding model, through the runtime). */
export type EmbedTexts = (texts: string[]) => Promise<Float32Array[]>;
