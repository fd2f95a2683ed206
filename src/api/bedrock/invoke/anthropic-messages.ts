import type {
  ContentBlock,
  ConverseRequest,
  ConverseResult,
  DocumentBlock,
  ImageFormat,
  ModelInfo,
  SystemContentBlock,
  ToolConfig,
  ToolResultContent,
} from '../../../core/index.js';
import { decodeBase64, encodeBase64 } from '../../shared/base64.js';
import { type AnthropicBlock, type AnthropicBody, anthropicBody } from './anthropic-schema.js';
import { anthropicChunks } from './anthropic-stream.js';
import { anthropicUsage, matchedStopSequence, messageId } from './anthropic-wire.js';
import { decodeBody, pointer } from './body-schema.js';
import type { InvokeFormat, TextInvoke } from './invoke-format.js';
import { anthropicStopReason } from './stop-reasons.js';

/** Anthropic Messages (Claude): `{anthropic_version, max_tokens, messages, …}` → `{id, type: "message", content, …}`. */
export const anthropicMessages: InvokeFormat = {
  decode(body, modelId, model): TextInvoke {
    const wire = decodeBody(anthropicBody, body, 'Anthropic Messages');
    const request = toConverse(wire, modelId);
    const name = anthropicModelName(model);
    return {
      kind: 'text',
      request,
      encode: (result) => toAnthropicMessage(result, name, request),
      chunks: (parts, info) => anthropicChunks(parts, info, { id: messageId(), model: name, request }),
    };
  },
};

function toConverse(wire: AnthropicBody, modelId: string): ConverseRequest {
  const req: ConverseRequest = {
    modelId,
    messages: wire.messages.map((m, i) => ({
      role: m.role,
      content: typeof m.content === 'string' ? [{ text: m.content }] : m.content.flatMap((b, j) => fromBlock(b, ['messages', i, 'content', j])),
    })),
    inferenceConfig: { maxTokens: wire.max_tokens, temperature: wire.temperature, topP: wire.top_p, stopSequences: wire.stop_sequences },
  };
  if (wire.system !== undefined) req.system = typeof wire.system === 'string' ? [{ text: wire.system }] : wire.system.flatMap(systemBlock);
  const toolConfig = toToolConfig(wire);
  if (toolConfig) req.toolConfig = toolConfig;
  // Converse hands Claude-only settings to the model this way too.
  const extra: Record<string, unknown> = {};
  if (wire.top_k !== undefined) extra.top_k = wire.top_k;
  if (wire.thinking) extra.thinking = wire.thinking;
  if (wire.anthropic_beta) extra.anthropic_beta = wire.anthropic_beta;
  if (Object.keys(extra).length) req.additionalModelRequestFields = extra;
  return req;
}

// A cache_control marker ends a cacheable prefix: in Converse that is a cachePoint block right after it.
const withCachePoint = <T>(block: T, cache: unknown): (T | { cachePoint: { type: 'default' } })[] =>
  cache ? [block, { cachePoint: { type: 'default' } }] : [block];

function systemBlock(b: { text: string; cache_control?: unknown }): SystemContentBlock[] {
  return withCachePoint({ text: b.text }, b.cache_control);
}

const IMAGE_FORMAT: Record<string, ImageFormat> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp' };

function fromBlock(b: AnthropicBlock, at: (string | number)[]): ContentBlock[] {
  switch (b.type) {
    case 'text':
      return withCachePoint({ text: b.text }, b.cache_control);
    case 'image':
      return withCachePoint(fromImage(b, at), b.cache_control);
    case 'document':
      return withCachePoint(fromDocument(b, at), b.cache_control);
    case 'tool_use':
      return withCachePoint({ toolUse: { toolUseId: b.id, name: b.name, input: b.input } }, b.cache_control);
    case 'tool_result': {
      const content: ToolResultContent[] =
        typeof b.content === 'string'
          ? [{ text: b.content }]
          : (b.content ?? []).map((c, k) => {
              const cat = [...at, 'content', k];
              if (c.type === 'text') return { text: c.text };
              if (c.type === 'image') return fromImage(c, cat);
              return fromDocument(c, cat);
            });
      return withCachePoint({ toolResult: { toolUseId: b.tool_use_id, content, status: b.is_error ? 'error' : 'success' } }, b.cache_control);
    }
    case 'thinking':
      return [{ reasoningContent: { reasoningText: { text: b.thinking, signature: b.signature } } }];
    case 'redacted_thinking':
      return [{ reasoningContent: { redactedContent: decodeBase64(b.data, pointer([...at, 'data'])) } }];
    default:
      return b satisfies never;
  }
}

function fromImage(b: Extract<AnthropicBlock, { type: 'image' }>, at: (string | number)[]) {
  const bytes = decodeBase64(b.source.data, pointer([...at, 'source', 'data']));
  return { image: { format: IMAGE_FORMAT[b.source.media_type]!, source: { bytes } } };
}

function fromDocument(b: Extract<AnthropicBlock, { type: 'document' }>, at: (string | number)[]): DocumentBlock {
  // Converse requires a name of letters, digits, single spaces, hyphens, parentheses and brackets; Anthropic's title is free text.
  const name =
    (b.title ?? '')
      .replace(/[^A-Za-z0-9\s\-()[\]]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200) || `document-${at.filter((x) => typeof x === 'number').join('-')}`;
  if (b.source.type === 'text') return { document: { format: 'txt', name, source: { text: b.source.data } } };
  return { document: { format: 'pdf', name, source: { bytes: decodeBase64(b.source.data, pointer([...at, 'source', 'data'])) } } };
}

function toToolConfig(wire: AnthropicBody): ToolConfig | undefined {
  // "none" forbids tool calls; not offering the tools is the one way every provider honours.
  if (!wire.tools?.length || wire.tool_choice?.type === 'none') return undefined;
  const tools = wire.tools.map((t) => ({ toolSpec: { name: t.name, description: t.description, inputSchema: { json: t.input_schema } } }));
  const c = wire.tool_choice;
  const toolChoice = !c ? undefined : c.type === 'tool' ? { tool: { name: c.name } } : c.type === 'any' ? { any: {} } : { auto: {} };
  return { tools, toolChoice };
}

/** Bedrock answers with Anthropic's own model name: `anthropic.claude-3-haiku-20240307-v1:0` → `claude-3-haiku-20240307`. */
export function anthropicModelName(model: ModelInfo): string {
  return model.id.replace(/^(?:[a-z-]+\.)?anthropic\./, '').replace(/-v\d+(?::\d+)?$/, '');
}

function toAnthropicMessage(result: ConverseResult, model: string, request: ConverseRequest) {
  const content: unknown[] = [];
  for (const b of result.message.content) {
    if ('text' in b) content.push({ type: 'text', text: b.text });
    else if ('toolUse' in b) content.push({ type: 'tool_use', id: b.toolUse.toolUseId, name: b.toolUse.name, input: b.toolUse.input ?? {} });
    else if ('reasoningContent' in b) {
      const r = b.reasoningContent;
      if (r.reasoningText) content.push({ type: 'thinking', thinking: r.reasoningText.text, signature: r.reasoningText.signature ?? '' });
      else if (r.redactedContent) content.push({ type: 'redacted_thinking', data: encodeBase64(r.redactedContent) });
    }
  }
  return {
    id: messageId(),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: anthropicStopReason(result.stopReason),
    stop_sequence: matchedStopSequence(result, request),
    usage: anthropicUsage(result.usage),
  };
}
