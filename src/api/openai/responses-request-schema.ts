import { z } from 'zod';
import { guardrailStreamConfig } from '../bedrock/converse-schema.js';

/**
 * The Responses API's create request as it arrives (ResponseCreateParams in the openai package). As with Chat
 * Completions the top level is strict: a parameter we do not know is refused, not dropped. Nested objects strip unknown
 * keys, because clients decorate items with their own fields (the Vercel AI SDK's `prompt_cache_breakpoint` …).
 * Documented parameters and item types that cannot be honoured are accepted here and refused by name in
 * `fromResponsesRequest`, so the caller learns what to change rather than reading a schema error.
 */
const cacheBreakpoint = z.object({ mode: z.literal('explicit') }).nullish();

const inputText = z.object({ type: z.literal('input_text'), text: z.string(), prompt_cache_breakpoint: cacheBreakpoint });
const inputImage = z.object({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['auto', 'low', 'high', 'original']).nullish(),
  prompt_cache_breakpoint: cacheBreakpoint,
});
const inputFile = z.object({
  type: z.literal('input_file'),
  file_data: z.string().nullish(),
  file_id: z.string().nullish(),
  file_url: z.string().nullish(),
  filename: z.string().nullish(),
  prompt_cache_breakpoint: cacheBreakpoint,
});
const inputAudio = z.object({ type: z.literal('input_audio') });
const outputText = z.object({ type: z.literal('output_text'), text: z.string() });
const refusal = z.object({ type: z.literal('refusal'), refusal: z.string() });

export const contentPart = z.discriminatedUnion('type', [inputText, inputImage, inputFile, inputAudio, outputText, refusal]);
export type ResponsesContentPart = z.infer<typeof contentPart>;

const messageItem = z.object({
  type: z.literal('message'),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  // A string is shorthand for one text part, input_text or (for the assistant) output_text.
  content: z.union([z.string(), z.array(contentPart)]),
  id: z.string().nullish(),
  status: z.string().nullish(),
  phase: z.string().nullish(),
});

const functionCallItem = z.object({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().nullish(),
  status: z.string().nullish(),
  namespace: z.string().nullish(),
});

const functionCallOutputItem = z.object({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(z.discriminatedUnion('type', [inputText, inputImage, inputFile]))]),
  id: z.string().nullish(),
  status: z.string().nullish(),
});

const itemReference = z.object({ type: z.literal('item_reference'), id: z.string().min(1) });

// A reasoning item of an earlier turn: kept for the record, not sent back to the model (see fromResponsesRequest).
const reasoningItem = z.object({ type: z.literal('reasoning'), id: z.string().nullish() });

/** Item types of OpenAI's hosted tools: recognised so the refusal can name them. */
export const HOSTED_ITEM_TYPES = [
  'file_search_call',
  'computer_call',
  'computer_call_output',
  'web_search_call',
  'image_generation_call',
  'code_interpreter_call',
  'local_shell_call',
  'local_shell_call_output',
  'shell_call',
  'shell_call_output',
  'apply_patch_call',
  'apply_patch_call_output',
  'mcp_list_tools',
  'mcp_approval_request',
  'mcp_approval_response',
  'mcp_call',
  'custom_tool_call',
  'custom_tool_call_output',
  'tool_search_call',
  'tool_search_output',
  'compaction',
  'configuration_update',
] as const;
const hostedItem = z.looseObject({ type: z.enum(HOSTED_ITEM_TYPES) });

export const inputItem = z.preprocess(
  // `type` may be left out of a message (EasyInputMessage) and of an item reference; the shape says which it is.
  (v) => (v && typeof v === 'object' && !Array.isArray(v) && !('type' in v) ? { ...v, type: 'role' in v ? 'message' : 'item_reference' } : v),
  z.discriminatedUnion('type', [messageItem, functionCallItem, functionCallOutputItem, itemReference, reasoningItem, hostedItem]),
);
export type ResponsesInputItem = z.infer<typeof inputItem>;

const toolName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'function names are 1-64 letters, digits, _ or -');

