import type { ContentBlock, ConverseResult, GenerateRequest } from '../../core/index.js';
import { upstreamReturned } from './map-openai-error.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { mapOpenAIUsage } from './map-openai-usage.js';
import { type OpenAIChatResponse, openAIChatResponseSchema } from './openai-schemas.js';
import { readChatCompletion } from './read-chat-completion.js';

/** Parses and maps a non-streaming Chat Completions body. */
export function fromOpenAIResponse(text: string, req: GenerateRequest): ConverseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw upstreamReturned(`a body that is not JSON: ${text.slice(0, 120)}`, e);
  }
  const read = readChatCompletion(json);
  if (read) return toResult(read, req);
  const parsed = openAIChatResponseSchema.safeParse(json);
  if (!parsed.success) throw upstreamReturned('a body that is not a chat completion', parsed.error);
  return toResult(parsed.data, req);
}

function toResult(res: OpenAIChatResponse, req: GenerateRequest): ConverseResult {
  const choice = res.choices[0];
  if (!choice) throw upstreamReturned('a chat completion without choices');
  const msg = choice.message;
  const content: ContentBlock[] = [];
  const reasoning = msg.reasoning_content ?? msg.reasoning;
  if (reasoning) content.push({ reasoningContent: { reasoningText: { text: reasoning } } });
  if (msg.content) content.push({ text: msg.content });
  for (const [i, call] of (msg.tool_calls ?? []).entries()) {
    content.push({
      toolUse: {
        toolUseId: call.id ?? `call_${i}`,
        name: call.function?.name ?? '',
        input: parseArguments(call.function?.arguments),
      },
    });
  }
  const hasToolCalls = (msg.tool_calls?.length ?? 0) > 0;
  return {
    message: { role: 'assistant', content },
    stopReason: mapOpenAIFinishReason(choice.finish_reason, hasToolCalls, choice.stop_reason, req.inferenceConfig?.stopSequences),
    rawStopReason: choice.finish_reason ?? undefined,
    usage: res.usage ? mapOpenAIUsage(res.usage) : { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    latencyMs: 0,
  };
}

function parseArguments(args: string | null | undefined): unknown {
  if (!args || args.trim() === '') return {};
  try {
    return JSON.parse(args);
  } catch (e) {
    throw upstreamReturned(`tool arguments that are not JSON: ${args.slice(0, 200)}`, e);
  }
}
