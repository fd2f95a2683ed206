import type { ConverseRequest, ConverseResult, Logger, ModelInfo, StreamPart } from '../../core/index.js';
import type { Principal } from '../../iam/index.js';
import type { MetadataFilter, ScoredChunk, SearchType } from '../../knowledge/index.js';

/** Who an invocation runs for; the runtime's InvocationContext has this shape, so model calls are metered to them. */
export interface AgentCallContext {
  requestId: string;
  principal: Principal;
  api: string;
  signal: AbortSignal;
  log: Logger;
  authorize?: (action: import('../../iam/index.js').Action, resource: string) => Promise<void>;
}

/**
 * What the loop needs from the invocation pipeline. A domain may not import the runtime (it sits above the domains),
 * so the runtime is handed in through this port; `Runtime` satisfies it structurally.
 */
export interface AgentModelPort {
  resolveModel(id: string): Promise<{ model: ModelInfo }>;
  converse(ctx: AgentCallContext, req: ConverseRequest): Promise<ConverseResult & { model: ModelInfo }>;
  /** The same call streamed, for InvokeAgent's streamFinalResponse; without it final answers arrive whole. */
  converseStream?(ctx: AgentCallContext, req: ConverseRequest): Promise<{ model: ModelInfo; parts: AsyncIterable<StreamPart> }>;
}

export interface KnowledgeSearchQuery {
  text: string;
  numberOfResults: number;
  searchType: SearchType;
  filter?: MetadataFilter;
}

/** A knowledge base's retrieval, scoped to an account (the knowledge module's `service.retrieve`). */
export type KnowledgeSearch = (ctx: AgentCallContext, accountId: string, knowledgeBaseId: string, q: KnowledgeSearchQuery) => Promise<ScoredChunk[]>;
