import { Buffer } from 'node:buffer';
import type Anthropic from '@anthropic-ai/sdk';
import {
  type ContentBlock,
  type DocumentBlock,
  type GenerateRequest,
  type ImageBlock,
  type SystemContentBlock,
  type ToolChoice,
  validation,
} from '../../core/index.js';
import type { AnthropicOptions } from './anthropic-options.js';

/**
 * The SDK's types dropped `temperature` and `top_p` (Anthropic deprecated them for its newest models), but the API
 * still takes them for the models that accept them, and Bedrock callers send them; so they are sent when given.
 */
export type AnthropicParams = Anthropic.MessageCreateParamsNonStreaming & { temperature?: number; top_p?: number };
type Params = AnthropicParams;
type BlockParam = Anthropic.ContentBlockParam;
type ToolResultContent = Exclude<Anthropic.ToolResultBlockParam['content'], string | undefined>[number];

const TEXT_DOCUMENTS = new Set(['txt', 'md', 'csv', 'html']);

/**
 * Canonical request → Messages API body. Returns the `anthropic-beta` values the request asks for beside it,
 * because Bedrock callers put those in `additionalModelRequestFields.anthropic_beta` while the API wants a header.
 */
export function toAnthropicRequest(req: GenerateRequest, options: AnthropicOptions): { params: Params; betas: string[] } {
  const { anthropic_beta, ...extra } = (req.additionalModelRequestFields ?? {}) as { anthropic_beta?: unknown } & Record<string, unknown>;
  const inf = req.inferenceConfig;
  const params: Params = {
    // Model-specific fields (thinking, top_k, metadata …) pass through as on Bedrock; canonical fields win.
    ...(extra as Partial<Params>),
    model: req.model.upstreamModel,
    max_tokens: inf?.maxTokens ?? req.model.maxOutputTokens ?? options.defaultMaxTokens,
    messages: req.messages.filter((m) => m.content.length > 0).map((m) => ({ role: m.role, content: toBlocks(m.content) })),
  };
  if (req.system?.length) params.system = toSystem(req.system);
  if (inf?.temperature !== undefined) params.temperature = inf.temperature;
  if (inf?.topP !== undefined) params.top_p = inf.topP;
  if (inf?.stopSequences?.length) params.stop_sequences = inf.stopSequences;
  if (req.toolConfig?.tools.length) {
    params.tools = req.toolConfig.tools.map(({ toolSpec }) => ({
      name: toolSpec.name,
      description: toolSpec.description,
      input_schema: toolSpec.inputSchema.json as Anthropic.Tool.InputSchema,
    }));
    if (req.toolConfig.toolChoice) params.tool_choice = toToolChoice(req.toolConfig.toolChoice);
  }
  if (req.jsonSchema) params.output_config = { ...params.output_config, format: { type: 'json_schema', schema: req.jsonSchema.schema } };
  const betas = Array.isArray(anthropic_beta) ? anthropic_beta.filter((b): b is string => typeof b === 'string') : [];
  return { params, betas };
}

function toSystem(blocks: SystemContentBlock[]): Anthropic.TextBlockParam[] {
  const out: Anthropic.TextBlockParam[] = [];
  for (const b of blocks) {
    if ('text' in b) out.push({ type: 'text', text: b.text });
    else if ('guardContent' in b) out.push({ type: 'text', text: b.guardContent.text.text });
    else markCached(out);
  }
  return out;
}

function toBlocks(blocks: ContentBlock[]): BlockParam[] {
  const out: BlockParam[] = [];
  for (const b of blocks) {
    if ('text' in b) out.push({ type: 'text', text: b.text });
    else if ('guardContent' in b) out.push({ type: 'text', text: b.guardContent.text.text });
    else if ('image' in b) out.push(toImage(b));
    else if ('document' in b) out.push(toDocument(b));
    else if ('toolUse' in b) {
      out.push({ type: 'tool_use', id: b.toolUse.toolUseId, name: b.toolUse.name, input: b.toolUse.input ?? {} });
    } else if ('toolResult' in b) {
      const content: ToolResultContent[] = b.toolResult.content.map((c) => {
        if ('text' in c) return { type: 'text', text: c.text };
        if ('json' in c) return { type: 'text', text: JSON.stringify(c.json) };
        if ('image' in c) return toImage(c);
        return toDocument(c);
      });
      out.push({ type: 'tool_result', tool_use_id: b.toolResult.toolUseId, content, is_error: b.toolResult.status === 'error' || undefined });
    } else if ('reasoningContent' in b) {
      // Thinking must go back verbatim, signature included, when a thinking turn continues with tool results.
      const r = b.reasoningContent;
      if (r.reasoningText) out.push({ type: 'thinking', thinking: r.reasoningText.text, signature: r.reasoningText.signature ?? '' });
      else if (r.redactedContent) out.push({ type: 'redacted_thinking', data: Buffer.from(r.redactedContent).toString('utf8') });
    } else if ('cachePoint' in b) markCached(out);
    else b satisfies never;
  }
  return out;
}

/** Bedrock marks a cache breakpoint with a block after the cached prefix; Anthropic marks the prefix's last block. */
function markCached(out: (BlockParam | Anthropic.TextBlockParam)[]): void {
  const last = out[out.length - 1];
  // Thinking blocks cannot carry cache_control; a breakpoint after one has nothing to attach to.
  if (last && last.type !== 'thinking' && last.type !== 'redacted_thinking') last.cache_control = { type: 'ephemeral' };
}

function toImage(b: ImageBlock): Anthropic.ImageBlockParam {
  return {
    type: 'image',
    source: { type: 'base64', media_type: `image/${b.image.format}`, data: base64(b.image.source.bytes) },
  };
}

function toDocument(b: DocumentBlock): Anthropic.DocumentBlockParam {
  const { format, name, source } = b.document;
  if ('text' in source) return { type: 'document', title: name, source: { type: 'text', media_type: 'text/plain', data: source.text } };
  if (format === 'pdf') {
    return { type: 'document', title: name, source: { type: 'base64', media_type: 'application/pdf', data: base64(source.bytes) } };
  }
  if (TEXT_DOCUMENTS.has(format)) {
    return { type: 'document', title: name, source: { type: 'text', media_type: 'text/plain', data: Buffer.from(source.bytes).toString('utf8') } };
  }
  throw validation(`Anthropic models cannot read ${format} documents; send pdf or text.`);
}

function toToolChoice(choice: ToolChoice): Anthropic.ToolChoice {
  if ('auto' in choice) return { type: 'auto' };
  if ('any' in choice) return { type: 'any' };
  return { type: 'tool', name: choice.tool.name };
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
