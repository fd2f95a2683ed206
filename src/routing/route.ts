import type {
  AbortLink,
  ConverseRequest,
  ConverseResult,
  EmbedRequest,
  EmbedResult,
  GenerateRequest,
  ImageGenerationRequest,
  ImageGenerationResult,
  ModelInfo,
  ModelProvider,
  QuarryError,
  StreamPart,
} from '../core/index.js';
import type { FallbackReason } from './classify-failure.js';

/**
 * What routing needs of the request's deadline (the runtime's `Deadline` fits): its abort and the time left. It is
 * also what a provider is called with when nothing comes between (CallOptions).
 */
export interface CallBudget {
  readonly signal: AbortSignal;
  /** The same abort without an AbortSignal (see core/abort-link.ts), when the deadline has one. */
  readonly link?: AbortLink;
  remainingMs(): number;
}

/** A check run before a model is called (the context-window check); throwing skips to a fallback where it may. */
export type Preflight = (req: GenerateRequest) => Promise<void>;

export interface RoutedAnswer<T> {
  value: T;
  /** The model that answered: a fallback's, or the deployment's view of the one asked for. */
  model: ModelInfo;
  /** Calls made, the successful one included. */
  attempts: number;
  /** Set when a fallback model answered. */
  fallback?: { from: string; reason: FallbackReason };
  /** The deployment that answered, for metering; absent when the model went straight to its one provider. */
  deployment?: AnsweringDeployment;
}

/** Which configured deployment answered, and where it runs. */
export interface AnsweringDeployment {
  id: string;
  region?: string;
}

/**
 * A stream whose first token has arrived (so failures before it could still be retried or fall back). `head` holds
 * the parts pulled so far, to be sent before the rest of `rest`.
 */
export interface RoutedStream {
  model: ModelInfo;
  /** The request as the answering deployment received it (for usage estimates when a stream is cut short). */
  request: GenerateRequest;
  head: StreamPart[];
  rest: AsyncIterator<StreamPart>;
  attempts: number;
  fallback?: { from: string; reason: FallbackReason };
  deployment?: AnsweringDeployment;
  /** Reports how the stream ended, for the deployment's health and capacity. Called exactly once. */
  end(error: QuarryError | undefined, clientGone: boolean): void;
}

/** Where calls for one client-facing model id go. */
export interface Route {
  /** The model asked for as the catalog describes it (an inference profile appears under its own id). */
  readonly model: ModelInfo;
  /** A provider of the route, for token counting. */
  readonly provider: ModelProvider;
  generate(req: ConverseRequest, budget: CallBudget): Promise<RoutedAnswer<ConverseResult>>;
  stream(req: ConverseRequest, budget: CallBudget): Promise<RoutedStream>;
  embed(req: EmbedRequest, budget: CallBudget): Promise<RoutedAnswer<EmbedResult>>;
  generateImages(req: ImageGenerationRequest, budget: CallBudget): Promise<RoutedAnswer<ImageGenerationResult>>;
}
