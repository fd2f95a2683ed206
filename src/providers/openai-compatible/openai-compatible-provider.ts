import { StringDecoder } from 'node:string_decoder';
import type { Dispatcher } from 'undici';
import {
  type CallOptions,
  type ConverseResult,
  type EmbedRequest,
  type EmbedResult,
  type GenerateRequest,
  type ImageGenerationRequest,
  type ImageGenerationResult,
  type ModelInfo,
  type ModelProvider,
  type ProviderFactory,
  QuarryError,
  type StreamPart,
  textOf,
} from '../../core/index.js';
import { estimateInputTokens } from '../shared/estimate-tokens.js';
import { estimatedUsage } from '../shared/estimated-usage.js';
import { startDeadline } from './call-deadline.js';
import { discoverOpenAIModels } from './discover-openai-models.js';
import { fromOpenAIImagesResponse } from './from-openai-images-response.js';
import { fromOpenAIResponse } from './from-openai-response.js';
import { mapOpenAITransportError, upstreamErrorMessage, upstreamReturned } from './map-openai-error.js';
import { parseOpenAICompatibleOptions } from './openai-compatible-options.js';
import { OpenAIHttp } from './openai-http.js';
import { openAIChunkSchema, openAIEmbeddingsResponseSchema } from './openai-schemas.js';
import { OpenAIStreamMapper } from './openai-stream-mapper.js';
import { readTextChunk } from './read-text-chunk.js';
import { SseDecoder } from './sse-decoder.js';
import { toOpenAIImagesRequest } from './to-openai-images-request.js';
import { toOpenAIRequest } from './to-openai-request.js';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * OpenAI's Chat Completions API and everything that copies it: OpenAI itself, vLLM, LM Studio, LocalAI, the
 * llama.cpp server, and most hosted gateways. `baseUrl` includes the version path (`http://host:8000/v1`).
 */
export const createOpenAICompatibleProvider: ProviderFactory = (settings) => {
  const options = parseOpenAICompatibleOptions(settings.id, settings.options);
  const baseUrl = settings.baseUrl ?? DEFAULT_BASE_URL;
  const http = new OpenAIHttp(baseUrl, {
    apiKey: settings.apiKey,
    headers: options.headers,
    connections: options.connections,
    timeoutMs: settings.timeoutMs,
  });
  // The caller's link when it has one: listening to it makes no AbortSignal (core/abort-link.ts).
  const deadline = (opts: CallOptions) => startDeadline(opts.link ?? opts.signal, settings.timeoutMs, baseUrl);

  async function generate(req: GenerateRequest, opts: CallOptions): Promise<ConverseResult> {
    const body = JSON.stringify(toOpenAIRequest(req, options, false));
    const d = deadline(opts);
    try {
      const result = fromOpenAIResponse(await http.fetchText('POST', '/chat/completions', body, d), req);
      if (result.usage.raw === undefined) result.usage = await estimatedUsage(req, outputText(result));
      return result;
    } catch (e) {
      throw d.reason ?? mapOpenAITransportError(e, baseUrl, 'request');
    } finally {
      d.dispose();
    }
  }

  async function* stream(req: GenerateRequest, opts: CallOptions): AsyncGenerator<StreamPart> {
    const d = deadline(opts);
    let res: Dispatcher.ResponseData | undefined;
    try {
      const body = JSON.stringify(toOpenAIRequest(req, options, true));
      res = await http.request('POST', '/chat/completions', body, d, true);
      await refuseNonStream(res);
      yield { type: 'messageStart', role: 'assistant' };
      const mapper = new OpenAIStreamMapper(req.inferenceConfig?.stopSequences);
      const sse = new SseDecoder();
      const decoder = new StringDecoder('utf8');
      const out: StreamPart[] = [];
      let done = false;
      try {
        for await (const chunk of res.body) {
          // Keep reading after [DONE] instead of breaking: the body ends right after it, and a fully read
          // response leaves the socket in the pool for the next call.
          if (done) continue;
          for (const ev of sse.push(decoder.write(chunk as Buffer))) {
            if (ev.data === '[DONE]') {
              done = true;
              break;
            }
            const failure = acceptEvent(ev.data, mapper, out);
            if (failure) {
              yield* out.splice(0);
              yield { type: 'error', error: failure };
              return;
            }
          }
          yield* out.splice(0);
        }
      } catch (e) {
        throw d.reason ?? mapOpenAITransportError(e, baseUrl, 'body');
      }
      // Some servers omit [DONE]; a finish_reason is enough to know the answer is whole.
      if (!done && !mapper.finished) {
        yield { type: 'error', error: upstreamReturned('a stream that ended before the model finished') };
        return;
      }
      const fallback = mapper.reportedUsage ? undefined : await estimatedUsage(req, mapper.produced.join(''));
      mapper.end(out, fallback);
      yield* out;
    } catch (e) {
      yield { type: 'error', error: d.reason ?? mapOpenAITransportError(e, baseUrl, 'request') };
    } finally {
      d.dispose();
      // A consumer that stops early (the client went away) leaves the body unread: close it so the upstream stops
      // generating. A body read to its end is left alone, and its socket goes back to the pool.
      if (res && !res.body.readableEnded) res.body.destroy();
    }
  }

  async function embed(req: EmbedRequest & { model: ModelInfo }, opts: CallOptions): Promise<EmbedResult> {
    const body: Record<string, unknown> = { model: req.model.upstreamModel, input: req.inputs, encoding_format: 'float' };
    if (req.dimensions !== undefined) body.dimensions = req.dimensions;
    const d = deadline(opts);
    try {
      const text = await http.fetchText('POST', '/embeddings', JSON.stringify(body), d);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw upstreamReturned(`an embeddings body that is not JSON: ${text.slice(0, 120)}`, e);
      }
      const parsed = openAIEmbeddingsResponseSchema.safeParse(json);
      if (!parsed.success) throw upstreamReturned('an embeddings body without `data`', parsed.error);
      const { data, usage } = parsed.data;
      if (data.length !== req.inputs.length) {
        throw upstreamReturned(`${data.length} embeddings for ${req.inputs.length} inputs`);
      }
      // The spec does not promise `data` in input order; `index` does.
      const embeddings = data.every((e, i) => (e.index ?? i) === i)
        ? data.map((e) => e.embedding)
        : [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((e) => e.embedding);
      const inputTokens = usage?.prompt_tokens ?? (await estimateInputTokens(embedAsPrompt(req)));
      return { embeddings, inputTokens };
    } catch (e) {
      throw d.reason ?? mapOpenAITransportError(e, baseUrl, 'request');
    } finally {
      d.dispose();
    }
  }

  async function generateImages(req: ImageGenerationRequest & { model: ModelInfo }, opts: CallOptions): Promise<ImageGenerationResult> {
    const body = JSON.stringify(toOpenAIImagesRequest(req));
    const d = deadline(opts);
    try {
      return fromOpenAIImagesResponse(await http.fetchText('POST', '/images/generations', body, d), req.count);
    } catch (e) {
      throw d.reason ?? mapOpenAITransportError(e, baseUrl, 'request');
    } finally {
      d.dispose();
    }
  }

  async function listModels(): Promise<ModelInfo[]> {
    if (!options.discover) return settings.models;
    const d = deadline({ signal: new AbortController().signal });
    try {
      const found = await discoverOpenAIModels(http, settings.id, d);
      const configured = new Set(settings.models.map((m) => m.upstreamModel));
      return [...settings.models, ...found.filter((m) => !configured.has(m.upstreamModel))];
    } catch {
      // Discovery is best effort: an upstream that is down must not hide the models configured for it.
      return settings.models;
    } finally {
      d.dispose();
    }
  }

  /** `GET /models`: every server in this family answers it, it costs no tokens, and it needs the same key as a call. */
  async function probe(opts: CallOptions): Promise<void> {
    const d = deadline(opts);
    try {
      await discoverOpenAIModels(http, settings.id, d);
    } catch (e) {
      throw d.reason ?? mapOpenAITransportError(e, baseUrl, 'request');
    } finally {
      d.dispose();
    }
  }

  const provider: ModelProvider = {
    id: settings.id,
    type: settings.type,
    listModels,
    generate,
    stream,
    embed,
    generateImages,
    countTokens: (req) => estimateInputTokens(req),
    probe,
    close: () => http.close(),
  };
  return provider;
};

