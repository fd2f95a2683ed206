import Anthropic from '@anthropic-ai/sdk';
import type { CallOptions, ConverseResult, GenerateRequest, ModelProvider, ProviderFactory, StreamPart } from '../../core/index.js';
import { startDeadline } from '../shared/call-deadline.js';
import { estimateInputTokens } from '../shared/estimate-tokens.js';
import { parseAnthropicOptions } from './anthropic-options.js';
import { anthropicStreamEventSchema } from './anthropic-schemas.js';
import { AnthropicStreamMapper } from './anthropic-stream-mapper.js';

// Claude's tokenizer is not public (o200k runs within 10–20% of it); an image costs w×h/750, about 1,600 at a megapixel.
const CLAUDE_COSTS = { perMessage: 3, perImage: 1_600 };

import { fromAnthropicMessage } from './from-anthropic-message.js';
import { mapAnthropicError, upstreamReturned } from './map-anthropic-error.js';
import { toAnthropicRequest } from './to-anthropic-request.js';

const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/**
 * Anthropic's Messages API through the official SDK, which keeps up with the API's beta headers and event types.
 * `baseUrl` is the origin without `/v1` (the SDK adds it), so a gateway or a test server can stand in.
 */
export const createAnthropicProvider: ProviderFactory = (settings) => {
  const options = parseAnthropicOptions(settings.id, settings.options);
  const baseUrl = settings.baseUrl ?? DEFAULT_BASE_URL;
  const classicHeader = options.authScheme === 'x-api-key' && settings.apiKey !== undefined;
  const client = new Anthropic({
    baseURL: baseUrl,
    // Undefined lets the SDK fall back to ANTHROPIC_API_KEY; null stops it sending a key we send ourselves.
    apiKey: classicHeader ? null : settings.apiKey,
    // The runtime's router owns retries and fallback; SDK retries underneath would multiply them.
    maxRetries: 0,
    // Our deadline fires first with a clearer message; the SDK's timer is a backstop. Setting it also stops the SDK
    // refusing non-streaming calls with large max_tokens ("streaming is required …").
    timeout: settings.timeoutMs + 1_000,
    defaultHeaders: classicHeader ? { ...options.headers, 'x-api-key': settings.apiKey } : options.headers,
    logLevel: 'off',
  });
  const deadline = (signal: AbortSignal) => startDeadline(signal, settings.timeoutMs, baseUrl);
  const headersFor = (betas: string[]) => {
    const all = [...options.betas, ...betas];
    return all.length ? { 'anthropic-beta': all.join(',') } : undefined;
  };

  async function generate(req: GenerateRequest, opts: CallOptions): Promise<ConverseResult> {
    const d = deadline(opts.signal);
    try {
      const { params, betas } = toAnthropicRequest(req, options);
      const message = await client.messages.create(params, { signal: d.signal, headers: headersFor(betas) });
      return fromAnthropicMessage(message);
    } catch (e) {
      throw d.reason ?? mapAnthropicError(e, baseUrl);
    } finally {
      d.dispose();
    }
  }

  async function* stream(req: GenerateRequest, opts: CallOptions): AsyncGenerator<StreamPart> {
    const d = deadline(opts.signal);
    const mapper = new AnthropicStreamMapper();
    try {
      const { params, betas } = toAnthropicRequest(req, options);
      const events = await client.messages.create({ ...params, stream: true }, { signal: d.signal, headers: headersFor(betas) });
      const out: StreamPart[] = [];
      for await (const raw of events) {
        const parsed = anthropicStreamEventSchema.safeParse(raw);
        // Event types this version does not know (a newer API's) are skipped, as the SDK's own accumulator does.
        if (!parsed.success) {
          if (isKnownEvent(raw)) throw upstreamReturned('a stream event of an unexpected shape', parsed.error);
          continue;
        }
        mapper.event(parsed.data, out);
        yield* out.splice(0);
        if (mapper.stopped) return;
      }
      // The SDK ends the iteration quietly when its request is aborted, so an early end is checked here.
      yield { type: 'error', error: d.reason ?? upstreamReturned('a stream that ended before message_stop') };
    } catch (e) {
      yield { type: 'error', error: d.reason ?? mapAnthropicError(e, baseUrl) };
    } finally {
      // A consumer that stopped early leaves the response unread; abort it so the upstream stops generating.
      if (!mapper.stopped) d.cancel();
      d.dispose();
    }
  }

  async function countTokens(req: GenerateRequest): Promise<number> {
    if (options.countTokens === 'estimate') return estimateInputTokens(req, CLAUDE_COSTS);
    const d = deadline(new AbortController().signal);
    try {
      const { params, betas } = toAnthropicRequest(req, options);
      const { model, messages, system, tools, tool_choice, thinking } = params;
      const r = await client.messages.countTokens(
        { model, messages, system, tools, tool_choice, thinking },
        { signal: d.signal, headers: headersFor(betas) },
      );
      if (typeof r?.input_tokens !== 'number') throw upstreamReturned('a token count without input_tokens');
      return r.input_tokens;
    } catch (e) {
      // Counting is advisory (admission control and the CountTokens API); a gateway without the endpoint still
      // deserves a number. A request the upstream calls invalid is reported, since generating would fail the same way.
      const mapped = d.reason ?? mapAnthropicError(e, baseUrl);
      if (mapped.code === 'ValidationException') throw mapped;
      return estimateInputTokens(req, CLAUDE_COSTS);
    } finally {
      d.dispose();
    }
  }

  /**
   * `GET /v1/models?limit=1`: free, authenticated like a call, and one page only. A gateway standing in for Anthropic
   * that lacks the endpoint fails it: give such a deployment `healthCheck: false`.
   */
  async function probe(opts: CallOptions): Promise<void> {
    const d = deadline(opts.signal);
    try {
      await client.models.list({ limit: 1 }, { signal: d.signal });
    } catch (e) {
      throw d.reason ?? mapAnthropicError(e, baseUrl);
    } finally {
      d.dispose();
    }
  }

  const provider: ModelProvider = {
    id: settings.id,
    type: settings.type,
    listModels: async () => settings.models,
    generate,
    stream,
    countTokens,
    probe,
  };
  return provider;
};

const KNOWN = new Set(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
function isKnownEvent(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && KNOWN.has((raw as { type?: unknown }).type as string);
}

