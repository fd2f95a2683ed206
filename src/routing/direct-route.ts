import {
  type ConverseRequest,
  type ConverseResult,
  type EmbedRequest,
  type EmbedResult,
  type GenerateRequest,
  type ImageGenerationRequest,
  type ImageGenerationResult,
  type ModelInfo,
  type ModelProvider,
  QuarryError,
  type StreamPart,
  withModel,
} from '../core/index.js';
import type { CallBudget, Preflight, Route, RoutedAnswer, RoutedStream } from './route.js';

const noEnd = (): void => undefined;

/**
 * A model straight to its one provider: no retries, no breaker, no fallbacks — what every model gets while routing
 * is not configured, so behaviour and cost stay exactly those of a server without it.
 */
export class DirectRoute implements Route {
  constructor(
    readonly model: ModelInfo,
    readonly provider: ModelProvider,
    private readonly preflight: Preflight,
  ) {}

  async generate(req: ConverseRequest, budget: CallBudget): Promise<RoutedAnswer<ConverseResult>> {
    const greq: GenerateRequest = withModel(req, this.model);
    await this.preflight(greq);
    // The budget is the provider's CallOptions as it is: a provider that only listens for the abort takes its link,
    // and no AbortSignal is made unless one asks for `signal`.
    return { value: await this.provider.generate(greq, budget), model: this.model, attempts: 1 };
  }

  /** Pulls the first part before returning, so failures before any output are still a proper HTTP error. */
  async stream(req: ConverseRequest, budget: CallBudget): Promise<RoutedStream> {
    const greq: GenerateRequest = withModel(req, this.model);
    await this.preflight(greq);
    const rest = this.provider.stream(greq, budget)[Symbol.asyncIterator]();
    const first = await rest.next();
    if (!first.done && first.value.type === 'error') {
      await rest.return?.().catch(() => undefined);
      throw first.value.error;
    }
    const head: StreamPart[] = first.done ? [] : [first.value];
    return { model: this.model, request: greq, head, rest, attempts: 1, end: noEnd };
  }

  async embed(req: EmbedRequest, budget: CallBudget): Promise<RoutedAnswer<EmbedResult>> {
    if (!this.provider.embed) throw new QuarryError('ValidationException', `Model ${this.model.id} does not produce embeddings.`);
    return { value: await this.provider.embed(withModel(req, this.model), budget), model: this.model, attempts: 1 };
  }

  async generateImages(req: ImageGenerationRequest, budget: CallBudget): Promise<RoutedAnswer<ImageGenerationResult>> {
    if (!this.provider.generateImages) throw new QuarryError('ValidationException', `Model ${this.model.id} does not generate images.`);
    return { value: await this.provider.generateImages(withModel(req, this.model), budget), model: this.model, attempts: 1 };
  }
}
