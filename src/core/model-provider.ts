import type { AbortLink } from './abort-link.js';
import type { EmbedRequest, EmbedResult } from './embedding.js';
import type { ImageGenerationRequest, ImageGenerationResult } from './image-generation.js';
import type { ModelInfo } from './model-info.js';
import type { ConverseRequest } from './request.js';
import type { ConverseResult } from './response.js';
import type { StreamPart } from './stream-part.js';

/** What a provider receives: the canonical request plus the model it resolved to. */
export interface GenerateRequest extends ConverseRequest {
  model: ModelInfo;
}

export interface CallOptions {
  /** Aborted when the client disconnects or the deadline passes; providers must stop work promptly. */
  signal: AbortSignal;
  /**
   * The same abort as `signal`, for providers that only listen for it: listening here makes no AbortSignal (see
   * core/abort-link.ts). Absent when the caller has only a signal.
   */
  readonly link?: AbortLink;
}

/**
 * One interface for every model provider. Adding a provider touches only its folder plus one registry line.
 * `latencyMs` in results is filled in by the runtime, so providers may leave it 0.
 */
export interface ModelProvider {
  readonly id: string;
  readonly type: string;
  /** Models this provider serves right now (discovered or configured). */
  listModels(): Promise<ModelInfo[]>;
  generate(req: GenerateRequest, opts: CallOptions): Promise<ConverseResult>;
  /** Must yield parts in Bedrock's order and end with messageStop then metadata, or with an error part. */
  stream(req: GenerateRequest, opts: CallOptions): AsyncIterable<StreamPart>;
  embed?(req: EmbedRequest & { model: ModelInfo }, opts: CallOptions): Promise<EmbedResult>;
  /** Text to image, for models of kind `image`. Returns exactly `req.count` images or throws. */
  generateImages?(req: ImageGenerationRequest & { model: ModelInfo }, opts: CallOptions): Promise<ImageGenerationResult>;
  /** Exact count where the provider has the tokenizer; the runtime falls back to an estimate otherwise. */
  countTokens?(req: GenerateRequest): Promise<number>;
  /**
   * An active health check that costs nothing (no tokens): resolves when the provider could take a call now, rejects
   * with why not. Routing calls it on an interval when health checks are configured; a provider without one is never
   * taken out of rotation by a check, only by its calls failing (the circuit breaker).
   */
  probe?(opts: CallOptions): Promise<void>;
  close?(): Promise<void>;
}

/** What the server hands a provider factory: one `providers:` entry of the config, plus the models routed to it. */
export interface ProviderSettings {
  id: string;
  type: string;
  baseUrl?: string;
  apiKey?: string;
  region?: string;
  /** Models the configuration routes to this provider, already resolved to catalog entries. */
  models: ModelInfo[];
  /** Type-specific options from the config entry; each provider validates its own with zod. */
  options: Record<string, unknown>;
  /** The server's data directory (local providers find their files below it). */
  dataDir: string;
  /** Upper bound for one upstream call, connect to last byte. */
  timeoutMs: number;
}

export type ProviderFactory = (settings: ProviderSettings) => ModelProvider;
