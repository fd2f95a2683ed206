import { type ConverseRequest, type ConverseResult, type EmbedRequest, type EmbedResult, type ImageGenerationRequest, type ImageGenerationResult, type ModelInfo, type ModelProvider, withModel } from '../core/index.js';
import { asQuarryError, type FallbackReason, fallbackReasonOf } from './classify-failure.js';
import type { DeploymentSet } from './deployment-set.js';
import type { CallBudget, Preflight, Route, RoutedAnswer, RoutedStream } from './route.js';

/** Finds the route of a fallback model; undefined when the id is not served (the fallback is then skipped). */
export type FallbackLookup = (modelId: string) => Promise<ModelRoute | undefined>;

const noop = (): void => undefined;

/**
 * A client-facing id (a model or an inference profile) routed over its deployment set, with its fallback models.
 * Another model answers when the set is exhausted (retryable failures to the end of the attempts), when the prompt
 * exceeds this model's context window, or when the upstream refuses for content; the answer names the model that
 * gave it. Fallbacks are one level deep: a fallback's own fallbacks are not followed.
 */
export class ModelRoute implements Route {
  constructor(
    readonly model: ModelInfo,
    readonly set: DeploymentSet,
    private readonly fallbacks: readonly string[],
    private readonly lookup: FallbackLookup,
    private readonly preflight: Preflight,
  ) {}

  get provider(): ModelProvider {
    return this.set.deployments[0]!.spec.provider;
  }

  async generate(req: ConverseRequest, budget: CallBudget): Promise<RoutedAnswer<ConverseResult>> {
    // Most models have no fallbacks: skip building the chain's closures on every call.
    if (this.fallbacks.length === 0) {
      await this.preflight(withModel(req, this.model));
      return this.set.generate(req, budget);
    }
    return this.chain(
      budget,
      async (target) => {
        await this.preflight(withModel(req, target.model));
        return target.set.generate(req, budget);
      },
      (a) => (a.value.stopReason === 'content_filtered' ? 'content-refused' : undefined),
      noop,
    );
  }

  async stream(req: ConverseRequest, budget: CallBudget): Promise<RoutedStream> {
    if (this.fallbacks.length === 0) {
      await this.preflight(withModel(req, this.model));
      return this.set.stream(req, budget);
    }
    return this.chain(
      budget,
      async (target) => {
        await this.preflight(withModel(req, target.model));
        return target.set.stream(req, budget);
      },
      // A refusal that arrives before any token is still a refusal worth another model.
      (s) => {
        const last = s.head[s.head.length - 1];
        return last?.type === 'messageStop' && last.stopReason === 'content_filtered' ? 'content-refused' : undefined;
      },
      (s) => {
        s.end(undefined, false);
        void s.rest.return?.()?.catch(noop);
      },
    );
  }

  embed(req: EmbedRequest, budget: CallBudget): Promise<RoutedAnswer<EmbedResult>> {
    if (this.fallbacks.length === 0) return this.set.embed(req, budget);
    return this.chain(budget, (target) => target.set.embed(req, budget), () => undefined, noop);
  }

  generateImages(req: ImageGenerationRequest, budget: CallBudget): Promise<RoutedAnswer<ImageGenerationResult>> {
    if (this.fallbacks.length === 0) return this.set.generateImages(req, budget);
    return this.chain(budget, (target) => target.set.generateImages(req, budget), () => undefined, noop);
  }

  /**
   * Tries this model, then each fallback while the failure is one a fallback may fix. `refusal` says whether an
   * answer is a refusal worth passing on (dropped with `discard`) — only when a fallback remains to ask instead.
   */
  private async chain<A extends { fallback?: { from: string; reason: FallbackReason } }>(
    budget: CallBudget,
    attempt: (target: ModelRoute) => Promise<A>,
    refusal: (answer: A) => FallbackReason | undefined,
    discard: (answer: A) => void,
  ): Promise<A> {
    let target: ModelRoute = this;
    let reason: FallbackReason | undefined;
    let next = 0;
    for (;;) {
      let why: FallbackReason | undefined;
      let answer: A | undefined;
      let failure: unknown;
      try {
        answer = await attempt(target);
        why = next < this.fallbacks.length ? refusal(answer) : undefined;
      } catch (e) {
        failure = e;
        why = next < this.fallbacks.length && !budget.signal.aborted ? fallbackReasonOf(asQuarryError(e)) : undefined;
      }
      const following = why ? await this.nextFallback(next) : undefined;
      if (!following) {
        if (answer === undefined) throw failure;
        if (target !== this) answer.fallback = { from: this.model.id, reason: reason ?? 'exhausted' };
        return answer;
      }
      if (answer !== undefined) discard(answer);
      reason = why;
      target = following.route;
      next = following.next;
    }
  }

  /** The first fallback from index `from` on that this server serves. */
  private async nextFallback(from: number): Promise<{ route: ModelRoute; next: number } | undefined> {
    for (let i = from; i < this.fallbacks.length; i++) {
      const route = await this.lookup(this.fallbacks[i]!);
      if (route) return { route, next: i + 1 };
    }
    return undefined;
  }
}