/** Parses one SSE data payload into parts; returns the error that ends the stream, if it carried one. */
function acceptEvent(data: string, mapper: OpenAIStreamMapper, out: StreamPart[]): QuarryError | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (e) {
    return upstreamReturned(`a stream event that is not JSON: ${data.slice(0, 120)}`, e);
  }
  let chunk = readTextChunk(json);
  if (!chunk) {
    const parsed = openAIChunkSchema.safeParse(json);
    if (!parsed.success) return upstreamReturned('a stream event that is not a chat completion chunk', parsed.error);
    chunk = parsed.data;
  }
  if (chunk.error) {
    const message = typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? upstreamErrorMessage(data));
    return new QuarryError('ModelStreamErrorException', `The upstream failed mid-stream: ${message}`);
  }
  mapper.chunk(chunk, out);
  return undefined;
}

function outputText(result: ConverseResult): string {
  let s = textOf(result.message.content);
  for (const b of result.message.content) if ('toolUse' in b) s += JSON.stringify(b.toolUse.input);
  return s;
}

function embedAsPrompt(req: EmbedRequest & { model: ModelInfo }): GenerateRequest {
  return { modelId: req.modelId, model: req.model, messages: [{ role: 'user', content: req.inputs.map((text) => ({ text })) }] };
}

/**
 * A 2xx answer to a stream request that says it is something else (an HTML page from a proxy in between, a JSON
 * error with the wrong status) is the upstream's failure, reported with what it sent before any output: read as
 * server-sent events it only looked like a stream cut short. A response without a content type is read as a stream.
 */
async function refuseNonStream(res: Dispatcher.ResponseData): Promise<void> {
  const type = String(res.headers['content-type'] ?? '');
  if (!type || /^text\/event-stream\b/i.test(type)) return;
  let text = '';
  try {
    text = await res.body.text();
  } catch {
    // The content type alone says what went wrong.
  }
  throw upstreamReturned(`${type.split(';')[0]} where an event stream was asked for: ${text.slice(0, 200)}`);
}
