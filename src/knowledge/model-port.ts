import type { ConverseRequest, ConverseResult, EmbedRequest, EmbedResult, GuardrailRequest, Logger, ModelInfo, StreamPart } from '../core/index.js';
import type { Principal } from '../iam/index.js';
import type { RagGuard } from './rag/rag-guardrail.js';

/** Who a model call is made for, so it is metered to them (the runtime's InvocationContext has this shape). */
export interface CallContext {
  requestId: string;
  principal: Principal;
  api: string;
  signal: AbortSignal;
  log: Logger;
}

/**
 * What knowledge bases need from the invocation pipeline. A domain may not import the runtime (it sits above the
 * domains), so the runtime is handed in through this port; `Runtime` satisfies it structurally.
 */
export interface ModelPort {
  listModels(): Promise<ModelInfo[]>;
  resolveModel(id: string): Promise<{ model: ModelInfo }>;
  embed(ctx: CallContext, req: EmbedRequest): Promise<EmbedResult & { model: ModelInfo }>;
  converse(ctx: CallContext, req: ConverseRequest): Promise<ConverseResult & { model: ModelInfo }>;
  converseStream(ctx: CallContext, req: ConverseRequest): Promise<{ model: ModelInfo; parts: AsyncIterable<StreamPart> }>;
  /** Finds and authorizes a guardrail for RetrieveAndGenerate to check its query and answer with. */
  openGuardrail?(ctx: CallContext, guardrail: GuardrailRequest): Promise<RagGuard>;
}
