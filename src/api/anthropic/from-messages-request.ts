import {
  type ContentBlock,
  type ConverseRequest,
  type DocumentBlock,
  type ImageBlock,
  type ImageFormat,
  type Message,
  type SystemContentBlock,
  type ToolResultContent,
  validation,
} from '../../core/index.js';
import { decodeBase64 } from '../shared/base64.js';
import type {
  ContentBlockParam,
  CountTokensRequest,
  DocumentBlockParam,
  ImageBlockParam,
  MessagesRequest,
  TextBlockParam,
} from './messages-request-schema.js';

const IMAGE: Record<string, ImageFormat> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp' };

/** Messages request → canonical. */
export function fromMessagesRequest(body: MessagesRequest): ConverseRequest {
  const req = fromPrompt(body);
  const stop = (body.stop_sequences ?? []).filter((s) => s);
  const inference = {
    maxTokens: body.max_tokens,
    ...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
    ...(body.top_p !== undefined ? { topP: body.top_p } : {}),
    ...(stop.length ? { stopSequences: stop } : {}),
  };
  // top_k is deliberately dropped: additionalModelRequestFields reach OpenAI-compatible upstreams verbatim, and most
  // of them refuse an unknown top_k, which would turn a sampling hint into a failed request.
  req.inferenceConfig = inference;
  if (body.metadata?.user_id) req.requestMetadata = { user_id: body.metadata.user_id };
  return req;
}

/** The prompt half, shared with count_tokens: messages, system, tools, thinking and output format. */
export function fromPrompt(body: CountTokensRequest): ConverseRequest {
  if (body.mcp_servers != null) throw validation('mcp_servers: remote MCP servers are not supported; define the tools yourself.');
  if (body.context_management != null) throw validation('context_management is not supported.');
  const system: SystemContentBlock[] = typeof body.system === 'string' ? [{ text: body.system }] : (body.system ?? []).flatMap((b) => textBlock(b));
  const messages: Message[] = [];
  body.messages.forEach((m, i) => {
    const at = `messages.${i}.content`;
    const blocks = m.content.flatMap((b, j) => block(b, `${at}.${j}`));
    // Newer clients may put system prompts among the messages; the canonical request has one system prompt.
    if (m.role === 'system') {
      system.push(...blocks.filter((b): b is SystemContentBlock => 'text' in b || 'cachePoint' in b));
      return;
    }
    const last = messages.at(-1);
    if (last?.role === m.role) last.content.push(...blocks);
    else messages.push({ role: m.role, content: blocks });
  });
  const req: ConverseRequest = { modelId: body.model, messages };
  if (system.length) req.system = system;

  const tools = (body.tools ?? []).map((t, i) => {
    if (t.type && t.type !== 'custom') throw validation(`tools.${i}: server tool "${t.type}" is not supported; define a custom tool with an input_schema.`);
    if (!t.input_schema) throw validation(`tools.${i}.input_schema is required.`);
    return { toolSpec: { name: t.name, ...(t.description ? { description: t.description } : {}), inputSchema: { json: t.input_schema } } };
  });
  const choice = body.tool_choice;
  // Converse has no "none": a model that must not call tools is simply not offered any.
  if (tools.length && choice?.type !== 'none') {
    req.toolConfig = { tools };
    if (choice?.type === 'any') req.toolConfig.toolChoice = { any: {} };
    else if (choice?.type === 'tool') {
      if (!tools.some((t) => t.toolSpec.name === choice.name)) throw validation(`tool_choice.name: "${choice.name}" is not one of the tools.`);
      req.toolConfig.toolChoice = { tool: { name: choice.name } };
    }
  } else if (!tools.length && (choice?.type === 'any' || choice?.type === 'tool')) {
    throw validation('tool_choice requires tools.');
  }

  // Extended thinking travels as Bedrock carries it for Claude models: verbatim in additionalModelRequestFields.
  if (body.thinking && body.thinking.type !== 'disabled') req.additionalModelRequestFields = { thinking: body.thinking };

  const format = body.output_config?.format ?? body.output_format;
  if (format) req.jsonSchema = { name: 'output', schema: format.schema };
  return req;
}

/** `cache_control` marks the end of a cacheable prefix, as a Converse cachePoint placed after the block does. */
function cached<T extends ContentBlock>(b: T, cacheControl: unknown): (T | { cachePoint: { type: 'default' } })[] {
  return cacheControl ? [b, { cachePoint: { type: 'default' } }] : [b];
}

function textBlock(b: TextBlockParam): SystemContentBlock[] {
  return cached({ text: b.text }, b.cache_control);
}

function block(b: ContentBlockParam, at: string): ContentBlock[] {
  switch (b.type) {
    case 'text':
      return textBlock(b);
    case 'image':
      return cached(image(b, at), b.cache_control);
    case 'document':
      return cached(document(b, at), b.cache_control);
    case 'tool_use':
      return cached({ toolUse: { toolUseId: b.id, name: b.name, input: b.input ?? {} } }, b.cache_control);
    case 'tool_result': {
      const content: ToolResultContent[] = (b.content ?? []).map((c, k) =>
        c.type === 'text' ? { text: c.text } : c.type === 'image' ? image(c, `${at}.content.${k}`) : document(c, `${at}.content.${k}`),
      );
      return cached({ toolResult: { toolUseId: b.tool_use_id, content, ...(b.is_error ? { status: 'error' as const } : {}) } }, b.cache_control);
    }
    case 'thinking':
      return [{ reasoningContent: { reasoningText: { text: b.thinking, ...(b.signature ? { signature: b.signature } : {}) } } }];
    case 'redacted_thinking':
      // Opaque to us; kept as its UTF-8 bytes so that it goes back out byte for byte.
      return [{ reasoningContent: { redactedContent: new Uint8Array(Buffer.from(b.data, 'utf8')) } }];
    default:
      return b satisfies never;
  }
}

function image(b: ImageBlockParam, at: string): ImageBlock {
  const s = b.source;
  if (s.type !== 'base64') throw validation(`${at}.source: only base64 images are supported; Quarry does not fetch URLs or keep uploaded files.`);
  const format = IMAGE[s.media_type];
  if (!format) throw validation(`${at}.source.media_type: "${s.media_type}" is not supported; send image/png, image/jpeg, image/gif or image/webp.`);
  return { image: { format, source: { bytes: decodeBase64(s.data, `${at}.source.data`) } } };
}

function document(b: DocumentBlockParam, at: string): DocumentBlock {
  const s = b.source;
  // Converse requires a document name; Anthropic's title is optional.
  const name = b.title || `document-${at.replace(/\D+/g, '-').replace(/^-|-$/g, '')}`;
  switch (s.type) {
    case 'base64':
      if (s.media_type !== 'application/pdf') throw validation(`${at}.source.media_type: base64 documents must be application/pdf.`);
      return { document: { format: 'pdf', name, source: { bytes: decodeBase64(s.data, `${at}.source.data`) } } };
    case 'text':
      return { document: { format: 'txt', name, source: { text: s.data } } };
    case 'content': {
      if (typeof s.content === 'string') return { document: { format: 'txt', name, source: { text: s.content } } };
      if (s.content.some((c) => c.type !== 'text')) throw validation(`${at}.source.content: only text blocks are supported in a content document.`);
      return { document: { format: 'txt', name, source: { text: s.content.map((c) => c.text ?? '').join('\n') } } };
    }
    case 'url':
    case 'file':
      throw validation(`${at}.source: only base64 and text documents are supported; Quarry does not fetch URLs or keep uploaded files.`);
    default:
      return s satisfies never;
  }
}
