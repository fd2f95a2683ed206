import { z } from 'zod';

/**
 * Anthropic Messages as it arrives. The top level is strict, as Anthropic's API is ("Extra inputs are not
 * permitted"); blocks strip unknown keys (`citations`, `caller` …) so that what clients echo back from a response
 * still validates. Documented features that cannot be honoured are refused by name in `fromMessagesRequest`.
 */
/**
 * A string is shorthand for one text block. Normalising it before validation, rather than a union, keeps zod's
 * error precise: an unsupported block says which type it has instead of "Invalid input".
 */
const asBlocks = (v: unknown) => (typeof v === 'string' ? [{ type: 'text', text: v }] : v);

const cacheControl = z.object({ type: z.literal('ephemeral'), ttl: z.string().optional() }).nullish();

const base64Image = z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() });
const urlSource = z.object({ type: z.literal('url'), url: z.string() });
const fileSource = z.object({ type: z.literal('file'), file_id: z.string() });

const textBlock = z.object({ type: z.literal('text'), text: z.string(), cache_control: cacheControl });
const imageBlock = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [base64Image, urlSource, fileSource]),
  cache_control: cacheControl,
});
const documentBlock = z.object({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.object({ type: z.literal('text'), media_type: z.string().optional(), data: z.string() }),
    z.object({ type: z.literal('content'), content: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]) }),
    urlSource,
    fileSource,
  ]),
  title: z.string().nullish(),
  context: z.string().nullish(),
  cache_control: cacheControl,
});
const toolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
  cache_control: cacheControl,
});
const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.preprocess(asBlocks, z.array(z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock]))).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});
const thinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() });
const redactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: z.string() });

export const contentBlockParam = z.discriminatedUnion('type', [
  textBlock,
  imageBlock,
  documentBlock,
  toolUseBlock,
  toolResultBlock,
  thinkingBlock,
  redactedThinkingBlock,
]);
export type ContentBlockParam = z.infer<typeof contentBlockParam>;
export type ImageBlockParam = z.infer<typeof imageBlock>;
export type DocumentBlockParam = z.infer<typeof documentBlock>;
export type TextBlockParam = z.infer<typeof textBlock>;

export const messageParam = z.object({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.preprocess(asBlocks, z.array(contentBlockParam)),
});
export type MessageParam = z.infer<typeof messageParam>;

/** Custom tools have an input_schema; server tools (web search, code execution …) a dated `type` instead. */
export const toolParam = z.looseObject({
  type: z.string().nullish(),
  name: z.string().min(1),
  description: z.string().nullish(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  cache_control: cacheControl,
});

export const toolChoiceParam = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('none') }),
]);
export type ToolChoiceParam = z.infer<typeof toolChoiceParam>;

const thinkingParam = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1) }),
  z.looseObject({ type: z.literal('disabled') }),
  z.looseObject({ type: z.literal('adaptive') }),
  z.looseObject({ type: z.literal('between_tools') }),
]);

const jsonOutputFormat = z.object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) });

const strictError = {
  error: (iss: { code?: string; keys?: string[] }) =>
    iss.code === 'unrecognized_keys' ? `Extra inputs are not permitted: ${iss.keys?.join(', ')}.` : undefined,
};

/** Shared by Messages and count_tokens: the prompt and what shapes it. */
const promptShape = {
  model: z.string().min(1),
  messages: z.array(messageParam).min(1, 'at least one message is required'),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  tools: z.array(toolParam).optional(),
  tool_choice: toolChoiceParam.optional(),
  thinking: thinkingParam.optional(),
  output_config: z.object({ format: jsonOutputFormat.nullish(), effort: z.string().nullish() }).optional(),
  // The earlier structured-outputs beta spelling of output_config.format.
  output_format: jsonOutputFormat.nullish(),
  mcp_servers: z.unknown().optional(),
  context_management: z.unknown().optional(),
  cache_control: cacheControl,
  speed: z.string().nullish(),
};

export const messagesRequest = z.strictObject(
  {
    ...promptShape,
    max_tokens: z.number().int().min(1),
    stop_sequences: z.array(z.string()).optional(),
    stream: z.boolean().optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    metadata: z.object({ user_id: z.string().nullish() }).optional(),
    // Accepted and ignored: routing and accounting hints with no meaning on a self-hosted server.
    service_tier: z.string().optional(),
    inference_geo: z.string().nullish(),
    diagnostics: z.unknown().optional(),
    user_profile_id: z.string().optional(),
    workspace_id: z.string().optional(),
    container: z.unknown().optional(),
  },
  strictError,
);
export type MessagesRequest = z.infer<typeof messagesRequest>;

export const countTokensRequest = z.strictObject(promptShape, strictError);
export type CountTokensRequest = z.infer<typeof countTokensRequest>;
