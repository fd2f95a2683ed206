import { type ConverseRequest, type SystemContentBlock, type ToolSpec, validation } from '../../core/index.js';
import { functionToolSpec, type NarrowedTools, toConverseToolConfig } from './converse-tool-config.js';
import { type LocatedItem, toResponsesMessages } from './responses-input-messages.js';
import type { ResponsesInputItem, ResponsesRequest, ResponsesToolChoice } from './responses-request-schema.js';

/** The request's own input as items: a string is one user message. */
export function requestItems(body: ResponsesRequest): ResponsesInputItem[] {
  if (body.input == null) return [];
  return typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : body.input;
}

/**
 * Responses request → canonical. `history` holds the items of the previous responses (their input and output, oldest
 * first) when the request continues one; the request's `instructions` come first in the system prompt, and those of
 * earlier responses are not carried over, as OpenAI documents. Refuses, by name, every parameter it cannot honour.
 */
export function fromResponsesRequest(body: ResponsesRequest, input: LocatedItem[], history: LocatedItem[] = []): ConverseRequest {
  refuseUnsupported(body);
  if (!input.length && !history.length) throw validation('input is required: send a string or a list of input items.');
  const { system: fromItems, messages } = toResponsesMessages([...history, ...input]);
  if (!messages.length) throw validation('input holds no user or assistant content to answer.');
  const system: SystemContentBlock[] = [...(body.instructions ? [{ text: body.instructions }] : []), ...fromItems];
  const req: ConverseRequest = { modelId: body.model, messages };
  if (system.length) req.system = system;

  const inference = {
    ...(body.max_output_tokens != null ? { maxTokens: body.max_output_tokens } : {}),
    // Unscaled, as for Chat Completions: temperature means the same to every OpenAI-style sampler.
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(body.top_p != null ? { topP: body.top_p } : {}),
  };
  if (Object.keys(inference).length) req.inferenceConfig = inference;

  const tools = toolConfig(body);
  if (tools) req.toolConfig = tools;
  if (body.reasoning?.effort != null) req.additionalModelRequestFields = { reasoning_effort: body.reasoning.effort };
  if (body.metadata && Object.keys(body.metadata).length) req.requestMetadata = body.metadata;

  const format = body.text?.format;
  if (format?.type === 'json_schema') {
    req.jsonSchema = { name: format.name, ...(format.description ? { description: format.description } : {}), schema: format.schema };
  } else if (format?.type === 'json_object') {
    // "Any JSON object": the loosest schema the canonical structured-output request can say.
    req.jsonSchema = { name: 'json_object', schema: { type: 'object' } };
  }
  return req;
}

/** The request's items located for error messages. */
export function locate(items: ResponsesInputItem[], at: (i: number) => string): LocatedItem[] {
  return items.map((item, i) => ({ item, at: at(i) }));
}

function refuseUnsupported(body: ResponsesRequest): void {
  const refuse = (param: string, why: string) => {
    throw validation(`${param}: ${why}`);
  };
  if (body.background) refuse('background', 'background responses are not supported; send the request without it (or stream it).');
  if (body.conversation != null) refuse('conversation', 'conversations are not supported; continue a response with previous_response_id.');
  if (body.prompt != null) refuse('prompt', 'stored prompt templates are not supported; send instructions and input.');
  if (body.context_management != null) refuse('context_management', 'server-side compaction is not supported.');
  if (body.top_logprobs) refuse('top_logprobs', 'log probabilities are not available from Quarry models.');
  if (body.include?.includes('message.output_text.logprobs')) refuse('include', 'message.output_text.logprobs: log probabilities are not available from Quarry models.');
}

function toolConfig(body: ResponsesRequest): ConverseRequest['toolConfig'] {
  const specs: ToolSpec[] = (body.tools ?? []).map((t, i) => {
    if (t.type !== 'function' || !('name' in t) || typeof t.name !== 'string') {
      throw validation(`tools.${i}: ${t.type} tools are not supported (OpenAI runs them itself); define a function tool.`);
    }
    const f = t as Extract<typeof t, { name: string }>;
    return functionToolSpec(f.name, f.description, f.parameters as Record<string, unknown> | null | undefined);
  });
  return toConverseToolConfig(specs, body.tool_choice, narrow);
}

function narrow(specs: ToolSpec[], choice: Exclude<ResponsesToolChoice, string>): NarrowedTools {
  const known = (name: string | undefined, at: string) => {
    if (!specs.some((s) => s.name === name)) throw validation(`${at}: "${name ?? ''}" is not one of the function tools.`);
    return name!;
  };
  if (choice.type === 'function' && 'name' in choice && typeof choice.name === 'string') {
    return { tools: specs, toolChoice: { tool: { name: known(choice.name, 'tool_choice.name') } } };
  }
  if (choice.type === 'allowed_tools' && 'tools' in choice && Array.isArray(choice.tools)) {
    const names = new Set(
      (choice.tools as { type: string; name?: string }[]).map((t, i) => {
        if (t.type !== 'function') throw validation(`tool_choice.tools.${i}: ${t.type} tools are not supported.`);
        return known(t.name, `tool_choice.tools.${i}.name`);
      }),
    );
    const tools = specs.filter((s) => names.has(s.name));
    return 'mode' in choice && choice.mode === 'required' ? { tools, toolChoice: { any: {} } } : { tools };
  }
  throw validation(`tool_choice: ${choice.type} tools are not supported; choose a function tool.`);
}
