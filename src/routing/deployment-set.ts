import {
  type ConverseRequest,
  type ConverseResult,
  type EmbedRequest,
  type EmbedResult,
  type GenerateRequest,
  type ImageGenerationRequest,
  type ImageGenerationResult,
  type ModelInfo,
  QuarryError,
  type StreamPart,
  withModel,
} from '../core/index.js';
import { AttemptSignal } from './attempt-signal.js';
import { backoffMs } from './backoff-ms.js';
import { asQuarryError, isRetryable, outcomeOf } from './classify-failure.js';
import type { CallOutcome, Deployment } from './deployment.js';
import { bitOf, pickDeployment } from './pick-deployment.js';
import type { RetryBudget } from './retry-budget.js';
import type { CallBudget, RoutedAnswer, RoutedStream } from './route.js';
import type { RoutingPolicy, RoutingStrategy } from './routing-config.js';

export interface DeploymentSetOptions {
  strategy: RoutingStrategy;
  policy: RoutingPolicy;
  retryBudget: RetryBudget;
  random: () => number;
  /** Monotonic milliseconds, for latencies. */
  now: () => number;
  /** Waits `ms` or rejects when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** A successful attempt: the answer as callers see it, plus what a stream's caller needs to end it. */
interface Attempted<T> extends RoutedAnswer<T> {
  used: Deployment;
  signal: AttemptSignal | undefined;
  startedAt: number;
}

const noop = (): void => undefined;

/**
 * The deployments one client-facing id routes to (a model's own, or an inference profile's) and the attempt loop
 * over them: pick by strategy, call, and on a retryable failure try again — on a deployment this request has not
 * tried yet at once, on one already tried after a jittered backoff — within the attempt limit, the retry budget and
 * the request's deadline.
 */
export class DeploymentSet {
  private turn = 0;

  constructor(
    /** The id clients used (a model or a profile), for messages. */
    readonly name: string,
    readonly deployments: readonly Deployment[],
    private readonly o: DeploymentSetOptions,
  ) {}

  generate(req: ConverseRequest, budget: CallBudget): Promise<RoutedAnswer<ConverseResult>> {
    return this.run(budget, this.o.policy.attemptTimeoutMs, 'No answer', false, (d, signal) => d.spec.provider.generate(requestFor(req, d.spec.model), { signal }));
  }

  embed(req: EmbedRequest, budget: CallBudget): Promise<RoutedAnswer<EmbedResult>> {
    return this.run(budget, this.o.policy.attemptTimeoutMs, 'No embeddings', false, (d, signal) => {
      const embed = d.spec.provider.embed;
      if (!embed) throw new QuarryError('ValidationException', `Model ${d.spec.model.id} does not produce embeddings.`);
      return embed.call(d.spec.provider, withModel(req, d.spec.model), { signal });
    });
  }

  generateImages(req: ImageGenerationRequest, budget: CallBudget): Promise<RoutedAnswer<ImageGenerationResult>> {
    return this.run(budget, this.o.policy.attemptTimeoutMs, 'No images', false, (d, signal) => {
      const generate = d.spec.provider.generateImages;
      if (!generate) throw new QuarryError('ValidationException', `Model ${d.spec.model.id} does not generate images.`);
      return generate.call(d.spec.provider, withModel(req, d.spec.model), { signal });
    });
  }

  /**
   * Opens a stream and reads up to its first token before returning: until then nothing has reached the client, so
   * a failure (an error part, a reset, no first token in time) is retried like any other. Once returned, the
   * stream is the caller's, and the deployment counts as busy until `end` is called.
   */
  async stream(req: ConverseRequest, budget: CallBudget): Promise<RoutedStream> {
    const a = await this.run(budget, this.o.policy.firstTokenTimeoutMs, 'No first token', true, (d, signal) => openToFirstToken(requestFor(req, d.spec.model), d, signal));
    const d = a.used;
    d.observeLatency(this.o.now() - a.startedAt);
    const s = a.signal;
    return {
      model: d.spec.model,
      request: a.value.request,
      head: a.value.head,
      rest: a.value.rest,
      attempts: a.attempts,
      deployment: d.spec,
      end(error: QuarryError | undefined, clientGone: boolean) {
        s?.dispose();
        d.end(error === undefined ? 'ok' : clientGone ? 'neutral' : outcomeOf(error, false));
      },
    };
  }

