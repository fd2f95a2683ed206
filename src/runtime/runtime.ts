import { costAllocationTags, countImages, type PriceBook, type UsageMeter } from '../billing/index.js';
import {
  type ConverseRequest,
  type ConverseResult,
  type EmbedRequest,
  type EmbedResult,
  type GenerateRequest,
  type GuardrailRequest,
  type ImageGenerationRequest,
  type ImageGenerationResult,
  type ModelInfo,
  type ModelKind,
  QuarryError,
  type StopReason,
  type StreamPart,
  toQuarryError,
  type Usage,
  withModel,
} from '../core/index.js';
import type { InvocationGuard, InvocationGuards } from '../guardrails/index.js';
import { type Action, foundationModelArn } from '../iam/index.js';
import type { Metrics } from '../metrics/index.js';
import { type ModelCatalog, parseModelId } from '../models/index.js';
import { estimatedUsage, estimateInputTokens } from '../providers/shared/index.js';
import {
  type CacheDirective,
  type CachedAnswer,
  type ExactResponseCache,
  parseCacheDirective,
  type Route,
  type RoutedAnswer,
  type RoutedStream,
  Router,
  type RouterOptions,
  type SemanticProbe,
} from '../routing/index.js';
import { type AdmissionStep, type Admitted, admitAll } from './admission.js';
import { checkContextWindow } from './check-context-window.js';
import { Deadline } from './deadline.js';
import { abortSourceOf, clientGone, type InvocationContext } from './invocation-context.js';
import { answerSize, cachedParts, cachedResult } from './replay-cached.js';
import { CACHE_HIT_OUTCOME, type Metered, meteredOf, settleInvocation } from './settle-invocation.js';
import { wrongKind } from './wrong-kind.js';

export { CACHE_HIT_OUTCOME } from './settle-invocation.js';

export interface RuntimeDeps {
  catalog: ModelCatalog;
  meter: UsageMeter;
  /** The pricing catalog; absent, calls cost what the model's configured pricing says. */
  prices?: PriceBook;
  metrics: Metrics;
  /** Upper bound for one invocation, first byte to last, retries and fallbacks included. */
  timeoutMs: number;
  /** The region in the model ARNs that policies are checked against. */
  region: string;
  /** Deployments, inference profiles, retries, breakers and fallbacks. Absent: each model goes to its one provider. */
  routing?: Omit<RouterOptions, 'catalog' | 'preflight'>;
  /** The exact response cache; off when absent. */
  cache?: ExactResponseCache;
  /** Rate limits, quotas and budgets, run in this order after the policy check (runtime/admission.ts). */
  admission?: AdmissionStep[];
  /** Load shedding (runtime/overload-guard.ts): runs before every other admission step, so a shed request costs nothing. */
  overload?: AdmissionStep;
  /**
   * The ARN of a model resource the account owns that `modelId` names (a provisioned throughput's id or ARN), which
   * the policy check then uses instead of the foundation-model ARN; undefined for any other id.
   */
  accountModelArn?: (accountId: string | undefined, modelId: string) => string | undefined;
  /** Enforces the guardrail a request names (guardrails/invocation-guard.ts); absent, such requests are refused. */
  guardrails?: InvocationGuards;
}

export interface StreamHandle {
  /** The model answering (a fallback's when one took over), known once the first token arrived. */
  model: ModelInfo;
  parts: AsyncIterable<StreamPart>;
}

/** How an admission is settled when the guardrail blocked the prompt and no model was called. */
export const GUARDRAIL_OUTCOME = 'GuardrailIntervened';

/**
 * The invocation pipeline: cache → route (deployment, retries, fallbacks; routing/) → provider → meter → metrics,
 * with the context-window check run by the router before each model it tries. Each step is owned elsewhere (catalog
 * in models/, routing and the cache in routing/, cost in billing/); this class only composes them.
 */
export class Runtime {
  readonly router: Router;

  constructor(private readonly deps: RuntimeDeps) {
    this.router = new Router({ providers: [], config: NO_ROUTING, ...deps.routing, catalog: deps.catalog, preflight: checkContextWindow });
  }

  get cache(): ExactResponseCache | undefined {
    return this.deps.cache;
  }

  async listModels(): Promise<ModelInfo[]> {
    const models = await this.deps.catalog.list();
    return this.router.enabled ? [...models, ...(await this.router.profileModels())] : models;
  }

