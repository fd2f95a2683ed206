import { z } from 'zod';
import { guardrailStreamConfig } from '../bedrock/converse-schema.js';

/**
 * Chat Completions as it arrives (CreateChatCompletionRequest in OpenAI's OpenAPI spec). The top level is strict, as
 * OpenAI's own API is: a parameter we do not know is refused rather than silently dropped. Nested objects strip
 * unknown keys, because clients decorate messages with their own fields (`name`, `reasoning_content` …).
 * Parameters that are documented but cannot be honoured are accepted here and refused by `fromChatRequest` with a
 * message that names them.
 */
const cacheBreakpoint = z.object({ mode: z.literal('explicit') }).nullish();

const textPart = z.object({ type: z.literal('text'), text: z.string(), prompt_cache_breakpoint: cacheBreakpoint });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).nullish() }),
  prompt_cache_breakpoint: cacheBreakpoint,
});
const audioPart = z.object({ type: z.literal('input_audio'), input_audio: z.object({ data: z.string(), format: z.string() }) });
const filePart = z.object({
  type: z.literal('file'),
  file: z.object({ filename: z.string().nullish(), file_data: z.string().nullish(), file_id: z.string().nullish() }),
  prompt_cache_breakpoint: cacheBreakpoint,
});
const refusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });

export const userContentPart = z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart]);
export type UserContentPart = z.infer<typeof userContentPart>;

const textContent = z.union([z.string(), z.array(textPart)]);

export const toolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function').default('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

export const chatMessage = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: textContent, name: z.string().nullish() }),
  z.object({ role: z.literal('developer'), content: textContent, name: z.string().nullish() }),
  // A string is shorthand for one text part; normalising it first, rather than a union, keeps zod's errors precise
  // (an unsupported part names its type instead of "Invalid input").
  z.object({
    role: z.literal('user'),
    content: z.preprocess((v) => (typeof v === 'string' ? [{ type: 'text', text: v }] : v), z.array(userContentPart).min(1)),
    name: z.string().nullish(),
  }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, refusalPart]))]).nullish(),
    refusal: z.string().nullish(),
    name: z.string().nullish(),
    tool_calls: z.array(toolCall).nullish(),
    function_call: z.unknown().optional(),
    audio: z.unknown().optional(),
  }),
  z.object({ role: z.literal('tool'), content: textContent, tool_call_id: z.string().min(1) }),
  z.object({ role: z.literal('function'), content: z.string().nullish(), name: z.string() }),
]);
export type ChatMessage = z.infer<typeof chatMessage>;

const toolName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'function names are 1-64 letters, digits, _ or -');

export const chatTool = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('function'),
    function: z.object({
      name: toolName,
      description: z.string().nullish(),
      parameters: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
  z.object({ type: z.literal('custom'), custom: z.looseObject({ name: z.string() }) }),
]);

export const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
  z.object({ type: z.literal('custom'), custom: z.object({ name: z.string() }) }),
  z.object({
    type: z.literal('allowed_tools'),
    allowed_tools: z.object({ mode: z.enum(['auto', 'required']), tools: z.array(z.object({ type: z.string(), function: z.object({ name: z.string() }).optional() })) }),
  }),
]);
export type ChatToolChoice = z.infer<typeof toolChoice>;

export const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().min(1).max(64),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const chatCompletionRequest = z.strictObject(
  {
    model: z.string().min(1),
    messages: z.array(chatMessage).min(1, 'at least one message is required'),
    max_tokens: z.number().int().min(1).nullish(),
    max_completion_tokens: z.number().int().min(1).nullish(),
    // OpenAI's range; see fromChatRequest for why it is passed on unscaled.
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    stop: z.union([z.string(), z.array(z.string())]).nullish(),
    n: z.number().int().nullish(),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish(), include_obfuscation: z.boolean().nullish() }).nullish(),
    tools: z.array(chatTool).nullish(),
    tool_choice: toolChoice.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    response_format: responseFormat.nullish(),
    // Passed to the model as additionalModelRequestFields, as Bedrock passes model-specific knobs.
    seed: z.number().int().nullish(),
    frequency_penalty: z.number().min(-2).max(2).nullish(),
    presence_penalty: z.number().min(-2).max(2).nullish(),
    reasoning_effort: z.string().nullish(),
    // Accepted and ignored: they change nothing about the answer.
    user: z.string().nullish(),
    metadata: z.record(z.string(), z.string()).nullish(),
    store: z.boolean().nullish(),
    service_tier: z.string().nullish(),
    safety_identifier: z.string().nullish(),
    prompt_cache_key: z.string().nullish(),
    prompt_cache_retention: z.string().nullish(),
    prompt_cache_options: z.record(z.string(), z.unknown()).nullish(),
    verbosity: z.string().nullish(),
    prediction: z.unknown().optional(),
    // Documented but refused unless off: see fromChatRequest.
    logprobs: z.boolean().nullish(),
    top_logprobs: z.number().int().nullish(),
    logit_bias: z.record(z.string(), z.number()).nullish(),
    modalities: z.array(z.string()).nullish(),
    audio: z.unknown().optional(),
    web_search_options: z.unknown().optional(),
    moderation: z.unknown().optional(),
    functions: z.unknown().optional(),
    function_call: z.unknown().optional(),
    // Quarry's: a guardrail to enforce, in Bedrock Converse's `guardrailConfig` shape (see chat-guardrail.ts).
    guardrailConfig: guardrailStreamConfig.nullish(),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `Unrecognized request argument(s): ${iss.keys.join(', ')}. Quarry accepts the documented Chat Completions parameters.`
        : undefined,
  },
);
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;