  /** With `keep`, a successful attempt leaves its deployment busy and its signal live for the caller to end. */
  private async run<T>(
    budget: CallBudget,
    limitMs: number | undefined,
    what: string,
    keep: boolean,
    call: (d: Deployment, signal: AbortSignal) => Promise<T>,
  ): Promise<Attempted<T>> {
    const { o, deployments: ds } = this;
    const maxAttempts = o.policy.retry.maxAttempts;
    o.retryBudget.deposit();
    let excluded = 0;
    let attempts = 0;
    for (let tries = 1; ; tries++) {
      let i = pickDeployment(o.strategy, ds, excluded, this.turn++, o.random);
      // Every available deployment was tried already: any of them may be tried again.
      if (i < 0 && excluded !== 0) i = pickDeployment(o.strategy, ds, 0, this.turn, o.random);
      let thrown: unknown;
      let err: QuarryError;
      if (i < 0) {
        err = this.unavailable();
        thrown = err;
      } else {
        const d = ds[i]!;
        excluded |= bitOf(i);
        attempts++;
        d.begin();
        const startedAt = o.now();
        const signal = limitMs === undefined ? undefined : new AttemptSignal(budget.signal, limitMs, `${what} from deployment ${d.spec.id}`);
        try {
          const value = await call(d, signal?.signal ?? budget.signal);
          if (keep) signal?.stopTimer();
          else {
            signal?.dispose();
            d.observeLatency(o.now() - startedAt);
            d.end('ok');
          }
          // The spec is the answering deployment's id and region as callers see them (no copy on the hot path).
          return { value, model: d.spec.model, attempts, deployment: d.spec, used: d, signal, startedAt };
        } catch (e) {
          signal?.dispose();
          thrown = signal?.timeout ?? e;
          err = asQuarryError(thrown);
          d.end(healthOutcome(err, signal, budget));
        }
      }
      if (tries >= maxAttempts || budget.signal.aborted || !isRetryable(err) || !o.retryBudget.withdraw()) throw thrown;
      if (pickDeployment(o.strategy, ds, excluded, this.turn, o.random) < 0) {
        // An upstream that said when to come back is not asked sooner; one that asked for longer than retries ever
        // wait gets no retry at all, and its Retry-After goes to the client instead.
        const asked = err.retryAfterMs ?? 0;
        if (asked > o.policy.retry.maxDelayMs) throw thrown;
        const wait = Math.max(asked, backoffMs(tries, o.policy.retry.baseDelayMs, o.policy.retry.maxDelayMs, o.random));
        // Sleeping past the deadline would only turn this failure into a timeout.
        if (wait >= budget.remainingMs()) throw thrown;
        if (wait > 0) {
          try {
            await o.sleep(wait, budget.signal);
          } catch {
            throw budget.signal.aborted ? budget.signal.reason : thrown;
          }
        }
      }
    }
  }

  /** Why no deployment could take the call, in the terms that let a client decide what to do. */
  private unavailable(): QuarryError {
    const ds = this.deployments;
    if (ds.every((d) => d.drained)) return new QuarryError('ServiceUnavailableException', `Every deployment of ${this.name} is drained.`);
    // Each deployment not drained is either at capacity or behind an open breaker.
    if (ds.some((d) => !d.drained && d.spec.capacity !== undefined && d.outstanding >= d.spec.capacity)) {
      return new QuarryError('ThrottlingException', `Every deployment of ${this.name} is at capacity or failing; retry shortly.`);
    }
    if (ds.every((d) => d.drained || d.active?.inRotation === false)) {
      return new QuarryError('ServiceUnavailableException', `Every deployment of ${this.name} is drained or failing its health checks; retry shortly.`);
    }
    return new QuarryError('ServiceUnavailableException', `Every deployment of ${this.name} is failing (circuit breakers open or health checks failing); retry shortly.`);
  }
}

function requestFor(req: ConverseRequest, model: ModelInfo): GenerateRequest {
  return withModel(req, model);
}

/** Health verdict on a failed attempt: a client that left says nothing about the deployment; a deadline does. */
function healthOutcome(err: QuarryError, signal: AttemptSignal | undefined, budget: CallBudget): CallOutcome {
  if (signal?.timeout) return 'timeout';
  if (budget.signal.aborted) {
    const reason = budget.signal.reason as { name?: unknown } | undefined;
    return reason?.name === 'TimeoutError' ? 'timeout' : 'neutral';
  }
  return outcomeOf(err, false);
}

async function openToFirstToken(
  request: GenerateRequest,
  d: Deployment,
  signal: AbortSignal,
): Promise<{ request: GenerateRequest; head: StreamPart[]; rest: AsyncIterator<StreamPart> }> {
  const rest = d.spec.provider.stream(request, { signal })[Symbol.asyncIterator]();
  const head: StreamPart[] = [];
  try {
    for (;;) {
      const r = await rest.next();
      if (r.done) throw new QuarryError('ModelErrorException', `Deployment ${d.spec.id} ended its stream before the model produced anything.`);
      const part = r.value;
      if (part.type === 'error') throw part.error;
      head.push(part);
      // Framing parts carry no output; the first delta (or the message's end) is the first token.
      if (part.type !== 'messageStart' && part.type !== 'contentBlockStart' && part.type !== 'contentBlockStop') return { request, head, rest };
    }
  } catch (e) {
    // Closes the provider's stream (and its upstream request) before the attempt is retried elsewhere.
    await rest.return?.().catch(noop);
    throw e;
  }
}
