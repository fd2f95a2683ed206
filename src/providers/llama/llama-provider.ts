import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Llama, LlamaContextSequence, Token } from 'node-llama-cpp';
import {
  type CallOptions,
  type ConverseResult,
  collectStream,
  type GenerateRequest,
  type ModelInfo,
  type ModelProvider,
  type ProviderFactory,
  type ProviderSettings,
  QuarryError,
  type StreamPart,
  toQuarryError,
} from '../../core/index.js';
import { describeGguf, discoverGguf } from './discover-gguf.js';
import { JsonGrammarCache } from './json-grammar-cache.js';
import { type LlamaOptions, parseLlamaOptions } from './llama-options.js';
import { LoadedModel } from './loaded-model.js';
import { prepareRequest, renderPrompt } from './prepare-request.js';
import { resolveGgufPath } from './resolve-gguf-path.js';
import { acquireLlama, releaseLlama } from './shared-llama.js';
import { streamLlamaChat } from './stream-llama-chat.js';

/**
 * The embedded engine: GGUF models run in this process through node-llama-cpp. Models load on first use and stay
 * loaded; each holds `sequences` KV caches that concurrent requests share through a pool.
 */
export function createLlamaProvider(settings: ProviderSettings): LlamaProvider {
  return new LlamaProvider(settings);
}
createLlamaProvider satisfies ProviderFactory;

export class LlamaProvider implements ModelProvider {
  readonly id: string;
  readonly type = 'llama';
  private readonly options: LlamaOptions;
  private readonly modelsDir: string;
  private llama?: Promise<Llama>;
  private grammars?: JsonGrammarCache;
  private readonly models = new Map<string, Promise<LoadedModel>>();
  /** Abort handles of running requests, so close() can stop them. */
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(private readonly settings: ProviderSettings) {
    this.id = settings.id;
    this.options = parseLlamaOptions(settings.id, settings.options);
    this.modelsDir = join(settings.dataDir, 'models');
  }

  async listModels(): Promise<ModelInfo[]> {
    const { models } = await discoverGguf(this.modelsDir, this.id, this.options);
    const byId = new Map(models.map((m) => [m.id, m]));
    // Configured entries win over discovered ones of the same id; they only borrow the context size from the file.
    for (const configured of this.settings.models) {
      let entry = configured;
      if (entry.contextWindow === undefined) {
        const described = await describeGguf(resolveGgufPath(this.modelsDir, configured.upstreamModel), this.id, this.options);
        if (!('reason' in described)) entry = { ...configured, contextWindow: described.contextWindow };
      }
      byId.set(entry.id, entry);
    }
    return [...byId.values()];
  }

  /**
   * The engine is in this process, so there is no upstream to ask: healthy while open. A model still loading is not
   * waited for (a large one takes longer than any check's timeout), and a failed load is dropped and retried on the
   * next call, so neither says the provider cannot serve.
   */
  async probe(): Promise<void> {
    if (this.closed) throw new QuarryError('ServiceUnavailableException', `Provider ${this.id} is closed.`);
  }

  generate(req: GenerateRequest, opts: CallOptions): Promise<ConverseResult> {
    return collectStream(this.stream(req, opts));
  }

  async *stream(req: GenerateRequest, opts: CallOptions): AsyncGenerator<StreamPart> {
    const abort = new AbortController();
    const onAbort = () => abort.abort(opts.signal.reason);
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener('abort', onAbort, { once: true });
    this.inFlight.add(abort);
    try {
      const loaded = await this.load(req.model);
      const prep = await prepareRequest(req, loaded, await this.grammarCache());
      const lease = await loaded.pool.acquire((c) => cacheValue(c.sequence, prep.tokens, prep.cachePointTokens), abort.signal);
      try {
        yield* streamLlamaChat(lease.item, prep, abort.signal, (run) => {
          loaded.track(run);
          // The sequence is free once the engine stops, even if the consumer never reads the rest (nor calls return()).
          void run.finally(() => lease.release());
        });
      } finally {
        lease.release();
      }
    } catch (e) {
      yield { type: 'error', error: toQuarryError(e) };
    } finally {
      opts.signal.removeEventListener('abort', onAbort);
      this.inFlight.delete(abort);
    }
  }

  /** Exact: the model's chat template applied, tool documentation included, as the engine would evaluate it. */
  async countTokens(req: GenerateRequest): Promise<number> {
    return renderPrompt(req, await this.load(req.model)).tokens.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const reason = new QuarryError('ServiceUnavailableException', `Provider ${this.id} is shutting down.`);
    // Generations stop at the next token; dispose() then waits for them, not for consumers that may never read again.
    for (const abort of this.inFlight) abort.abort(reason);
    const loaded = await Promise.allSettled(this.models.values());
    this.models.clear();
    for (const r of loaded) if (r.status === 'fulfilled') await r.value.dispose();
    if (this.llama) {
      this.llama = undefined;
      await releaseLlama(this.options.gpu);
    }
  }

  private engine(): Promise<Llama> {
    this.llama ??= acquireLlama(this.options.gpu).catch((e: unknown) => {
      this.llama = undefined;
      void releaseLlama(this.options.gpu);
      throw new QuarryError('ModelErrorException', `The embedded llama.cpp engine could not start: ${message(e)}`, { cause: e });
    });
    return this.llama;
  }

  private async grammarCache(): Promise<JsonGrammarCache> {
    this.grammars ??= new JsonGrammarCache(await this.engine());
    return this.grammars;
  }

  private load(model: ModelInfo): Promise<LoadedModel> {
    if (this.closed) return Promise.reject(new QuarryError('ServiceUnavailableException', `Provider ${this.id} is closed.`));
    const path = resolveGgufPath(this.modelsDir, model.upstreamModel);
    let loading = this.models.get(path);
    if (!loading) {
      loading = this.loadFile(model, path);
      this.models.set(path, loading);
      // A failed load is not cached: the file may be fixed or finish downloading.
      loading.catch(() => this.models.delete(path));
    }
    return loading;
  }

  private async loadFile(model: ModelInfo, path: string): Promise<LoadedModel> {
    try {
      await stat(path);
    } catch {
      throw new QuarryError('ResourceNotFoundException', `The GGUF file for model ${model.id} was not found at ${path}.`);
    }
    const llama = await this.engine();
    try {
      return await LoadedModel.load(llama, path, this.options);
    } catch (e) {
      throw new QuarryError('ModelErrorException', `Model ${model.id} could not be loaded from ${path}: ${message(e)}`, { cause: e });
    }
  }
}

/**
 * What taking this sequence is worth: the prompt tokens it already holds, but only when they are at least half of what
 * it holds. Every prompt shares the template's first tokens (BOS, `<|im_start|>user`), so a plain longest-prefix rule
 * would hand a new chat the cache of some other conversation and evict it; below the threshold all sequences score 0
 * and the pool falls back to the least recently used one, which keeps the freshest conversations cached. A sequence
 * holding the whole of the request's cachePoint prefix is worth its match even below the threshold: reusing that
 * prefix is what the client asked for, and several conversations sharing one long system prompt all want it.
 */
function cacheValue(sequence: LlamaContextSequence, tokens: Token[], cachePointTokens: number): number {
  const match = sequence.compareContextTokens(tokens).firstDifferentIndex;
  return match * 2 >= sequence.nextTokenIndex || (cachePointTokens > 0 && match >= cachePointTokens) ? match : 0;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
