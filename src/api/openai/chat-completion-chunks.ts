import type { StreamPart } from '../../core/index.js';
import { chatUsage } from './chat-usage.js';
import { mapFinishReason } from './map-finish-reason.js';
import { openaiErrorBody } from './openai-error.js';
import type { CompletionMeta } from './to-chat-completion.js';

const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
const DONE = 'data: [DONE]\n\n';

/**
 * Canonical stream parts → `chat.completion.chunk` SSE lines, ending with `data: [DONE]`. Tool calls are numbered in
 * the order they start (OpenAI's `tool_calls[].index`), whatever the canonical block index. With
 * `stream_options.include_usage` every chunk carries `usage: null` and a last chunk with no choices carries the usage,
 * as OpenAI does. A failure mid-stream is one `data: {"error": …}` event, which the OpenAI SDKs raise as an APIError,
 * and no [DONE].
 */
export async function* chatCompletionChunks(parts: AsyncIterable<StreamPart>, meta: CompletionMeta, includeUsage: boolean): AsyncGenerator<string> {
  const base = { id: meta.id, object: 'chat.completion.chunk' as const, created: meta.created, model: meta.model };
  // Every chunk is the same JSON around its delta, so that JSON is built once per stream and each chunk stringifies
  // only its delta: the bytes are exactly JSON.stringify of the whole object (same keys, same order), but spreading
  // and stringifying the whole object per token was the largest cost of a streamed answer in Quarry's own code.
  const open = `data: ${JSON.stringify(base).slice(0, -1)},"choices":`;
  const beforeDelta = `${open}[{"index":0,"delta":`;
  const close = `}]${includeUsage ? ',"usage":null' : ''}}\n\n`;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    `${beforeDelta}${JSON.stringify(delta)},"logprobs":null,"finish_reason":${JSON.stringify(finishReason)}${close}`;
  const textChunk = (field: 'content' | 'reasoning_content', text: string) =>
    `${beforeDelta}{"${field}":${JSON.stringify(text)}},"logprobs":null,"finish_reason":null${close}`;
  const toolIndex = new Map<number, number>();
  for await (const p of parts) {
    switch (p.type) {
      case 'messageStart':
        yield chunk({ role: 'assistant', content: '' });
        break;
      case 'contentBlockStart':
        if (p.toolUse) {
          const index = toolIndex.size;
          toolIndex.set(p.index, index);
          yield chunk({ tool_calls: [{ index, id: p.toolUse.toolUseId, type: 'function', function: { name: p.toolUse.name, arguments: '' } }] });
        }
        break;
      case 'contentBlockDelta': {
        const d = p.delta;
        if ('text' in d) {
          if (d.text) yield textChunk('content', d.text);
        } else if ('toolUse' in d) {
          const index = toolIndex.get(p.index);
          if (index !== undefined && d.toolUse.input) yield chunk({ tool_calls: [{ index, function: { arguments: d.toolUse.input } }] });
        } else if (d.reasoningContent.text) {
          yield textChunk('reasoning_content', d.reasoningContent.text);
        }
        break;
      }
      case 'contentBlockStop':
        break;
      case 'messageStop':
        yield chunk({}, mapFinishReason(p.stopReason));
        break;
      case 'metadata':
        // The guardrail's report (when the request named one) rides on the same last, choice-less chunk as the usage.
        if (includeUsage || p.guardrail) {
          const usage = includeUsage ? `,"usage":${JSON.stringify(chatUsage(p.usage))}` : '';
          const guardrail = p.guardrail ? `,"guardrail":${JSON.stringify(p.guardrail)}` : '';
          yield `${open}[]${usage}${guardrail}}\n\n`;
        }
        break;
      case 'error':
        yield sse(openaiErrorBody(p.error));
        return;
      default:
        p satisfies never;
    }
  }
  yield DONE;
}
