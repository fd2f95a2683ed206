import {
  type ConverseRequest,
  type ConverseResult,
  type EmbedRequest,
  type EmbedResult,
  type GenerateRequest,
  type ModelInfo,
  QuarryError,
  type StreamPart,
  type StopReason,
  type Usage,
  toQuarryError,
} from '../core/index.js';
import { costOf, type UsageMeter } from '../billing/index.js';
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
} from '../routing/index.js';
import { checkContextWindow } from './check-context-window.js';
import { Deadline } from './deadline.js';
import type { InvocationContext } from './invocation-context.js';
import { answerSize, cachedParts, cachedResult } from './replay-cached.js';

export interface RuntimeDeps {
  catalog: ModelCatalog;
  meter: UsageMeter;
  metrics: Metrics;
  /** Upper bound for one invocation, first byte to last, retries and fallbacks included. */
  timeoutMs: number;
  /** The region in the model ARNs that policies are checked against. */
  region: string;
  /** Deployments, inference profiles, retries, breakers and fallbacks. Absent: each model goes to its one provider. */
  routing?: Omit<RouterOptions, 'catalog' | 'preflight'>;
  /** The exact response cache; off when absent. */
  cache?: ExactResponseCache;
}

export interface StreamHandle {
  /** The model answering (a fallback's when one took over), known once the first token arrived. */
  model: ModelInfo;
  parts: AsyncIterable<StreamPart>;
}

