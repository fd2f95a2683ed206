import { ConverseCommand, ConverseStreamCommand, CountTokensCommand } from '@aws-sdk/client-bedrock-runtime';
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
import { estimateInputTokens } from '../shared/estimate-tokens.js';
import { parseBedrockOptions } from './bedrock-options.js';
import { BedrockStreamMapper } from './bedrock-stream-mapper.js';
import { createBedrockClient } from './create-bedrock-client.js';
import { embedWithBedrock } from './embed-with-bedrock.js';

// Converse bills an image by its size; without decoding it, assume about one megapixel (Claude: w×h/750).
const BEDROCK_COSTS = { perMessage: 3, perImage: 1_600 };

import { fromBedrockConverse } from './from-bedrock-converse.js';
import { mapBedrockError, upstreamReturned } from './map-bedrock-error.js';
import { toBedrockConverse } from './to-bedrock-converse.js';

/**
 * The real Amazon Bedrock as an upstream, through the AWS SDK. Converse and ConverseStream are the canonical format,
 * so requests and events pass nearly unchanged; embeddings use InvokeModel with the model's native body.
 * `baseUrl` overrides the regional endpoint (a VPC endpoint, a proxy, a test server).
 */
export const createBedrockProvider: ProviderFactory = (settings) => {
  const options = parseBedrockOptions(settings.id, settings.options);
  const client = createBedrockClient(settings, options);
  const upstream = settings.baseUrl ?? `https://bedrock-runtime.${settings.region ?? 'us-east-1'}.amazonaws.com`;
  const deadline = (signal: AbortSignal) => startDeadline(signal, settings.timeoutMs, upstream);

  async function generate(req: GenerateRequest, opts: CallOptions): Promise<ConverseResult> {
    const d = deadline(opts.signal);
    try {
      const out = await client.send(new ConverseCommand(toBedrockConverse(req)), { abortSignal: d.signal });
      return fromBedrockConverse(out);
    } catch (e) {
      throw d.reason ?? mapBedrockError(e, upstream);
    } finally {
      d.dispose();
    }
  }

  async function* stream(req: GenerateRequest, opts: CallOptions): AsyncGenerator<StreamPart> {
    const d = deadline(opts.signal);
    const mapper = new BedrockStreamMapper();
    let phase: 'request' | 'body' = 'request';
    try {
      const res = await client.send(new ConverseStreamCommand(toBedrockConverse(req)), { abortSignal: d.signal });
      if (!res.stream) throw upstreamReturned('a ConverseStream response without an event stream');
      const out: StreamPart[] = [];
      phase = 'body';
      for await (const event of res.stream) {
        const exception = mapper.event(event, out);
        yield* out.splice(0);
        if (exception) {
          yield { type: 'error', error: mapBedrockError(exception, upstream) };
          return;
        }
        if (mapper.sawMetadata) return;
      }
      yield { type: 'error', error: d.reason ?? upstreamReturned('an event stream that ended before its metadata event') };
    } catch (e) {
      yield { type: 'error', error: d.reason ?? mapBedrockError(e, upstream, phase) };
    } finally {
      // A consumer that stopped early leaves the response unread; abort it so Bedrock stops generating.
      if (!mapper.sawMetadata) d.cancel();
      d.dispose();
    }
  }

  async function embed(req: EmbedRequest & { model: ModelInfo }, opts: CallOptions): Promise<EmbedResult> {
    const d = deadline(opts.signal);
    try {
      return await embedWithBedrock(client, req, d.signal, options.embedConcurrency);
    } catch (e) {
      throw d.reason ?? mapBedrockError(e, upstream);
    } finally {
      d.dispose();
    }
  }

  async function countTokens(req: GenerateRequest): Promise<number> {
    const d = deadline(new AbortController().signal);
    try {
      const { modelId, messages, system, toolConfig, additionalModelRequestFields } = toBedrockConverse(req);
      const out = await client.send(
        new CountTokensCommand({ modelId, input: { converse: { messages, system, toolConfig, additionalModelRequestFields } } }),
        { abortSignal: d.signal },
      );
      if (typeof out.inputTokens !== 'number') throw upstreamReturned('a token count without inputTokens');
      return out.inputTokens;
    } catch {
      // CountTokens serves only some models (others answer ValidationException) and is advisory: estimate instead.
      return estimateInputTokens(req, BEDROCK_COSTS);
    } finally {
      d.dispose();
    }
  }

  /**
   * CountTokens of one word for a configured model: it costs nothing, and it needs the endpoint up and the
   * credentials accepted, which is what a health check asks. A ValidationException (a model CountTokens does not
   * serve) is an answer from a healthy endpoint that read and authorised the call, so it passes; every other failure,
   * refused credentials and throttling included, fails the check.
   */
  async function probe(opts: CallOptions): Promise<void> {
    const modelId = settings.models.find((m) => m.kind === 'text')?.upstreamModel ?? settings.models[0]?.upstreamModel;
    if (!modelId) return;
    const d = deadline(opts.signal);
    try {
      await client.send(new CountTokensCommand({ modelId, input: { converse: { messages: [{ role: 'user', content: [{ text: 'ping' }] }] } } }), {
        abortSignal: d.signal,
      });
    } catch (e) {
      const err = d.reason ?? mapBedrockError(e, upstream);
      if (err.code !== 'ValidationException') throw err;
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
    embed,
    countTokens,
    probe,
    close: async () => client.destroy(),
  };
  return provider;
};
