import {
  type ContentBlock,
  type ConverseRequest,
  type ConverseResult,
  type Message,
  type SystemContentBlock,
  type ToolChoice,
  type ToolResultContent,
  validation,
} from '../../core/index.js';
import { decodeBase64, encodeBase64 } from '../shared/base64.js';
import type { ConverseStreamBody, WireContentBlock } from './converse-schema.js';

/** Wire Converse → canonical: base64 becomes bytes; everything else is already the canonical shape. */
export function fromConverseWire(modelId: string, body: ConverseStreamBody): ConverseRequest {
  checkTurns(body.messages);
  const messages: Message[] = body.messages.map((m, i) => ({
    role: m.role,
    content: m.content.map((b, j) => decodeBlock(b, `messages.${i}.content.${j}`)),
  }));
  const system = body.system as SystemContentBlock[] | undefined;
  const req: ConverseRequest = { modelId, messages, system, inferenceConfig: body.inferenceConfig };
  if (body.toolConfig) {
    const tools = body.toolConfig.tools.flatMap((t) => ('toolSpec' in t ? [{ toolSpec: t.toolSpec }] : []));
    if (tools.length) req.toolConfig = { tools, toolChoice: body.toolConfig.toolChoice as ToolChoice | undefined };
  }
  if (body.additionalModelRequestFields) req.additionalModelRequestFields = body.additionalModelRequestFields;
  if (body.requestMetadata) req.requestMetadata = body.requestMetadata;
  const g = body.guardrailConfig;
  if (g) {
    req.guardrail = {
      identifier: g.guardrailIdentifier,
      version: g.guardrailVersion,
      trace: g.trace ?? 'disabled',
      ...(g.streamProcessingMode ? { streamProcessingMode: g.streamProcessingMode } : {}),
    };
  }
  const js = body.outputConfig?.textFormat?.structure.jsonSchema;
  if (js) {
    let schema: unknown;
    try {
      schema = JSON.parse(js.schema);
    } catch {
      throw validation('outputConfig.textFormat.structure.jsonSchema.schema must be a JSON Schema serialised as a string.');
    }
    if (!schema || typeof schema !== 'object') throw validation('outputConfig jsonSchema.schema must be a JSON object.');
    req.jsonSchema = { name: js.name ?? 'output', description: js.description, schema: schema as Record<string, unknown> };
  }
  return req;
}

function decodeBlock(b: WireContentBlock, at: string): ContentBlock {
  if ('image' in b) return { image: { format: b.image.format, source: { bytes: decodeBase64(b.image.source.bytes, `${at}.image.source.bytes`) } } };
  if ('document' in b) return { document: decodeDocument(b.document, at) };
  if ('toolResult' in b) {
    const content: ToolResultContent[] = b.toolResult.content.map((c, k) => {
      if ('image' in c) return { image: { format: c.image.format, source: { bytes: decodeBase64(c.image.source.bytes, `${at}.toolResult.content.${k}`) } } };
      if ('document' in c) return { document: decodeDocument(c.document, `${at}.toolResult.content.${k}`) };
      return c as ToolResultContent;
    });
    return { toolResult: { toolUseId: b.toolResult.toolUseId, content, status: b.toolResult.status } };
  }
  if ('reasoningContent' in b) {
    const r = b.reasoningContent;
    return 'redactedContent' in r
      ? { reasoningContent: { redactedContent: decodeBase64(r.redactedContent, `${at}.reasoningContent.redactedContent`) } }
      : { reasoningContent: { reasoningText: r.reasoningText } };
  }
  if ('toolUse' in b) return { toolUse: { toolUseId: b.toolUse.toolUseId, name: b.toolUse.name, input: b.toolUse.input ?? {} } };
  return b as ContentBlock;
}

function decodeDocument(d: Extract<WireContentBlock, { document: unknown }>['document'], at: string) {
  const format = d.format ?? 'txt';
  const source = 'bytes' in d.source ? { bytes: decodeBase64(d.source.bytes, `${at}.document.source.bytes`) } : { text: d.source.text };
  return { format, name: d.name, source };
}

/** Canonical content → wire (bytes back to base64). */
export function encodeContent(blocks: ContentBlock[]): unknown[] {
  return blocks.map((b) => {
    if ('image' in b) return { image: { format: b.image.format, source: { bytes: encodeBase64(b.image.source.bytes) } } };
    if ('reasoningContent' in b && b.reasoningContent.redactedContent) {
      return { reasoningContent: { redactedContent: encodeBase64(b.reasoningContent.redactedContent) } };
    }
    return b;
  });
}

export function toConverseWire(result: ConverseResult) {
  return {
    output: { message: { role: result.message.role, content: encodeContent(result.message.content) } },
    stopReason: result.stopReason,
    usage: wireUsage(result.usage),
    metrics: { latencyMs: result.latencyMs },
    ...(result.additionalModelResponseFields ? { additionalModelResponseFields: result.additionalModelResponseFields } : {}),
    ...(result.guardrail?.trace ? { trace: { guardrail: result.guardrail.trace } } : {}),
  };
}

export function wireUsage(u: ConverseResult['usage']) {
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    totalTokens: u.totalTokens,
    ...(u.cacheReadInputTokens ? { cacheReadInputTokens: u.cacheReadInputTokens } : {}),
    ...(u.cacheWriteInputTokens ? { cacheWriteInputTokens: u.cacheWriteInputTokens } : {}),
  };
}

/**
 * Bedrock's own rules for a conversation, with its messages: it starts with the user and the roles alternate (a
 * last assistant message, a prefill, is allowed). Clients written for Bedrock merge consecutive turns themselves
 * (LangChain's ChatBedrockConverse, the AI SDK's Bedrock provider), and one that does not must learn it here, not in
 * production.
 */
function checkTurns(messages: readonly { role: string }[]): void {
  if (messages.length && messages[0]!.role !== 'user') {
    throw validation('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  }
  for (let i = 1; i < messages.length; i++) {
    if (messages[i]!.role === messages[i - 1]!.role) {
      throw validation(
        `A conversation must alternate between user and assistant roles (messages.${i - 1} and messages.${i} are both ${messages[i]!.role}). Make sure the conversation alternates between user and assistant roles and try again.`,
      );
    }
  }
}
