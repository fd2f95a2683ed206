import {
  type ConverseRequest,
  type ConverseResult,
  type EmbedRequest,
  type EmbedResult,
  type GenerateRequest,
  type ModelInfo,
  type ModelProvider,
  QuarryError,
  type StreamPart,
  type Usage,
  toQuarryError,
} from '../core/index.js';
import { costOf, type UsageMeter } from '../billing/index.js';
import type { Metrics } from '../metrics/index.js';
import type { ModelCatalog } from '../models/index.js';
import { estimatedUsage, estimateInputTokens } from '../providers/shared/index.js';
import { checkContextWindow } from './check-context-window.js';
import { Deadline } from './deadline.js';
import type { InvocationContext } from './invocation-context.js';

export interface RuntimeDeps {
  catalog: ModelCatalog;
  meter: UsageMeter;
  metrics: Metrics;
  /** Upper bound for one invocation, first byte to last. */
  timeoutMs: number;
}

export interface StreamHandle {
  model: ModelInfo;
  parts: AsyncIterable<StreamPart>;
}

/**
 * The invocation pipeline: resolve → validate → provider → meter → metrics. Each step is owned elsewhere
 * (catalog in models/, cost in billing/); this class only composes them. Authorization, admission, guardrails,
 * caching and routing slot in here as their issues land.
 */
export class Runtime {
  constructor(private readonly deps: RuntimeDeps) {}

  listModels(): Promise<ModelInfo[]> {
    return this.deps.catalog.list();
  }

  resolveModel(id: string) {
    return this.deps.catalog.resolve(id);
  }

