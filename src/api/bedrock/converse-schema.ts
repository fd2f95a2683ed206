import { z } from 'zod';

/**
 * Bedrock Converse as it arrives on the wire (bytes as base64 strings), from the SDK's own type definitions.
 * Content blocks are unions with exactly one member set, as the AWS JSON protocol encodes them.
 */
const b64 = z.string();
const imageFormat = z.enum(['png', 'jpeg', 'gif', 'webp']);
const docFormat = z.enum(['pdf', 'csv', 'doc', 'docx', 'xls', 'xlsx', 'html', 'txt', 'md']);

const image = z.object({ format: imageFormat, source: z.object({ bytes: b64 }).strict() }).strict();
const document = z
  .object({
    format: docFormat.optional(),
    name: z.string().min(1),
    source: z.union([z.object({ bytes: b64 }).strict(), z.object({ text: z.string() }).strict()]),
    context: z.string().optional(),
    citations: z.object({ enabled: z.boolean() }).optional(),
  })
  .strict();
const guardContent = z
  .object({ text: z.object({ text: z.string(), qualifiers: z.array(z.enum(['grounding_source', 'query', 'guard_content'])).optional() }).strict() })
  .strict();

const toolResultContent = z.union([
  z.object({ text: z.string() }).strict(),
  z.object({ json: z.unknown() }).strict(),
  z.object({ image }).strict(),
  z.object({ document }).strict(),
]);

export const contentBlock = z.union([
  z.object({ text: z.string() }).strict(),
  z.object({ image }).strict(),
  z.object({ document }).strict(),
  z.object({ toolUse: z.object({ toolUseId: z.string().min(1), name: z.string().min(1), input: z.unknown(), type: z.string().optional() }).strict() }).strict(),
  z
    .object({
      toolResult: z
        .object({
          toolUseId: z.string().min(1),
          content: z.array(toolResultContent),
          status: z.enum(['success', 'error']).optional(),
          type: z.string().optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      reasoningContent: z.union([
        z.object({ reasoningText: z.object({ text: z.string(), signature: z.string().optional() }).strict() }).strict(),
        z.object({ redactedContent: b64 }).strict(),
      ]),
    })
    .strict(),
  z.object({ guardContent }).strict(),
  z.object({ cachePoint: z.object({ type: z.literal('default') }).passthrough() }).strict(),
]);

export const message = z.object({ role: z.enum(['user', 'assistant']), content: z.array(contentBlock) }).strict();

export const systemBlock = z.union([
  z.object({ text: z.string() }).strict(),
  z.object({ guardContent }).strict(),
  z.object({ cachePoint: z.object({ type: z.literal('default') }).passthrough() }).strict(),
]);

export const toolConfig = z
  .object({
    tools: z
      .array(
        z.union([
          z
            .object({
              toolSpec: z
                .object({
                  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1-64 letters, digits, _ or -'),
                  description: z.string().optional(),
                  inputSchema: z.object({ json: z.record(z.string(), z.unknown()) }).strict(),
                  strict: z.boolean().optional(),
                })
                .strict(),
            })
            .strict(),
          z.object({ cachePoint: z.object({ type: z.literal('default') }).passthrough() }).strict(),
        ]),
      )
      .min(1),
    toolChoice: z
      .union([
        z.object({ auto: z.object({}).strict() }).strict(),
        z.object({ any: z.object({}).strict() }).strict(),
        z.object({ tool: z.object({ name: z.string() }).strict() }).strict(),
      ])
      .optional(),
  })
  .strict();

export const inferenceConfig = z
  .object({
    maxTokens: z.number().int().min(1).optional(),
    temperature: z.number().min(0).max(1).optional(),
    topP: z.number().min(0).max(1).optional(),
    stopSequences: z.array(z.string().min(1)).max(2500).optional(),
  })
  .strict();

/**
 * Converse's `guardrailConfig` (GuardrailConfiguration in the SDK). Bedrock documents both fields as required and
 * patterns for them; a malformed one is a 400 here, a well-formed one that names nothing is the engine's 404.
 */
export const guardrailConfig = z
  .object({
    guardrailIdentifier: z
      .string()
      .max(2048)
      .regex(/^(?:[a-z0-9]+|arn:aws(?:-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail\/[a-z0-9]+)$/, 'guardrailIdentifier must be a guardrail id or ARN'),
    guardrailVersion: z.string().regex(/^(?:[1-9][0-9]{0,7}|DRAFT)$/, 'guardrailVersion must be DRAFT or a version number'),
    trace: z.enum(['enabled', 'disabled', 'enabled_full']).optional(),
  })
  .strict();

/** ConverseStream's GuardrailStreamConfiguration adds how the answer is checked while it streams. */
export const guardrailStreamConfig = guardrailConfig.extend({ streamProcessingMode: z.enum(['sync', 'async']).optional() }).strict();

export const converseBody = z
  .object({
    messages: z.array(message).min(1, 'at least one message is required'),
    system: z.array(systemBlock).optional(),
    inferenceConfig: inferenceConfig.optional(),
    toolConfig: toolConfig.optional(),
    guardrailConfig: guardrailConfig.optional(),
    additionalModelRequestFields: z.record(z.string(), z.unknown()).optional(),
    promptVariables: z.record(z.string(), z.unknown()).optional(),
    additionalModelResponseFieldPaths: z.array(z.string()).optional(),
    requestMetadata: z.record(z.string(), z.string()).optional(),
    performanceConfig: z.object({ latency: z.enum(['standard', 'optimized']) }).strict().optional(),
    serviceTier: z.unknown().optional(),
    outputConfig: z
      .object({
        textFormat: z
          .object({
            type: z.literal('json_schema'),
            structure: z
              .object({ jsonSchema: z.object({ schema: z.string(), name: z.string().optional(), description: z.string().optional() }).strict() })
              .strict(),
          })
          .strict()
          .optional(),
        effort: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ConverseBody = z.infer<typeof converseBody>;

export const converseStreamBody = converseBody.extend({ guardrailConfig: guardrailStreamConfig.optional() }).strict();
export type ConverseStreamBody = z.infer<typeof converseStreamBody>;
export type WireContentBlock = z.infer<typeof contentBlock>;

export const countTokensBody = z
  .object({
    input: z.union([
      z.object({ converse: converseBody.partial({ messages: true }).pick({ messages: true, system: true, toolConfig: true, additionalModelRequestFields: true }) }).strict(),
      z.object({ invokeModel: z.object({ body: z.string() }).strict() }).strict(),
    ]),
  })
  .strict();
