import type { GenerateRequest, ToolChoice } from '../../core/index.js';
import type { OpenAICompatibleOptions } from './openai-compatible-options.js';
import { type OpenAIMessage, toOpenAIMessages } from './to-openai-messages.js';

export interface OpenAIChatRequest {
  model: string;
  messages: OpenAIMessage[];
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  tools?: { type: 'function'; function: { name: string; description?: string; parameters: Record<string, unknown> } }[];
  tool_choice?: 'auto' | 'required' | { type: 'function'; function: { name: string } };
  response_format?: {
    type: 'json_schema';
    json_schema: { name: string; description?: string; schema: Record<string, unknown> };
  };
  [extra: string]: unknown;
}

/** Canonical request → Chat Completions body. */
export function toOpenAIRequest(req: GenerateRequest, options: OpenAICompatibleOptions, stream: boolean): OpenAIChatRequest {
  // Model-specific fields (seed, reasoning_effort, repetition_penalty …) pass through as Bedrock passes
  // `additionalModelRequestFields`; they go first so the canonical fields below win.
  const body: OpenAIChatRequest = {
    ...req.additionalModelRequestFields,
    model: req.model.upstreamModel,
    messages: toOpenAIMessages(req.system, req.messages),
  };
  const inf = req.inferenceConfig;
  if (inf?.maxTokens !== undefined) body[options.maxTokensField] = inf.maxTokens;
  if (inf?.temperature !== undefined) body.temperature = inf.temperature;
  if (inf?.topP !== undefined) body.top_p = inf.topP;
  if (inf?.stopSequences?.length) body.stop = inf.stopSequences;
  if (req.toolConfig?.tools.length) {
    body.tools = req.toolConfig.tools.map(({ toolSpec }) => ({
      type: 'function',
      function: { name: toolSpec.name, description: toolSpec.description, parameters: toolSpec.inputSchema.json },
    }));
    if (req.toolConfig.toolChoice) body.tool_choice = toOpenAIToolChoice(req.toolConfig.toolChoice);
  }
  if (req.jsonSchema) {
    const { name, description, schema } = req.jsonSchema;
    body.response_format = { type: 'json_schema', json_schema: { name, description, schema } };
  }
  if (stream) {
    body.stream = true;
    if (options.streamUsage) body.stream_options = { include_usage: true };
  }
  return body;
}

function toOpenAIToolChoice(choice: ToolChoice): NonNullable<OpenAIChatRequest['tool_choice']> {
  if ('auto' in choice) return 'auto';
  if ('any' in choice) return 'required';
  return { type: 'function', function: { name: choice.tool.name } };
}
