import { Ollama } from 'ollama';
import type {
  CallOptions,
  ConverseResult,
  EmbedRequest,
  EmbedResult,
  GenerateRequest,
  ModelInfo,
  ModelProvider,
  ProviderFactory,
  StreamPart,
} from '../../core/index.js';
import { startDeadline } from '../shared/call-deadline.js';
import { discoverOllamaModels } from './discover-ollama-models.js';
import { fromOllamaChat } from './from-ollama-chat.js';
import { mapOllamaError, upstreamReturned } from './map-ollama-error.js';
import { ollamaFetch } from './ollama-fetch.js';
import { parseOllamaOptions } from './ollama-options.js';
import { ollamaChatChunkSchema, ollamaEmbedSchema, ollamaTagsSchema } from './ollama-schemas.js';
import { OllamaStreamMapper } from './ollama-stream-mapper.js';
import { toOllamaChat } from './to-ollama-chat.js';

export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434';

/**
 * Ollama's native API through the `ollama` client: `/api/chat` (tools, `format` JSON schema, thinking),
 * `/api/embed`, and `/api/tags` + `/api/show` to list what is pulled. The native API rather than Ollama's
 * OpenAI-compatible one, because only the native API takes a JSON schema, `think`, `keep_alive` and model options.
 */
export const createOllamaProvider: ProviderFactory = (settings) => {
  const options = parseOllamaOptions(settings.id, settings.options);
  const baseUrl = settings.baseUrl ?? DEFAULT_OLLAMA_URL;
  // A client per call is a few object allocations; it is how each call gets its own abort signal, which the
  // client's non-streaming methods do not take.
  const clientFor = (signal: AbortSignal) => new Ollama({ host: baseUrl, fetch: ollamaFetch(signal, baseUrl), headers: options.headers });
  const deadline = (signal: AbortSignal) => startDeadline(signal, settings.timeoutMs, baseUrl);
  const showCache = new Map<string, ModelInfo>();

  async function generate(req: GenerateRequest, opts: CallOptions): Promise<ConverseResult> {
    const d = deadline(opts.signal);
    try {
      const response = await clientFor(d.signal).chat({ ...toOllamaChat(req, options), stream: false });
      return fromOllamaChat(response);
    } catch (e) {
      throw d.reason ?? mapOllamaError(e, baseUrl, 'request');
    } finally {
      d.dispose();
    }
  }

  async function* stream(req: GenerateRequest, opts: CallOptions): AsyncGenerator<StreamPart> {
    const d = deadline(opts.signal);
    const mapper = new OllamaStreamMapper();
    let phase: 'request' | 'body' = 'request';
    try {
      const chunks = await clientFor(d.signal).chat({ ...toOllamaChat(req, options), stream: true });
      phase = 'body';
      yield { type: 'messageStart', role: 'assistant' };
      const out: StreamPart[] = [];
      for await (const raw of chunks) {
        const parsed = ollamaChatChunkSchema.safeParse(raw);
        if (!parsed.success) throw upstreamReturned('a stream line that is not a chat chunk', parsed.error);
        mapper.chunk(parsed.data, out);
        yield* out.splice(0);
        if (mapper.done) return;
      }
      yield { type: 'error', error: d.reason ?? upstreamReturned('a stream that ended before it was done') };
    } catch (e) {
      yield { type: 'error', error: d.reason ?? mapOllamaError(e, baseUrl, phase) };
    } finally {
      // A consumer that stopped early leaves the response unread; abort it so Ollama stops generating.
      if (!mapper.done) d.cancel();
      d.dispose();
    }
  }

  async function embed(req: EmbedRequest & { model: ModelInfo }, opts: CallOptions): Promise<EmbedResult> {
    const d = deadline(opts.signal);
    try {
      const response = await clientFor(d.signal).embed({
        model: req.model.upstreamModel,
        input: req.inputs,
        truncate: true,
        dimensions: req.dimensions,
        keep_alive: options.keepAlive,
      });
      const parsed = ollamaEmbedSchema.safeParse(response);
      if (!parsed.success) throw upstreamReturned('an embed body without `embeddings`', parsed.error);
      if (parsed.data.embeddings.length !== req.inputs.length) {
        throw upstreamReturned(`${parsed.data.embeddings.length} embeddings for ${req.inputs.length} inputs`);
      }
      return { embeddings: parsed.data.embeddings, inputTokens: parsed.data.prompt_eval_count ?? 0 };
    } catch (e) {
      throw d.reason ?? mapOllamaError(e, baseUrl, 'request');
    } finally {
      d.dispose();
    }
  }

  async function listModels(): Promise<ModelInfo[]> {
    if (!options.discover) return settings.models;
    const d = deadline(new AbortController().signal);
    try {
      const found = await discoverOllamaModels(clientFor(d.signal), settings.id, showCache);
      const configured = new Set(settings.models.map((m) => m.upstreamModel));
      return [...settings.models, ...found.filter((m) => !configured.has(m.upstreamModel))];
    } catch {
      // Discovery is best effort: an Ollama that is down must not hide the models configured for it.
      return settings.models;
    } finally {
      d.dispose();
    }
  }

  /** `/api/tags`: lists what is pulled without loading anything, so a check never evicts a model from memory. */
  async function probe(opts: CallOptions): Promise<void> {
    const d = deadline(opts.signal);
    try {
      const tags = ollamaTagsSchema.safeParse(await clientFor(d.signal).list());
      if (!tags.success) throw upstreamReturned('a model list without `models`', tags.error);
    } catch (e) {
      throw d.reason ?? mapOllamaError(e, baseUrl, 'request');
    } finally {
      d.dispose();
    }
  }

  const provider: ModelProvider = { id: settings.id, type: settings.type, listModels, generate, stream, embed, probe };
  return provider;
};
