import { type ContentBlock, type ConverseResult, randomHex, type StopReason, type Usage } from '../../core/index.js';
import type { ResponsesRequest } from './responses-request-schema.js';

/** A Responses API output item as Quarry writes it: a message with output_text, a function call, or reasoning. */
export type OutputItem =
  | { type: 'message'; id: string; status: ItemStatus; role: 'assistant'; content: OutputText[] }
  | { type: 'function_call'; id: string; status: ItemStatus; call_id: string; name: string; arguments: string }
  | { type: 'reasoning'; id: string; status: ItemStatus; summary: never[]; content: { type: 'reasoning_text'; text: string }[] };
export type OutputText = { type: 'output_text'; text: string; annotations: never[]; logprobs: never[] };
type ItemStatus = 'in_progress' | 'completed' | 'incomplete';
export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** The Response object (`object: "response"`). */
export type ResponseObject = ReturnType<typeof responseShell> & {
  status: ResponseStatus;
  output: OutputItem[];
  usage: ReturnType<typeof responseUsage> | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  error: { code: string; message: string } | null;
  completed_at: number | null;
  guardrail?: unknown;
};

export const itemId = (prefix: 'msg' | 'fc' | 'rs') => `${prefix}_${randomHex(48)}`;
export const outputText = (text: string): OutputText => ({ type: 'output_text', text, annotations: [], logprobs: [] });

/**
 * What a Response repeats of its request, with OpenAI's defaults where the request left a field out, so clients that
 * read `temperature` or `tool_choice` back see what applied. `model` is the id the client asked for.
 */
export function responseShell(body: ResponsesRequest, meta: { id: string; createdAt: number; store: boolean }) {
  return {
    id: meta.id,
    object: 'response' as const,
    created_at: meta.createdAt,
    background: false,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: body.max_tool_calls ?? null,
    metadata: body.metadata ?? {},
    model: body.model,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    service_tier: 'default',
    store: meta.store,
    temperature: body.temperature ?? 1,
    text: { format: body.text?.format ?? { type: 'text' }, verbosity: body.text?.verbosity ?? 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    user: body.user ?? null,
  };
}

/** A response that has not produced anything yet: the body of `response.created` and `response.in_progress`. */
export function pendingResponse(shell: ReturnType<typeof responseShell>): ResponseObject {
  return { ...shell, status: 'in_progress', output: [], usage: null, incomplete_details: null, error: null, completed_at: null };
}

/** How a finished generation ends as a Response: status and, when cut short, why. */
export function responseOutcome(stopReason: StopReason): Pick<ResponseObject, 'status' | 'incomplete_details'> {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'tool_use':
      return { status: 'completed', incomplete_details: null };
    case 'max_tokens':
    // OpenAI has no separate reason for running out of context: the output was cut short, as by max_output_tokens.
    case 'model_context_window_exceeded':
      return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
    case 'content_filtered':
    case 'guardrail_intervened':
      return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
    default:
      return stopReason satisfies never;
  }
}

/**
 * Canonical usage → Responses usage. As for Chat Completions, OpenAI's input count includes cached tokens, which the
 * canonical (Bedrock) usage counts apart, and repeats them in `input_tokens_details.cached_tokens`.
 */
export function responseUsage(u: Usage) {
  const input = u.inputTokens + (u.cacheReadInputTokens ?? 0) + (u.cacheWriteInputTokens ?? 0);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: u.cacheReadInputTokens ?? 0 },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
    total_tokens: input + u.outputTokens,
  };
}

/** Canonical content → output items, in order: each text block one message, each tool use one function call. */
export function outputItems(content: ContentBlock[], status: ItemStatus): OutputItem[] {
  const items: OutputItem[] = [];
  for (const b of content) {
    if ('text' in b) {
      // An empty text block (some providers open one before a tool call) is no message, as it is none when streamed.
      if (!b.text) continue;
      const last = items.at(-1);
      // Adjacent text blocks read as one message, as they would in a chat transcript.
      if (last?.type === 'message') last.content[0]!.text += b.text;
      else items.push({ type: 'message', id: itemId('msg'), status, role: 'assistant', content: [outputText(b.text)] });
    } else if ('toolUse' in b) {
      const { toolUseId, name, input } = b.toolUse;
      items.push({ type: 'function_call', id: itemId('fc'), status: 'completed', call_id: toolUseId, name, arguments: JSON.stringify(input ?? {}) });
    } else if ('reasoningContent' in b && b.reasoningContent.reasoningText) {
      items.push({ type: 'reasoning', id: itemId('rs'), status: 'completed', summary: [], content: [{ type: 'reasoning_text', text: b.reasoningContent.reasoningText.text }] });
    }
  }
  return items;
}

/** Canonical result → the finished Response object. */
export function toResponseObject(result: ConverseResult, shell: ReturnType<typeof responseShell>, now = unixNow()): ResponseObject {
  const outcome = responseOutcome(result.stopReason);
  return {
    ...shell,
    ...outcome,
    output: outputItems(result.message.content, outcome.status === 'completed' ? 'completed' : 'incomplete'),
    usage: responseUsage(result.usage),
    error: null,
    completed_at: outcome.status === 'completed' ? now : null,
    // Quarry's: what the requested guardrail did, as on Chat Completions.
    ...(result.guardrail ? { guardrail: result.guardrail } : {}),
  };
}

export const unixNow = () => Math.floor(Date.now() / 1000);
