import { z } from 'zod';

/**
 * Anthropic Messages as Bedrock's InvokeModel takes it (`anthropic_version: "bedrock-2023-05-31"`, the model in the
 * URL, not the body). Bedrock validates it strictly — an unknown key is "extraneous key [...] is not permitted" — so
 * these schemas are strict too.
 */
const cacheControl = z.object({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() }).strict();

const text = z
  .object({ type: z.literal('text'), text: z.string(), cache_control: cacheControl.optional(), citations: z.array(z.unknown()).nullish() })
  .strict();

const image = z
  .object({
    type: z.literal('image'),
    source: z
      .object({ type: z.literal('base64'), media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']), data: z.string() })
      .strict(),
    cache_control: cacheControl.optional(),
  })
  .strict();

const document = z
  .object({
    type: z.literal('document'),
    source: z.discriminatedUnion('type', [
      z.object({ type: z.literal('base64'), media_type: z.literal('application/pdf'), data: z.string() }).strict(),
      z.object({ type: z.literal('text'), media_type: z.literal('text/plain'), data: z.string() }).strict(),
    ]),
    title: z.string().nullish(),
    context: z.string().nullish(),
    citations: z.object({ enabled: z.boolean() }).strict().optional(),
    cache_control: cacheControl.optional(),
  })
  .strict();

const toolUse = z
  .object({
    type: z.literal('tool_use'),
    id: z.string().min(1),
    name: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
    cache_control: cacheControl.optional(),
  })
  .strict();

const toolResult = z
  .object({
    type: z.literal('tool_result'),
    tool_use_id: z.string().min(1),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [text, image, document]))]).optional(),
    is_error: z.boolean().optional(),
    cache_control: cacheControl.optional(),
  })
  .strict();

const thinking = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }).strict();
const redactedThinking = z.object({ type: z.literal('redacted_thinking'), data: z.string() }).strict();

export const anthropicBlock = z.discriminatedUnion('type', [text, image, document, toolUse, toolResult, thinking, redactedThinking]);
export type AnthropicBlock = z.infer<typeof anthropicBlock>;

const tool = z
  .object({
    type: z.literal('custom').optional(),
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names are 1-64 letters, digits, _ or -'),
    description: z.string().optional(),
    input_schema: z.object({ type: z.literal('object') }).passthrough(),
    cache_control: cacheControl.optional(),
  })
  .strict();

const toolChoice = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('none') }).strict(),
]);

export const anthropicBody = z
  .object({
    anthropic_version: z.literal('bedrock-2023-05-31'),
    anthropic_beta: z.array(z.string()).optional(),
    max_tokens: z.number().int().min(1),
    messages: z
      .array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(anthropicBlock)]) }).strict())
      .min(1, 'at least one message is required'),
    system: z.union([z.string(), z.array(text)]).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    stop_sequences: z.array(z.string().min(1)).max(8191).optional(),
    tools: z.array(tool).optional(),
    tool_choice: toolChoice.optional(),
    thinking: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }).strict(),
        z.object({ type: z.literal('disabled') }).strict(),
      ])
      .optional(),
  })
  .strict();

export type AnthropicBody = z.infer<typeof anthropicBody>;