const functionTool = z.object({
  type: z.literal('function'),
  name: toolName,
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
  defer_loading: z.boolean().nullish(),
});
/** Hosted tools (web search, file search, MCP, …) and custom tools: recognised by type, refused by name. */
const otherTool = z.looseObject({ type: z.string().refine((t) => t !== 'function') });
export const responsesTool = z.union([functionTool, otherTool]);
export type ResponsesTool = z.infer<typeof responsesTool>;

export const responsesToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), name: z.string() }),
  z.object({
    type: z.literal('allowed_tools'),
    mode: z.enum(['auto', 'required']),
    tools: z.array(z.looseObject({ type: z.string(), name: z.string().optional() })),
  }),
  // Hosted tools' choices ({ type: 'web_search_preview' }, mcp, custom …): recognised, refused by name.
  z.looseObject({
    type: z.string().refine((t) => t !== 'function' && t !== 'allowed_tools', 'a function choice needs its name; allowed_tools needs mode and tools'),
  }),
]);
export type ResponsesToolChoice = z.infer<typeof responsesToolChoice>;

export const textFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string().min(1).max(64),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().nullish(),
    strict: z.boolean().nullish(),
  }),
]);

export const responsesRequest = z.strictObject(
  {
    model: z.string().min(1),
    input: z.union([z.string(), z.array(inputItem)]).nullish(),
    instructions: z.string().nullish(),
    max_output_tokens: z.number().int().min(1).nullish(),
    // OpenAI's range, passed on unscaled as for Chat Completions (see fromChatRequest).
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    tools: z.array(responsesTool).nullish(),
    tool_choice: responsesToolChoice.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    text: z.object({ format: textFormat.nullish(), verbosity: z.enum(['low', 'medium', 'high']).nullish() }).nullish(),
    metadata: z
      .record(z.string().max(64), z.string().max(512))
      .refine((m) => Object.keys(m).length <= 16, 'metadata holds at most 16 keys')
      .nullish(),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_obfuscation: z.boolean().nullish() }).nullish(),
    store: z.boolean().nullish(),
    previous_response_id: z.string().min(1).nullish(),
    reasoning: z.object({ effort: z.string().nullish(), summary: z.string().nullish(), generate_summary: z.string().nullish() }).nullish(),
    include: z.array(z.string()).nullish(),
    // Accepted and ignored: they change nothing about the answer. `truncation: auto` only differs when the input
    // exceeds the context window, where Quarry answers with an error instead of dropping turns.
    user: z.string().nullish(),
    safety_identifier: z.string().nullish(),
    service_tier: z.string().nullish(),
    prompt_cache_key: z.string().nullish(),
    prompt_cache_retention: z.string().nullish(),
    prompt_cache_options: z.record(z.string(), z.unknown()).nullish(),
    truncation: z.enum(['auto', 'disabled']).nullish(),
    max_tool_calls: z.number().int().min(1).nullish(),
    // Documented but refused unless off: see fromResponsesRequest.
    background: z.boolean().nullish(),
    conversation: z.unknown().optional(),
    prompt: z.unknown().optional(),
    context_management: z.unknown().optional(),
    top_logprobs: z.number().int().nullish(),
    // Quarry's: a guardrail to enforce, in Bedrock Converse's `guardrailConfig` shape (as on Chat Completions).
    guardrailConfig: guardrailStreamConfig.nullish(),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `Unrecognized request argument(s): ${iss.keys.join(', ')}. Quarry accepts the documented Responses parameters.` : undefined,
  },
);
export type ResponsesRequest = z.infer<typeof responsesRequest>;

/** The token-count request (InputTokenCountParams): the create parameters that shape the prompt, nothing else. */
export const inputTokensRequest = responsesRequest.pick({
  model: true,
  input: true,
  instructions: true,
  tools: true,
  tool_choice: true,
  parallel_tool_calls: true,
  text: true,
  reasoning: true,
  previous_response_id: true,
  truncation: true,
  conversation: true,
});
