import type {
  ContentBlock as BedrockBlock,
  ConverseCommandInput,
  DocumentBlock as BedrockDocument,
  ImageBlock as BedrockImage,
  SystemContentBlock as BedrockSystemBlock,
  ToolChoice as BedrockToolChoice,
  ToolResultContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import type { ContentBlock, DocumentBlock, GenerateRequest, ImageBlock, SystemContentBlock, ToolChoice } from '../../core/index.js';

/** The SDK's JSON document type (from @smithy/types, which is not a direct dependency). */
type DocumentType = NonNullable<ConverseCommandInput['additionalModelRequestFields']>;

/**
 * Canonical request → Converse input. The canonical types are Converse's, so this is a copy; it is written out
 * member by member (rather than cast) so that a drift between the two type sets fails to compile here.
 */
export function toBedrockConverse(req: GenerateRequest): ConverseCommandInput {
  const input: ConverseCommandInput = {
    modelId: req.model.upstreamModel,
    messages: req.messages.map((m) => ({ role: m.role, content: m.content.map(toBlock) })),
  };
  if (req.system?.length) input.system = req.system.map(toSystemBlock);
  if (req.inferenceConfig) input.inferenceConfig = { ...req.inferenceConfig };
  if (req.toolConfig?.tools.length) {
    input.toolConfig = {
      tools: req.toolConfig.tools.map(({ toolSpec }) => ({
        toolSpec: { name: toolSpec.name, description: toolSpec.description, inputSchema: { json: toolSpec.inputSchema.json as DocumentType } },
      })),
      toolChoice: req.toolConfig.toolChoice ? toToolChoice(req.toolConfig.toolChoice) : undefined,
    };
  }
  if (req.additionalModelRequestFields) input.additionalModelRequestFields = req.additionalModelRequestFields as DocumentType;
  if (req.requestMetadata) input.requestMetadata = req.requestMetadata;
  if (req.jsonSchema) {
    const { name, description, schema } = req.jsonSchema;
    input.outputConfig = {
      textFormat: { type: 'json_schema', structure: { jsonSchema: { name, description, schema: JSON.stringify(schema) } } },
    };
  }
  return input;
}

function toSystemBlock(b: SystemContentBlock): BedrockSystemBlock {
  if ('text' in b) return { text: b.text };
  if ('guardContent' in b) return { guardContent: { text: { ...b.guardContent.text } } };
  return { cachePoint: { type: 'default' } };
}

function toBlock(b: ContentBlock): BedrockBlock {
  if ('text' in b) return { text: b.text };
  if ('image' in b) return { image: toImage(b) };
  if ('document' in b) return { document: toDocument(b) };
  if ('toolUse' in b) {
    return { toolUse: { toolUseId: b.toolUse.toolUseId, name: b.toolUse.name, input: (b.toolUse.input ?? {}) as DocumentType } };
  }
  if ('toolResult' in b) {
    const content = b.toolResult.content.map((c): ToolResultContentBlock => {
      if ('text' in c) return { text: c.text };
      if ('json' in c) return { json: c.json as DocumentType };
      if ('image' in c) return { image: toImage(c) };
      return { document: toDocument(c) };
    });
    return { toolResult: { toolUseId: b.toolResult.toolUseId, content, status: b.toolResult.status } };
  }
  if ('reasoningContent' in b) {
    const r = b.reasoningContent;
    if (r.reasoningText) return { reasoningContent: { reasoningText: { ...r.reasoningText } } };
    return { reasoningContent: { redactedContent: r.redactedContent ?? new Uint8Array() } };
  }
  if ('guardContent' in b) return { guardContent: { text: { ...b.guardContent.text } } };
  return { cachePoint: { type: 'default' } };
}

function toImage(b: ImageBlock): BedrockImage {
  return { format: b.image.format, source: { bytes: b.image.source.bytes } };
}

function toDocument(b: DocumentBlock): BedrockDocument {
  const { format, name, source } = b.document;
  return { format, name, source: 'text' in source ? { text: source.text } : { bytes: source.bytes } };
}

function toToolChoice(choice: ToolChoice): BedrockToolChoice {
  if ('auto' in choice) return { auto: {} };
  if ('any' in choice) return { any: {} };
  return { tool: { name: choice.tool.name } };
}