  async resolveModel(id: string): Promise<{ model: ModelInfo }> {
    if (!this.router.enabled) return this.deps.catalog.resolve(id);
    const route = await this.router.route(id);
    return { model: route.model };
  }

  async converse(ctx: InvocationContext, request: ConverseRequest): Promise<ConverseResult & { model: ModelInfo }> {
    const started = performance.now();
    await this.authorize(ctx, 'bedrock:InvokeModel', request.modelId);
    const guard = request.guardrail && (await this.openGuardrail(ctx, request.guardrail));
    const metered = meteredOf(ctx, request, started);
    const admitted = await this.admit(ctx, request);
    try {
      if (guard) return await this.guardedConverse(guard, redirect(request, admitted), admitted, started, (req) => this.converseAdmitted(ctx, req, metered, admitted));
      return await this.converseAdmitted(ctx, redirect(request, admitted), metered, admitted);
    } catch (e) {
      admitted?.settle({ costUsd: 0, outcome: toQuarryError(e).code });
      throw e;
    }
  }

  private async converseAdmitted(ctx: InvocationContext, req: ConverseRequest, m: Metered, admitted: Admitted | undefined): Promise<ConverseResult & { model: ModelInfo }> {
    const started = m.started;
    const directive = this.directive(ctx);
    const key = directive === 'off' ? undefined : this.deps.cache?.keyFor(req, directive, scopeOf(ctx));
    let semantic: SemanticProbe | undefined;
    if (key !== undefined) {
      const found = await this.lookupCache(ctx, req, key, directive);
      const hit = found.hit;
      semantic = found.semantic;
      if (hit) {
        const result = await cachedResult(hit, Math.round(performance.now() - started));
        await recorded(settleInvocation(this.deps, ctx, hit.model, hit.usage, m, CACHE_HIT_OUTCOME, admitted));
        return withModel(result, hit.model);
      }
    }
    const route = await this.route(req.modelId, 'text');
    const deadline = new Deadline(abortSourceOf(ctx), this.deps.timeoutMs);
    try {
      const answer = await route.generate(req, deadline);
      const result = answer.value;
      result.latencyMs = Math.round(performance.now() - started);
      this.noteRouting(ctx, answer);
      // Committed before the answer is returned: an answer that reached the client always has its record.
      await recorded(settleInvocation(this.deps, ctx, answer.model, result.usage, m, 'ok', admitted, answer.deployment, countImages([result.message])));
      if (key !== undefined) {
        void this.deps
          .cache!.save(key, { model: answer.model, usage: result.usage, result, size: answerSize(result, undefined) }, result.stopReason)
          .then(() => semantic?.remember(key));
      }
      return withModel(result, answer.model);
    } catch (e) {
      if (isUnrecorded(e)) throw e;
      const err = this.failure(ctx, e);
      await settleInvocation(this.deps, ctx, route.model, undefined, m, clientGone(ctx) ? 'ClientClosed' : err, admitted).catch(noop);
      throw err;
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Routes and pulls the stream up to its first token before returning, so that failures which happen before any
   * output (unknown model, throttling, a refused prompt, a deployment down) are retried, fall back, or become a
   * proper HTTP error rather than an in-stream one. After that, failures arrive as `error` parts.
   */
  async converseStream(ctx: InvocationContext, request: ConverseRequest): Promise<StreamHandle> {
    const started = performance.now();
    await this.authorize(ctx, 'bedrock:InvokeModelWithResponseStream', request.modelId);
    const guard = request.guardrail && (await this.openGuardrail(ctx, request.guardrail));
    const metered = meteredOf(ctx, request, started);
    const admitted = await this.admit(ctx, request);
    try {
      if (guard) return await this.guardedStream(guard, redirect(request, admitted), admitted, started, (req) => this.streamAdmitted(ctx, req, metered, admitted));
      return await this.streamAdmitted(ctx, redirect(request, admitted), metered, admitted);
    } catch (e) {
      admitted?.settle({ costUsd: 0, outcome: toQuarryError(e).code });
      throw e;
    }
  }

  private async streamAdmitted(ctx: InvocationContext, req: ConverseRequest, m: Metered, admitted: Admitted | undefined): Promise<StreamHandle> {
    const directive = this.directive(ctx);
    const key = directive === 'off' ? undefined : this.deps.cache?.keyFor(req, directive, scopeOf(ctx));
    let semantic: SemanticProbe | undefined;
    if (key !== undefined) {
      const found = await this.lookupCache(ctx, req, key, directive);
      if (found.hit) return { model: found.hit.model, parts: this.replayStream(ctx, found.hit, m, admitted) };
      semantic = found.semantic;
    }
    const route = await this.route(req.modelId, 'text');
    const deadline = new Deadline(abortSourceOf(ctx), this.deps.timeoutMs);
    let stream: RoutedStream;
    try {
      stream = await route.stream(req, deadline);
    } catch (e) {
      deadline.dispose();
      const err = this.failure(ctx, e);
      await settleInvocation(this.deps, ctx, route.model, undefined, m, clientGone(ctx) ? 'ClientClosed' : err, admitted).catch(noop);
      throw err;
    }
    this.noteRouting(ctx, stream);
    return { model: stream.model, parts: this.meterStream(ctx, stream, m, deadline, key, admitted, semantic) };
  }

  private async *meterStream(
    ctx: InvocationContext,
    s: RoutedStream,
    m: Metered,
    deadline: Deadline,
    key: string | undefined,
    admitted: Admitted | undefined,
    semantic?: SemanticProbe,
  ): AsyncGenerator<StreamPart> {
    let usage: Usage | undefined;
    let outcome = 'ok';
    let failed: QuarryError | undefined;
    let stopReason: StopReason | undefined;
    let settled = false;
    // Kept only so a stream cut short before the provider's usage arrived is still billed for what it produced.
    let produced = '';
    const kept: StreamPart[] | undefined = key === undefined ? undefined : [];
    let i = 0;
    try {
      for (;;) {
        let part: StreamPart;
        if (i < s.head.length) part = s.head[i++]!;
        else {
          const r = await s.rest.next();
          if (r.done) break;
          part = r.value;
        }
        if (part.type === 'contentBlockDelta') {
          const d = part.delta;
          produced += 'text' in d ? d.text : 'toolUse' in d ? d.toolUse.input : (d.reasoningContent.text ?? '');
        }
        if (part.type === 'metadata') {
          usage = part.usage;
          // The usage record is committed before the last part goes out: a client that saw the end of the stream
          // was metered. If it cannot be stored, the stream ends in an error instead of its metadata.
          settled = true;
          const unrecorded = await settleInvocation(this.deps, ctx, s.model, usage, m, clientGone(ctx) ? 'ClientClosed' : 'ok', admitted, s.deployment).then(
            () => undefined,
            unrecordedError,
          );
          if (unrecorded) {
            // Not `failed`: the deployment answered well, and its health must not pay for the store's trouble.
            outcome = unrecorded.code;
            yield { type: 'error', error: unrecorded };
            return;
          }
          yield { ...part, latencyMs: Math.round(performance.now() - m.started) };
          continue;
        }
        if (part.type === 'error') {
          failed = part.error;
          outcome = clientGone(ctx) ? 'ClientClosed' : part.error.code;
          yield part;
          return;
        }
        if (part.type === 'messageStop') stopReason = part.stopReason;
        kept?.push(part);
        yield part;
      }
    } catch (e) {
      failed = this.failure(ctx, e);
      outcome = clientGone(ctx) ? 'ClientClosed' : failed.code;
      yield { type: 'error', error: failed };
    } finally {
      // Reached on normal end, on an error part, and when the consumer stops early (client disconnect): the provider
      // iterator is closed so generation stops, and whatever was used is still metered.
      if (outcome === 'ok' && (clientGone(ctx) || !usage)) outcome = 'ClientClosed';
      await s.rest.return?.().catch(() => undefined);
      deadline.dispose();
      s.end(failed, outcome === 'ClientClosed');
      usage ??= await estimatedUsage(s.request, produced);
      if (!settled) await settleInvocation(this.deps, ctx, s.model, usage, m, failed && outcome === failed.code ? failed : outcome, admitted, s.deployment).catch(noop);
      if (kept && outcome === 'ok' && stopReason) {
        void this.deps
          .cache!.save(key!, { model: s.model, usage, parts: kept, size: answerSize(undefined, kept) }, stopReason)
          .then(() => semantic?.remember(key!));
      }
    }
  }

  private async *replayStream(ctx: InvocationContext, hit: CachedAnswer, m: Metered, admitted: Admitted | undefined): AsyncGenerator<StreamPart> {
    let settled = false;
    try {
      yield* cachedParts(hit);
      settled = true;
      const unrecorded = await settleInvocation(this.deps, ctx, hit.model, hit.usage, m, CACHE_HIT_OUTCOME, admitted).then(() => undefined, unrecordedError);
      if (unrecorded) {
        yield { type: 'error', error: unrecorded };
        return;
      }
      yield { type: 'metadata', usage: hit.usage, latencyMs: Math.round(performance.now() - m.started) };
    } finally {
      if (!settled) await settleInvocation(this.deps, ctx, hit.model, hit.usage, m, CACHE_HIT_OUTCOME, admitted).catch(noop);
    }
  }

  /** The exact cache, then (on a miss, when configured) the semantic one; the probe indexes this prompt once answered. */
  private async lookupCache(ctx: InvocationContext, req: ConverseRequest, key: string, directive: CacheDirective): Promise<{ hit?: CachedAnswer; semantic?: SemanticProbe }> {
    const cache = this.deps.cache!;
    const hit = await cache.lookup(key, directive);
    if (hit || !cache.semantic) return { hit };
    const semantic = await cache.semantic.probe(req, cache.scopeKey(scopeOf(ctx)), directive, ctx.signal);
    if (semantic?.hit) ctx.log.debug({ similarity: semantic.similarity }, 'semantic cache hit');
    return { hit: semantic?.hit, semantic };
  }

  /**
   * A prompt's embedding for the semantic cache: the operator's own call, routed like any other but neither admitted
   * nor metered to the caller, whose invocation it serves (and whose admission slot it already holds).
   */
  async embedPrompt(modelId: string, text: string, signal: AbortSignal): Promise<Float32Array> {
    const route = await this.route(modelId, 'embedding');
    const deadline = new Deadline(signal, this.deps.timeoutMs);
    try {
      const [v] = (await route.embed({ modelId, inputs: [text] }, deadline)).value.embeddings;
      if (!v) throw new QuarryError('ModelErrorException', `Model ${modelId} returned no embedding.`);
      return v instanceof Float32Array ? v : Float32Array.from(v);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * The guardrail a request names, found and authorized (bedrock:ApplyGuardrail) before admission, so a bad reference
   * costs no quota. Public for callers that apply it to content themselves (RetrieveAndGenerate).
   */
  async openGuardrail(ctx: InvocationContext, guardrail: GuardrailRequest): Promise<InvocationGuard> {
    if (!this.deps.guardrails) throw new QuarryError('ValidationException', 'Guardrails are not available on this server; remove the guardrail configuration.');
    return this.deps.guardrails.open(ctx, guardrail);
  }

  /** guardrail(input) → cache → route → provider → meter → guardrail(output). A blocked prompt never reaches a model. */
  private async guardedConverse(
    guard: InvocationGuard,
    request: ConverseRequest,
    admitted: Admitted | undefined,
    started: number,
    next: (req: ConverseRequest) => Promise<ConverseResult & { model: ModelInfo }>,
  ): Promise<ConverseResult & { model: ModelInfo }> {
    const input = await guard.checkInput(request);
    if (input.blocked) {
      admitted?.settle({ costUsd: 0, outcome: GUARDRAIL_OUTCOME });
      return { ...input.result, latencyMs: Math.round(performance.now() - started), model: (await this.resolveModel(request.modelId)).model };
    }
    const result = await next(input.request);
    return { ...(await guard.checkOutput(result)), model: result.model };
  }

  private async guardedStream(
    guard: InvocationGuard,
    request: ConverseRequest,
    admitted: Admitted | undefined,
    started: number,
    next: (req: ConverseRequest) => Promise<StreamHandle>,
  ): Promise<StreamHandle> {
    const input = await guard.checkInput(request);
    if (input.blocked) {
      admitted?.settle({ costUsd: 0, outcome: GUARDRAIL_OUTCOME });
      return { model: (await this.resolveModel(request.modelId)).model, parts: guard.blockedStream(input.result, started) };
    }
    const handle = await next(input.request);
    return { model: handle.model, parts: guard.guardStream(handle.parts) };
  }

  async embed(ctx: InvocationContext, request: EmbedRequest): Promise<EmbedResult & { model: ModelInfo }> {
    await this.authorize(ctx, 'bedrock:InvokeModel', request.modelId);
    const metered: Metered = { started: performance.now(), tags: costAllocationTags(ctx.tags, undefined), images: 0 };
    const admitted = await this.admitEmbedding(ctx, request);
    try {
      return await this.embedAdmitted(ctx, redirect(request, admitted), metered, admitted);
    } catch (e) {
      admitted?.settle({ costUsd: 0, outcome: toQuarryError(e).code });
      throw e;
    }
  }

  private async embedAdmitted(ctx: InvocationContext, req: EmbedRequest, m: Metered, admitted: Admitted | undefined): Promise<EmbedResult & { model: ModelInfo }> {
    const route = await this.route(req.modelId, 'embedding');
    if (!route.provider.embed) throw new QuarryError('ValidationException', `Model ${route.model.id} does not produce embeddings.`);
    const deadline = new Deadline(abortSourceOf(ctx), this.deps.timeoutMs);
    try {
      const answer = await route.embed(req, deadline);
      const result = answer.value;
      this.noteRouting(ctx, answer);
      const usage = { inputTokens: result.inputTokens, outputTokens: 0, totalTokens: result.inputTokens };
      await recorded(settleInvocation(this.deps, ctx, answer.model, usage, m, 'ok', admitted, answer.deployment));
      return withModel(result, answer.model);
    } catch (e) {
      if (isUnrecorded(e)) throw e;
      const err = this.failure(ctx, e);
      await settleInvocation(this.deps, ctx, route.model, undefined, m, clientGone(ctx) ? 'ClientClosed' : err, admitted).catch(noop);
      throw err;
    } finally {
      deadline.dispose();
    }
  }

  /** Text to image: authorized, admitted and metered like converse; the usage record counts the images, priced per image. */
  async generateImages(ctx: InvocationContext, request: ImageGenerationRequest): Promise<ImageGenerationResult & { model: ModelInfo }> {
    await this.authorize(ctx, 'bedrock:InvokeModel', request.modelId);
    const m: Metered = { started: performance.now(), tags: costAllocationTags(ctx.tags, undefined), images: 0 };
    const steps = this.steps();
    // A prompt is plain text (about four characters a token); image models bill by the image, so no output tokens.
    const estimate = Math.ceil(request.prompt.length / 4);
    const admitted = steps?.length ? await admitAll(steps, { ctx, modelId: request.modelId, maxTokens: 0, inputTokens: () => Promise.resolve(estimate) }) : undefined;
    const req = redirect(request, admitted);
    let route: Route | undefined;
    const deadline = new Deadline(abortSourceOf(ctx), this.deps.timeoutMs);
    try {
      route = await this.route(req.modelId, 'image');
      const answer = await route.generateImages(req, deadline);
      this.noteRouting(ctx, answer);
      await recorded(settleInvocation(this.deps, ctx, answer.model, NO_TOKENS, m, 'ok', admitted, answer.deployment, answer.value.images.length));
      return withModel(answer.value, answer.model);
    } catch (e) {
      if (isUnrecorded(e) || !route) {
        admitted?.settle({ costUsd: 0, outcome: toQuarryError(e).code });
        throw e;
      }
      const err = this.failure(ctx, e);
      await settleInvocation(this.deps, ctx, route.model, undefined, m, clientGone(ctx) ? 'ClientClosed' : err, admitted).catch(noop);
      throw err;
    } finally {
      deadline.dispose();
    }
  }

  /** Exact where the provider has the tokenizer, otherwise an o200k estimate. */
  async countTokens(ctx: InvocationContext, req: ConverseRequest): Promise<{ inputTokens: number; model: ModelInfo }> {
    await this.authorize(ctx, 'bedrock:CountTokens', req.modelId);
    const { model, provider } = await this.route(req.modelId, 'any');
    const greq: GenerateRequest = withModel(req, model);
    if (provider.countTokens) return { inputTokens: await provider.countTokens(greq), model };
    return { inputTokens: await estimateInputTokens(req), model };
  }

  /**
   * The policy check, first of all (a cached answer is an answer too). Policies name the model as the caller did: an
   * inference-profile id is checked both as given and as the model under it, as Bedrock checks both.
   */
  private async authorize(ctx: InvocationContext, action: Action, modelId: string): Promise<void> {
    // Administrators skip the check and the ARN building: this is on every invocation's path.
    if (!ctx.authorize || ctx.principal.isAdmin) return;
    // A model resource the caller's account owns (a provisioned throughput) is checked as its own ARN.
    const owned = this.deps.accountModelArn?.(ctx.principal.accountId, modelId);
    if (owned) return ctx.authorize(action, owned);
    const { id, fallback } = parseModelId(modelId);
    await ctx.authorize(action, modelArnFor(this.deps.region, id));
    if (fallback) await ctx.authorize(action, modelArnFor(this.deps.region, fallback));
  }

  /** The admission steps of one invocation: load shedding first, then the configured ones. */
  private steps(): readonly AdmissionStep[] | undefined {
    const { overload, admission } = this.deps;
    return overload ? [overload, ...(admission ?? [])] : admission;
  }

  private admit(ctx: InvocationContext, req: ConverseRequest): Promise<Admitted | undefined> {
    const steps = this.steps();
    if (!steps?.length) return Promise.resolve(undefined);
    return admitAll(steps, { ctx, modelId: req.modelId, maxTokens: req.inferenceConfig?.maxTokens, inputTokens: once(() => estimateInputTokens(req)) });
  }

  private admitEmbedding(ctx: InvocationContext, req: EmbedRequest): Promise<Admitted | undefined> {
    const steps = this.steps();
    if (!steps?.length) return Promise.resolve(undefined);
    // Roughly four characters a token: an embedding's input is plain text, and the exact count settles afterwards.
    const estimate = Math.ceil(req.inputs.reduce((n, t) => n + t.length, 0) / 4);
    return admitAll(steps, { ctx, modelId: req.modelId, maxTokens: 0, inputTokens: () => Promise.resolve(estimate) });
  }

  private async route(id: string, kind: ModelKind | 'any'): Promise<Route> {
    const route = await this.router.route(id);
    if (kind !== 'any' && route.model.kind !== kind) throw new QuarryError('ValidationException', wrongKind(route.model, kind));
    return route;
  }

  private directive(ctx: InvocationContext): CacheDirective {
    return this.deps.cache ? parseCacheDirective(ctx.cache) : 'off';
  }

  /** Retries and fallbacks are worth a line each: they are how an outage shows before it becomes errors. */
  private noteRouting(ctx: InvocationContext, a: Pick<RoutedAnswer<unknown>, 'attempts' | 'fallback' | 'model'>): void {
    if (a.attempts > 1 || a.fallback) ctx.log.info({ model: a.model.id, attempts: a.attempts, fallback: a.fallback }, 'invocation needed a retry or a fallback');
  }

  private failure(ctx: InvocationContext, e: unknown): QuarryError {
    if (e instanceof DOMException && e.name === 'TimeoutError') {
      return new QuarryError('ModelTimeoutException', `The model did not finish within ${this.deps.timeoutMs} ms.`);
    }
    const err = toQuarryError(e);
    if (err.code === 'InternalServerException') ctx.log.error({ err: e }, 'invocation failed unexpectedly');
    return err;
  }

}

const UNRECORDED = Symbol('unrecorded');
const noop = (): void => undefined;

function unrecordedError(cause: unknown): QuarryError {
  const err = new QuarryError('ServiceUnavailableException', 'The usage of this invocation could not be recorded, so its answer is withheld. Try again.', { cause });
  return Object.assign(err, { [UNRECORDED]: true });
}

const isUnrecorded = (e: unknown): boolean => typeof e === 'object' && e !== null && UNRECORDED in e;

/** An answer whose usage could not be stored is not given out: metering would lose it. */
async function recorded(commit: Promise<void>): Promise<void> {
  try {
    await commit;
  } catch (e) {
    throw unrecordedError(e);
  }
}

function redirect<R extends { modelId: string }>(req: R, admitted: Admitted | undefined): R {
  return admitted?.modelId === undefined ? req : { ...req, modelId: admitted.modelId };
}

function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

const NO_TOKENS: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

const NO_ROUTING = { deployments: [], inferenceProfiles: [], fallbacks: {} };

function scopeOf(ctx: InvocationContext): { principalId: string; accountId?: string } {
  return { principalId: ctx.principal.id, accountId: ctx.principal.accountId };
}

/** A model id that cannot be an ARN segment (a hostile path) is refused rather than checked in some cleaned-up form. */
function modelArnFor(region: string, id: string): string {
  try {
    return foundationModelArn(region, id);
  } catch {
    throw new QuarryError('ValidationException', `${id} is not a valid model identifier.`);
  }
}
