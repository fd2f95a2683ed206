import type { ChatParameters } from '../lib/chat-settings';
import { SseParser } from '../lib/sse-parser';
import type { ApiClient } from './api-client';
import { ApiError } from './api-error';

/**
 * Chat goes through OpenAI's Chat Completions with `stream: true`: its server-sent events are plain text a browser
 * reads with fetch and a TextDecoder, where Bedrock's ConverseStream is a binary AWS event stream that would need a
 * decoder in the bundle. The server runs both through the same pipeline, so nothing is lost by the choice.
 */

export type ChatContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ChatContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ChatRequest extends ChatParameters {
  model: string;
  messages: ChatMessage[];
}

/** One answer as it streams in; `done` once the stream has ended, with or without an error. */
export interface TurnState {
  text: string;
  reasoning: string;
  toolCalls: ChatToolCall[];
  finishReason: string | undefined;
  usage: { inputTokens: number; outputTokens: number; cacheReadTokens: number } | undefined;
  /** Milliseconds from sending to the first streamed token, and to the end of the stream. */
  firstTokenMs: number | undefined;
  totalMs: number | undefined;
  error: string | undefined;
  done: boolean;
}

export const emptyTurn = (): TurnState => ({
  text: '',
  reasoning: '',
  toolCalls: [],
  finishReason: undefined,
  usage: undefined,
  firstTokenMs: undefined,
  totalMs: undefined,
  error: undefined,
  done: false,
});

interface Chunk {
  choices?: { delta?: { content?: string | null; reasoning_content?: string | null; tool_calls?: { index: number; id?: string; function?: { name?: string; arguments?: string } }[] }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } } | null;
  error?: { message?: string; code?: string; type?: string };
}

/**
 * Streams one chat completion, calling `onUpdate` with a fresh state object after every event. Resolves with the final
 * state; an HTTP error before the stream starts is thrown, a failure mid-stream ends the state with `error` set.
 */
export async function streamChat(api: ApiClient, req: ChatRequest, onUpdate: (s: TurnState) => void, signal: AbortSignal): Promise<TurnState> {
  const started = performance.now();
  let state = emptyTurn();
  const update = (patch: Partial<TurnState>) => {
    state = { ...state, ...patch };
    onUpdate(state);
  };
  const res = await api.fetch('/v1/chat/completions', { method: 'POST', body: { ...req, stream: true, stream_options: { include_usage: true } }, signal });
  if (!res.body) throw new ApiError('The server sent no stream.', res.status, undefined);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  const markFirst = () => (state.firstTokenMs === undefined ? { firstTokenMs: performance.now() - started } : {});
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const data of parser.push(value)) {
        if (data === '[DONE]') continue;
        let chunk: Chunk;
        try {
          chunk = JSON.parse(data) as Chunk;
        } catch {
          continue;
        }
        if (chunk.error) {
          update({ error: chunk.error.message ?? 'The model failed while answering.' });
          continue;
        }
        if (chunk.usage) {
          update({
            usage: {
              inputTokens: chunk.usage.prompt_tokens ?? 0,
              outputTokens: chunk.usage.completion_tokens ?? 0,
              cacheReadTokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
            },
          });
        }
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        const d = choice.delta ?? {};
        if (d.content) update({ ...markFirst(), text: state.text + d.content });
        if (d.reasoning_content) update({ ...markFirst(), reasoning: state.reasoning + d.reasoning_content });
        if (d.tool_calls?.length) update({ ...markFirst(), toolCalls: mergeToolCalls(state.toolCalls, d.tool_calls) });
        if (choice.finish_reason) update({ finishReason: choice.finish_reason });
      }
    }
  } catch (e) {
    if (signal.aborted) update({ error: 'Stopped.' });
    else update({ error: `The stream broke off: ${e instanceof Error ? e.message : String(e)}` });
  } finally {
    reader.releaseLock();
  }
  update({ done: true, totalMs: performance.now() - started });
  return state;
}

/** Tool calls arrive as a first delta with id and name, then argument fragments addressed by index. */
function mergeToolCalls(prev: ChatToolCall[], deltas: NonNullable<NonNullable<Chunk['choices']>[number]['delta']>['tool_calls'] & {}): ChatToolCall[] {
  const next = prev.map((c) => ({ ...c, function: { ...c.function } }));
  for (const d of deltas) {
    const existing = next[d.index];
    if (!existing) {
      next[d.index] = { id: d.id ?? `call_${d.index}`, type: 'function', function: { name: d.function?.name ?? '', arguments: d.function?.arguments ?? '' } };
    } else {
      if (d.function?.name) existing.function.name += d.function.name;
      if (d.function?.arguments) existing.function.arguments += d.function.arguments;
    }
  }
  return next;
}
