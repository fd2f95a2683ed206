import { isAbsolute, relative, resolve } from 'node:path';
import { type ModelInfo, QuarryError } from '../core/index.js';
import { parseModelId } from '../models/index.js';
import type { Database } from '../store/index.js';
import type { EmbeddingCache } from './embedding-cache.js';
import type { Embedder } from './ingestion/document-indexer.js';
import type { KnowledgeBaseRepository, KnowledgeBaseView } from './knowledge-base-repository.js';
import type { CallContext, ModelPort } from './model-port.js';
import { type RetrieveQuery, retrieveChunks } from './retrieval/retriever.js';
import type { CreateKnowledgeBaseInput, DataSourceConfiguration, UpdateKnowledgeBaseInput } from './schemas.js';
import type { KnowledgeBasesTable } from './tables.js';
import type { ScoredChunk } from './vector/vector-store.js';
import type { VectorStores } from './vector-stores.js';

export interface KnowledgeServiceDeps {
  db: Database;
  repo: KnowledgeBaseRepository;
  stores: VectorStores;
  models: ModelPort;
  cache: EmbeddingCache;
  /** The vector store a knowledge base gets when its storageConfiguration names none. */
  defaultVectorStore: string;
  /** Folders LOCAL data sources may read; anything outside is refused, so an API caller cannot index /etc. */
  localRoots: string[];
}

const STORAGE_KIND: Record<string, string> = { QUARRY_EMBEDDED: 'embedded', PGVECTOR: 'pgvector', RDS: 'pgvector' };
const STORAGE_TYPE: Record<string, string> = { embedded: 'QUARRY_EMBEDDED', pgvector: 'PGVECTOR', memory: 'QUARRY_MEMORY' };

/** Knowledge bases and their data sources: create, read, update, delete, and retrieval over their indexes. */
export class KnowledgeService {
  constructor(private readonly deps: KnowledgeServiceDeps) {}

  get repo(): KnowledgeBaseRepository {
    return this.deps.repo;
  }

  async createKnowledgeBase(ctx: CallContext, scope: string, input: CreateKnowledgeBaseInput): Promise<KnowledgeBaseView> {
    const vec = input.knowledgeBaseConfiguration.vectorKnowledgeBaseConfiguration;
    const model = await this.embeddingModel(vec.embeddingModelArn);
    const requested = vec.embeddingModelConfiguration?.bedrockEmbeddingModelConfiguration?.dimensions;
    const dimensions = requested ?? model.embeddingDimensions ?? (await this.probeDimensions(ctx, model.id));
    const kind = input.storageConfiguration ? STORAGE_KIND[input.storageConfiguration.type]! : this.deps.defaultVectorStore;
    if (!this.deps.stores.kinds().includes(kind)) {
      throw new QuarryError('ValidationException', `Storage type ${input.storageConfiguration?.type} is not available on this server (configure knowledge.pgvectorUrl or use a PostgreSQL store).`);
    }
    const storage = input.storageConfiguration ?? { type: STORAGE_TYPE[kind] ?? kind };
    const row = await this.deps.repo.insertKnowledgeBase({
      scope,
      name: input.name,
      description: input.description ?? null,
      role_arn: input.roleArn ?? null,
      embedding_model_id: model.id,
      dimensions,
      kb_config: JSON.stringify(input.knowledgeBaseConfiguration),
      storage_config: JSON.stringify(storage),
      vector_store: kind,
    });
    try {
      await this.deps.stores.forKnowledgeBase(row);
    } catch (e) {
      await this.deps.repo.deleteKnowledgeBase(scope, row.id);
      throw e;
    }
    return this.deps.repo.knowledgeBaseView(row);
  }

