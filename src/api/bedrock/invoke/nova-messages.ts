import { z } from 'zod';
import type { ConverseResult, StreamPart } from '../../../core/index.js';
import { encodeContent, fromConverseWire } from '../converse-codec.js';
import { message, systemBlock, toolConfig } from '../converse-schema.js';
import { decodeBody } from './body-schema.js';
import { METRICS_KEY, StreamClock } from './invocation-metrics.js';
import type { InvokeFormat, StreamInfo, TextInvoke } from './invoke-format.js';

/**
 * Amazon Nova's `messages-v1` schema: Converse's messages, system and tools, with Nova's own inference settings
 * (`max_new_tokens`; `maxTokens` is accepted too, as the Converse-minded often send it).
 */
export const novaBody = z
  .object({
    schemaVersion: z.literal('messages-v1').optional(),
    system: z.array(systemBlock).optional(),
    messages: z.array(message).min(1, 'at least one message is required'),
    inferenceConfig: z
      .object({
        max_new_tokens: z.number().int().min(1).optional(),
        maxTokens: z.number().int().min(1).optional(),
        temperature: z.number().min(0).max(1).optional(),
        topP: z.number().min(0).max(1).optional(),
        topK: z.number().int().min(0).optional(),
        stopSequences: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    toolConfig: toolConfig.optional(),
  })
  .strict();

/** `{output: {message}, stopReason, usage}`; stream chunks mirror ConverseStream's events, one per chunk. */
export const novaMessages: InvokeFormat = {
  decode(body, modelId): TextInvoke {
    const wire = decodeBody(novaBody, body, 'Amazon Nova messages-v1');
    const cfg = wire.inferenceConfig ?? {};
    const request = fromConverseWire(modelId, {
      messages: wire.messages,
      system: wire.system,
      toolConfig: wire.toolConfig,
      inferenceConfig: { maxTokens: cfg.max_new_tokens ?? cfg.maxTokens, temperature: cfg.temperature, topP: cfg.topP, stopSequences: cfg.stopSequences },
      // Converse hands Nova its topK the same way.
      ...(cfg.topK !== undefined ? { additionalModelRequestFields: { inferenceConfig: { topK: cfg.topK } } } : {}),
    });
    return { kind: 'text', request, encode: toNovaResponse, chunks: novaChunks };
  },
};

function novaUsage(u: ConverseResult['usage']) {
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    totalTokens: u.totalTokens,
    cacheReadInputTokenCount: u.cacheReadInputTokens ?? 0,
    cacheWriteInputTokenCount: u.cacheWriteInputTokens ?? 0,
  };
}

function toNovaResponse(result: ConverseResult) {
  return {
    output: { message: { role: 'assistant', content: encodeContent(result.message.content) } },
    stopReason: result.stopReason,
    usage: novaUsage(result.usage),
  };
}

async function* novaChunks(parts: AsyncIterable<StreamPart>, info: StreamInfo): AsyncGenerator<object> {
  const clock = new StreamClock(info.startedAt);
  for await (const p of parts) {
    switch (p.type) {
      case 'messageStart':
        yield { messageStart: { role: p.role } };
        break;
      case 'contentBlockStart':
        if (p.toolUse) {
          clock.markOutput();
          yield { contentBlockStart: { start: { toolUse: p.toolUse }, contentBlockIndex: p.index } };
        }
        break;
      case 'contentBlockDelta':
        clock.markOutput();
        yield { contentBlockDelta: { delta: p.delta, contentBlockIndex: p.index } };
        break;
      case 'contentBlockStop':
        yield { contentBlockStop: { contentBlockIndex: p.index } };
        break;
      case 'messageStop':
        yield { messageStop: { stopReason: p.stopReason } };
        break;
      case 'metadata':
        yield { metadata: { usage: novaUsage(p.usage), metrics: {}, trace: {} }, [METRICS_KEY]: clock.metrics(p.usage) };
        break;
      case 'error':
        return;
      default:
        p satisfies never;
    }
  }
}
