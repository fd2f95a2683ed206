import { type ConverseRequest, type ToolSpec, validation } from '../../core/index.js';
import type { ChatCompletionRequest, ChatToolChoice } from './chat-request-schema.js';
import { functionToolSpec, type NarrowedTools, toConverseToolConfig } from './converse-tool-config.js';
import { toCanonicalMessages } from './to-canonical-messages.js';

/** Chat Completions request → canonical. Refuses, by name, every documented parameter it cannot honour. */
export function fromChatRequest(body: ChatCompletionRequest): ConverseRequest {
  refuseUnsupported(body);
  const { system, messages } = toCanonicalMessages(body.messages);
  const req: ConverseRequest = { modelId: body.model, messages };
  if (system.length) req.system = system;

  const stop = typeof body.stop === 'string' ? [body.stop] : (body.stop ?? []);
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const inference = {
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    // Passed on unscaled. Temperature divides the logits before sampling in OpenAI, vLLM, llama.cpp and Ollama alike,
    // so 1.5 means the same thing to all of them; halving OpenAI's 0-2 onto Bedrock's 0-1 would make every OpenAI
    // client's 0.7 a colder 0.35. A provider whose upstream has a narrower range (Anthropic's 0-1) clamps at its edge.
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(body.top_p != null ? { topP: body.top_p } : {}),
    ...(stop.some((s) => s) ? { stopSequences: stop.filter((s) => s) } : {}),
  };
  if (Object.keys(inference).length) req.inferenceConfig = inference;

  const tools = toolConfig(body);
  if (tools) req.toolConfig = tools;

  const extra: Record<string, unknown> = {};
  if (body.seed != null) extra.seed = body.seed;
  if (body.frequency_penalty) extra.frequency_penalty = body.frequency_penalty;
  if (body.presence_penalty) extra.presence_penalty = body.presence_penalty;
  if (body.reasoning_effort != null) extra.reasoning_effort = body.reasoning_effort;
  if (Object.keys(extra).length) req.additionalModelRequestFields = extra;
  if (body.metadata && Object.keys(body.metadata).length) req.requestMetadata = body.metadata;

  const format = body.response_format;
  if (format?.type === 'json_schema') {
    const { name, description, schema } = format.json_schema;
    req.jsonSchema = { name, ...(description ? { description } : {}), schema: schema ?? { type: 'object' } };
  } else if (format?.type === 'json_object') {
    // JSON mode is "any JSON object": the loosest schema the canonical structured-output request can say.
    req.jsonSchema = { name: 'json_object', schema: { type: 'object' } };
  }
  return req;
}

function refuseUnsupported(body: ChatCompletionRequest): void {
  const refuse = (param: string, why: string) => {
    throw validation(`${param}: ${why}`);
  };
  if (body.n != null && body.n !== 1) refuse('n', `only n=1 is supported (got ${body.n}); send one request per choice.`);
  if (body.logprobs) refuse('logprobs', 'log probabilities are not available from Quarry models.');
  if (body.top_logprobs) refuse('top_logprobs', 'log probabilities are not available from Quarry models.');
  if (body.logit_bias && Object.keys(body.logit_bias).length) refuse('logit_bias', 'token biases are tokenizer-specific and not supported.');
  if (body.modalities?.some((m) => m !== 'text')) refuse('modalities', 'only text output is supported.');
  if (body.audio != null) refuse('audio', 'audio output is not supported.');
  if (body.web_search_options != null) refuse('web_search_options', 'web search is not available; use a knowledge base or a tool.');
  if (body.moderation != null) refuse('moderation', 'moderation is configured as a Quarry guardrail, not per request.');
  if (body.functions != null || body.function_call != null) refuse('functions', 'the deprecated functions API is not supported; send tools and tool_choice.');
}

function toolConfig(body: ChatCompletionRequest): ConverseRequest['toolConfig'] {
  const specs: ToolSpec[] = (body.tools ?? []).map((t, i) => {
    if (t.type === 'custom') throw validation(`tools.${i}: custom (free-form) tools are not supported; define a function tool.`);
    return functionToolSpec(t.function.name, t.function.description, t.function.parameters);
  });
  return toConverseToolConfig(specs, body.tool_choice, narrow);
}

function narrow(specs: ToolSpec[], choice: Exclude<ChatToolChoice, string>): NarrowedTools {
  const known = (name: string, at: string) => {
    if (!specs.some((s) => s.name === name)) throw validation(`${at}: "${name}" is not one of the tools.`);
    return name;
  };
  switch (choice.type) {
    case 'function':
      return { tools: specs, toolChoice: { tool: { name: known(choice.function.name, 'tool_choice.function.name') } } };
    case 'custom':
      throw validation('tool_choice: custom tools are not supported.');
    case 'allowed_tools': {
      const names = new Set(choice.allowed_tools.tools.map((t, i) => known(t.function?.name ?? '', `tool_choice.allowed_tools.tools.${i}`)));
      const tools = specs.filter((s) => names.has(s.name));
      return choice.allowed_tools.mode === 'required' ? { tools, toolChoice: { any: {} } } : { tools };
    }
    default:
      return choice satisfies never;
  }
}