  async converse(ctx: InvocationContext, req: ConverseRequest): Promise<ConverseResult & { model: ModelInfo }> {
    const started = performance.now();
    const { model, provider } = await this.prepare(req, 'text');
    const greq: GenerateRequest = { ...req, model };
    const deadline = new Deadline(ctx.signal, this.deps.timeoutMs);
    try {
      await checkContextWindow(greq);
      const result = await provider.generate(greq, { signal: deadline.signal });
      result.latencyMs = Math.round(performance.now() - started);
      this.settle(ctx, model, result.usage, started, 'ok');
      return { ...result, model };
    } catch (e) {
      const err = this.failure(ctx, e);
      this.settle(ctx, model, undefined, started, ctx.signal.aborted ? 'ClientClosed' : err.code);
      throw err;
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Resolves the model and pulls the provider's first part before returning, so that failures which happen before
   * any output (unknown model, throttling, a refused prompt) still become a proper HTTP error rather than an
   * in-stream one. After that, failures arrive as `error` parts.
   */
  async converseStream(ctx: InvocationContext, req: ConverseRequest): Promise<StreamHandle> {
    const started = performance.now();
    const { model, provider } = await this.prepare(req, 'text');
    const greq: GenerateRequest = { ...req, model };
    let iterator: AsyncIterator<StreamPart>;
    let first: IteratorResult<StreamPart>;
    const deadline = new Deadline(ctx.signal, this.deps.timeoutMs);
    try {
      await checkContextWindow(greq);
      iterator = provider.stream(greq, { signal: deadline.signal })[Symbol.asyncIterator]();
      first = await iterator.next();
      if (!first.done && first.value.type === 'error') throw first.value.error;
    } catch (e) {
      deadline.dispose();
      const err = this.failure(ctx, e);
      this.settle(ctx, model, undefined, started, ctx.signal.aborted ? 'ClientClosed' : err.code);
      throw err;
    }
    return { model, parts: this.meterStream(ctx, greq, iterator, first, started, deadline) };
  }

  private async *meterStream(
    ctx: InvocationContext,
    req: GenerateRequest,
    iterator: AsyncIterator<StreamPart>,
    first: IteratorResult<StreamPart>,
    started: number,
    deadline: Deadline,
  ): AsyncGenerator<StreamPart> {
    let usage: Usage | undefined;
    let outcome = 'ok';
    let current = first;
    // Kept only so a stream cut short before the provider's usage arrived is still billed for what it produced.
    let produced = '';
    try {
      while (!current.done) {
        const part = current.value;
        if (part.type === 'contentBlockDelta') {
          const d = part.delta;
          produced += 'text' in d ? d.text : 'toolUse' in d ? d.toolUse.input : (d.reasoningContent.text ?? '');
        }
        if (part.type === 'metadata') {
          usage = part.usage;
          yield { ...part, latencyMs: Math.round(performance.now() - started) };
        } else {
          if (part.type === 'error') outcome = ctx.signal.aborted ? 'ClientClosed' : part.error.code;
          yield part;
        }
        if (part.type === 'error') return;
        current = await iterator.next();
      }
    } catch (e) {
      const err = this.failure(ctx, e);
      outcome = ctx.signal.aborted ? 'ClientClosed' : err.code;
      yield { type: 'error', error: err };
    } finally {
      // Reached on normal end, on an error part, and when the consumer stops early (client disconnect): the provider
      // iterator is closed so generation stops, and whatever was used is still metered.
      if (outcome === 'ok' && (ctx.signal.aborted || !usage)) outcome = 'ClientClosed';
      await iterator.return?.().catch(() => undefined);
      deadline.dispose();
      usage ??= await estimatedUsage(req, produced);
      this.settle(ctx, req.model, usage, started, outcome);
    }
  }

  async embed(ctx: InvocationContext, req: EmbedRequest): Promise<EmbedResult & { model: ModelInfo }> {
    const started = performance.now();
    const { model, provider } = await this.prepare(req, 'embedding');
    if (!provider.embed) throw new QuarryError('ValidationException', `Model ${model.id} does not produce embeddings.`);
    const deadline = new Deadline(ctx.signal, this.deps.timeoutMs);
    try {
      const result = await provider.embed({ ...req, model }, { signal: deadline.signal });
      this.settle(ctx, model, { inputTokens: result.inputTokens, outputTokens: 0, totalTokens: result.inputTokens }, started, 'ok');
      return { ...result, model };
    } catch (e) {
      const err = this.failure(ctx, e);
      this.settle(ctx, model, undefined, started, ctx.signal.aborted ? 'ClientClosed' : err.code);
      throw err;
    } finally {
      deadline.dispose();
    }
  }

  /** Exact where the provider has the tokenizer, otherwise an o200k estimate. */
  async countTokens(_ctx: InvocationContext, req: ConverseRequest): Promise<{ inputTokens: number; model: ModelInfo }> {
    const { model, provider } = await this.prepare(req, 'any');
    const greq: GenerateRequest = { ...req, model };
    if (provider.countTokens) return { inputTokens: await provider.countTokens(greq), model };
    return { inputTokens: await estimateInputTokens(req), model };
  }

  private async prepare(req: { modelId: string }, kind: 'text' | 'embedding' | 'any'): Promise<{ model: ModelInfo; provider: ModelProvider }> {
    const resolved = await this.deps.catalog.resolve(req.modelId);
    if (kind !== 'any' && resolved.model.kind !== kind) {
      throw new QuarryError(
        'ValidationException',
        resolved.model.kind === 'embedding'
          ? `Model ${resolved.model.id} is an embedding model; call it through the embeddings API (or InvokeModel), not chat.`
          : `Model ${resolved.model.id} is a text model and does not produce embeddings.`,
      );
    }
    return resolved;
  }


  private failure(ctx: InvocationContext, e: unknown): QuarryError {
    if (e instanceof DOMException && e.name === 'TimeoutError') {
      return new QuarryError('ModelTimeoutException', `The model did not finish within ${this.deps.timeoutMs} ms.`);
    }
    const err = toQuarryError(e);
    if (err.code === 'InternalServerException') ctx.log.error({ err: e }, 'invocation failed unexpectedly');
    return err;
  }

  private settle(ctx: InvocationContext, model: ModelInfo, usage: Usage | undefined, started: number, outcome: string): void {
    const ms = performance.now() - started;
    const input = usage?.inputTokens ?? 0;
    const output = usage?.outputTokens ?? 0;
    this.deps.metrics.observe({ model: model.id, api: ctx.api, outcome, seconds: ms / 1000, inputTokens: input, outputTokens: output });
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
      cost_usd: usage ? costOf(usage, model.pricing) : 0,
      latency_ms: Math.round(ms),
      outcome,
    });
    ctx.log.debug({ model: model.id, api: ctx.api, outcome, inputTokens: input, outputTokens: output, ms: Math.round(ms) }, 'invocation');
  }
}
