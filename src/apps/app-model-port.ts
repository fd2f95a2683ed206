import type { ConverseRequest, ConverseResult, ImageGenerationRequest, ImageGenerationResult, Logger, ModelInfo, StreamPart, Usage } from '../core/index.js';
import type { Action, Principal } from '../iam/index.js';

/** Who a widget's model call is made for: the runtime's InvocationContext has this shape, so IAM, quotas and metering see the caller. */
export interface AppCallContext {
  requestId: string;
  principal: Principal;
  api: string;
  signal: AbortSignal;
  log: Logger;
  authorize?: (action: Action, resource: string) => Promise<void>;
  tags?: string;
}

/**
 * What apps need from the invocation pipeline. A domain may not import the runtime (it sits above the domains), so the
 * runtime is handed in through this port; `Runtime` satisfies it structurally.
 */
export interface AppModelPort {
  converse(ctx: AppCallContext, req: ConverseRequest): Promise<ConverseResult & { model: ModelInfo }>;
  converseStream(ctx: AppCallContext, req: ConverseRequest): Promise<{ model: ModelInfo; parts: AsyncIterable<StreamPart> }>;
  /** For image widgets; a port without it fails them with a clear error (the server's runtime always has it). */
  generateImages?(ctx: AppCallContext, req: ImageGenerationRequest): Promise<ImageGenerationResult & { model: ModelInfo }>;
}

/** USD for one call, at the prices the meter bills it at (billing's PriceBook, handed in by the server); images for image models. */
export type AppCostOf = (model: ModelInfo, usage: Usage, images?: number) => number;

/**
 * A document's text, as knowledge-base ingestion extracts it (PDF, DOCX, HTML, …), handed in by the server so apps
 * need not know the parsers. Throws a ValidationException saying why a file cannot be read.
 */
export type AppExtractText = (file: { name: string; bytes: Uint8Array; contentType?: string }, opts: { maxChars: number; signal?: AbortSignal }) => Promise<string>;

/** Passages of a knowledge base for a chatbot turn (Bedrock's Retrieve), searched as the caller; the server hands it in. */
export type AppKnowledgeSearch = (ctx: AppCallContext, accountId: string, knowledgeBaseId: string, text: string, numberOfResults: number) => Promise<{ text: string; source?: string }[]>;