/** The usage record's outcome for an answer served from the response cache. */
export const CACHE_HIT_OUTCOME = 'CacheHit';

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

  async converse(ctx: InvocationContext, req: ConverseRequest): Promise<ConverseResult & { model: ModelInfo }> {
    const started = performance.now();
    await this.authorize(ctx, 'bedrock:InvokeModel', req.modelId);
    const directive = this.directive(ctx);
    const key = directive === 'off' ? undefined : this.deps.cache?.keyFor(req, directive, scopeOf(ctx));
    if (key !== undefined) {
      const hit = await this.deps.cache!.lookup(key, directive);
      if (hit) {
        const result = await cachedResult(hit, Math.round(performance.now() - started));
        this.settle(ctx, hit.model, hit.usage, started, CACHE_HIT_OUTCOME);
        return { ...result, model: hit.model };
      }
    }
    const route = await this.route(req.modelId, 'text');
    const deadline = new Deadline(ctx.signal, this.deps.timeoutMs);
    try {
      const answer = await route.generate(req, deadline);
      const result = answer.value;
      result.latencyMs = Math.round(performance.now() - started);
      this.noteRouting(ctx, answer);
      this.settle(ctx, answer.model, result.usage, started, 'ok');
      if (key !== undefined) {
        void this.deps.cache!.save(key, { model: answer.model, usage: result.usage, result, size: answerSize(result, undefined) }, result.stopReason);
      }
      return { ...result, model: answer.model };
    } catch (e) {
      const err = this.failure(ctx, e);
      this.settle(ctx, route.model, undefined, started, ctx.signal.aborted ? 'ClientClosed' : err.code);
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
  async converseStream(ctx: InvocationContext, req: ConverseRequest): Promise<StreamHandle> {
    const started = performance.now();
    await this.authorize(ctx, 'bedrock:InvokeModelWithResponseStream', req.modelId);
    const directive = this.directive(ctx);
    const key = directive === 'off' ? undefined : this.deps.cache?.keyFor(req, directive, scopeOf(ctx));
    if (key !== undefined) {
      const hit = await this.deps.cache!.lookup(key, directive);
      if (hit) return { model: hit.model, parts: this.replayStream(ctx, hit, started) };
    }
    const route = await this.route(req.modelId, 'text');
    const deadline = new Deadline(ctx.signal, this.deps.timeoutMs);
    let stream: RoutedStream;
    try {
      stream = await route.stream(req, deadline);
    } catch (e) {
      deadline.dispose();
      const err = this.failure(ctx, e);
      this.settle(ctx, route.model, undefined, started, ctx.signal.aborted ? 'ClientClosed' : err.code);
      throw err;
    }
    this.noteRouting(ctx, stream);
    return { model: stream.model, parts: this.meterStream(ctx, stream, started, deadline, key) };
  }

  private async *meterStream(ctx: InvocationContext, s: RoutedStream, started: number, deadline: Deadline, key: string | undefined): AsyncGenerator<StreamPart> {
    let usage: Usage | undefined;
    let outcome = 'ok';
    let failed: QuarryError | undefined;
    let stopReason: StopReason | undefined;
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
          yield { ...part, latencyMs: Math.round(performance.now() - started) };
          continue;
        }
        if (part.type === 'error') {
          failed = part.error;
          outcome = ctx.signal.aborted ? 'ClientClosed' : part.error.code;
          yield part;
          return;
        }
        if (part.type === 'messageStop') stopReason = part.stopReason;
        kept?.push(part);
        yield part;
      }
    } catch (e) {
      failed = this.failure(ctx, e);
      outcome = ctx.signal.aborted ? 'ClientClosed' : failed.code;
      yield { type: 'error', error: failed };
    } finally {
      // Reached on normal end, on an error part, and when the consumer stops early (client disconnect): the provider
      // iterator is closed so generation stops, and whatever was used is still metered.
      if (outcome === 'ok' && (ctx.signal.aborted || !usage)) outcome = 'ClientClosed';
      await s.rest.return?.().catch(() => undefined);
      deadline.dispose();
      s.end(failed, outcome === 'ClientClosed');
      usage ??= await estimatedUsage(s.request, produced);
      this.settle(ctx, s.model, usage, started, outcome);
      if (kept && outcome === 'ok' && stopReason) {
        void this.deps.cache!.save(key!, { model: s.model, usage, parts: kept, size: answerSize(undefined, kept) }, stopReason);
      }
    }
  }

  private async *replayStream(ctx: InvocationContext, hit: CachedAnswer, started: number): AsyncGenerator<StreamPart> {
    try {
      yield* cachedParts(hit);
      yield { type: 'metadata', usage: hit.usage, latencyMs: Math.round(performance.now() - started) };
    } finally {
      this.settle(ctx, hit.model, hit.usage, started, CACHE_HIT_OUTCOME);
    }
  }

  async embed(ctx: InvocationContext, req: EmbedRequest): Promise<EmbedResult & { model: ModelInfo }> {
    await this.authorize(ctx, 'bedrock:InvokeModel', req.modelId);
    const started = performance.now();
    const route = await this.route(req.modelId, 'embedding');
    if (!route.provider.embed) throw new QuarryError('ValidationException', `Model ${route.model.id} does not produce embeddings.`);
    const deadline = new Deadline(ctx.signal, this.deps.timeoutMs);
    try {
      const answer = await route.embed(req, deadline);
      const result = answer.value;
      this.noteRouting(ctx, answer);
      this.settle(ctx, answer.model, { inputTokens: result.inputTokens, outputTokens: 0, totalTokens: result.inputTokens }, started, 'ok');
      return { ...result, model: answer.model };
    } catch (e) {
      const err = this.failure(ctx, e);
      this.settle(ctx, route.model, undefined, started, ctx.signal.aborted ? 'ClientClosed' : err.code);
      throw err;
    } finally {
      deadline.dispose();
    }
  }

  /** Exact where the provider has the tokenizer, otherwise an o200k estimate. */
  async countTokens(ctx: InvocationContext, req: ConverseRequest): Promise<{ inputTokens: number; model: ModelInfo }> {
    await this.authorize(ctx, 'bedrock:CountTokens', req.modelId);
    const { model, provider } = await this.route(req.modelId, 'any');
    const greq: GenerateRequest = { ...req, model };
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
    const { id, fallback } = parseModelId(modelId);
    await ctx.authorize(action, modelArnFor(this.deps.region, id));
    if (fallback) await ctx.authorize(action, modelArnFor(this.deps.region, fallback));
  }

  private async route(id: string, kind: 'text' | 'embedding' | 'any'): Promise<Route> {
    const route = await this.router.route(id);
    const model = route.model;
    if (kind !== 'any' && model.kind !== kind) {
      throw new QuarryError(
        'ValidationException',
        model.kind === 'embedding'
          ? `Model ${model.id} is an embedding model; call it through the embeddings API (or InvokeModel), not chat.`
          : `Model ${model.id} is a text model and does not produce embeddings.`,
      );
    }
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

  /**
   * One usage record and one metrics observation per invocation, whatever retries or fallbacks it took, naming the
   * model that answered. A cache hit is recorded with the tokens it served and no cost (what it saved is those
   * tokens at list price); for metrics it is a success that processed no tokens.
   */
  private settle(ctx: InvocationContext, model: ModelInfo, usage: Usage | undefined, started: number, outcome: string): void {
    const ms = performance.now() - started;
    const input = usage?.inputTokens ?? 0;
    const output = usage?.outputTokens ?? 0;
    const hit = outcome === CACHE_HIT_OUTCOME;
    const cost = usage ? costOf(usage, model.pricing) : 0;
    if (hit) this.deps.cache?.recordSaving(cost);
    this.deps.metrics.observe({
      model: model.id,
      api: ctx.api,
      outcome: hit ? 'ok' : outcome,
      seconds: ms / 1000,
      inputTokens: hit ? 0 : input,
      outputTokens: hit ? 0 : output,
    });
    this.deps.meter.record({
      request_id: ctx.requestId,
      time: new Date().toISOString(),
      principal: ctx.principal.id,
      key_id: ctx.principal.keyId,
      model_id: model.id,
      api: ctx.api,
      input_tokens: input,
      output_tokens: output,
      cache_read_tokens: usage?.cacheReadInputTokens ?? 0,
      cache_write_tokens: usage?.cacheWriteInputTokens ?? 0,
      cost_usd: hit ? 0 : cost,
      latency_ms: Math.round(ms),
      outcome,
    });
    ctx.log.debug({ model: model.id, api: ctx.api, outcome, inputTokens: input, outputTokens: output, ms: Math.round(ms) }, 'invocation');
  }
}

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