  async updateKnowledgeBase(scope: string, id: string, input: UpdateKnowledgeBaseInput): Promise<KnowledgeBaseView> {
    const row = await this.deps.repo.knowledgeBase(scope, id);
    const model = await this.embeddingModel(input.knowledgeBaseConfiguration.vectorKnowledgeBaseConfiguration.embeddingModelArn);
    if (model.id !== row.embedding_model_id) {
      throw new QuarryError('ValidationException', `The embedding model of a knowledge base cannot change (it is ${row.embedding_model_id}); create a new knowledge base instead.`);
    }
    if (input.storageConfiguration && STORAGE_KIND[input.storageConfiguration.type] !== row.vector_store) {
      throw new QuarryError('ValidationException', 'The storage configuration of a knowledge base cannot change.');
    }
    const updated = await this.deps.repo.updateKnowledgeBase(scope, id, {
      name: input.name,
      description: input.description ?? null,
      role_arn: input.roleArn ?? null,
      kb_config: JSON.stringify(input.knowledgeBaseConfiguration),
    });
    return this.deps.repo.knowledgeBaseView(updated);
  }

  async deleteKnowledgeBase(scope: string, id: string): Promise<KnowledgeBaseView> {
    const row = await this.deps.repo.knowledgeBase(scope, id);
    await this.deps.repo.deleteKnowledgeBase(scope, id);
    await this.deps.stores.drop(row).catch(() => undefined);
    return { ...this.deps.repo.knowledgeBaseView(row), status: 'DELETING' };
  }

  /** LOCAL sources must sit inside a configured root (after resolving `..`); returns the normalised configuration. */
  checkSource(config: DataSourceConfiguration): DataSourceConfiguration {
    if (config.type === 'S3') {
      throw new QuarryError('ValidationException', 'S3 data sources are not supported yet; use LOCAL (a folder on the server), WEB or CUSTOM.');
    }
    if (config.type !== 'LOCAL' || !config.localConfiguration) return config;
    const path = config.localConfiguration.path;
    if (!isAbsolute(path)) throw new QuarryError('ValidationException', `localConfiguration.path must be absolute, got ${path}.`);
    const abs = resolve(path);
    const inside = this.deps.localRoots.some((root) => {
      const rel = relative(resolve(root), abs);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    });
    if (!inside) {
      throw new QuarryError(
        'AccessDeniedException',
        `${abs} is outside the folders this server may index (knowledge.localRoots: ${this.deps.localRoots.join(', ') || 'none'}).`,
      );
    }
    return { ...config, localConfiguration: { ...config.localConfiguration, path: abs } };
  }

  /** Embeds for a knowledge base with its model and dimensions; `ctx` decides who is metered. */
  embedderFor(kb: Pick<KnowledgeBasesTable, 'embedding_model_id' | 'dimensions'>, ctx: () => CallContext): Embedder {
    return async (texts, signal) => {
      const base = ctx();
      const res = await this.deps.models.embed({ ...base, signal: anySignal(base.signal, signal) }, { modelId: kb.embedding_model_id, inputs: texts, dimensions: kb.dimensions, normalize: true });
      return res.embeddings.map((v) => (v instanceof Float32Array ? v : Float32Array.from(v)));
    };
  }

  async retrieve(ctx: CallContext, scope: string, kbId: string, q: RetrieveQuery): Promise<{ kb: KnowledgeBasesTable; chunks: ScoredChunk[] }> {
    const kb = await this.deps.repo.knowledgeBase(scope, kbId);
    const store = await this.deps.stores.forKnowledgeBase(kb);
    const vector = q.searchType === 'KEYWORD' ? undefined : (await this.embedderFor(kb, () => ctx)([q.text], ctx.signal))[0];
    return { kb, chunks: await retrieveChunks(store, vector, q) };
  }

  /** Chunks in a knowledge base's index (for statistics and benchmarks; ingestion jobs count documents). */
  async countChunks(scope: string, kbId: string): Promise<number> {
    const kb = await this.deps.repo.knowledgeBase(scope, kbId);
    return (await this.deps.stores.forKnowledgeBase(kb)).countChunks();
  }

  private async embeddingModel(arn: string): Promise<ModelInfo> {
    const { model } = await this.deps.models.resolveModel(parseModelId(arn).id);
    if (model.kind !== 'embedding') throw new QuarryError('ValidationException', `Model ${model.id} is not an embedding model.`);
    return model;
  }

  private async probeDimensions(ctx: CallContext, modelId: string): Promise<number> {
    const res = await this.deps.models.embed(ctx, { modelId, inputs: ['dimension probe'] });
    return res.embeddings[0]!.length;
  }
}

function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  return a === b ? a : AbortSignal.any([a, b]);
}
