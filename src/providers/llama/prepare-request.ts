import type { ChatHistoryItem, ChatModelFunctions, LlamaGrammar, Token } from 'node-llama-cpp';
import { type GenerateRequest, QuarryError } from '../../core/index.js';
import { cachePointPrefix } from './cache-point-prefix.js';
import type { JsonGrammarCache } from './json-grammar-cache.js';
import type { LoadedModel } from './loaded-model.js';
import { promptTokens } from './prompt-tokens.js';
import { type SamplingOptions, samplingOptions } from './sampling-options.js';
import { toChatFunctions } from './to-chat-functions.js';
import { toChatHistory } from './to-chat-history.js';

/** A request translated for the engine and checked against the model's context, before it takes a sequence. */
export interface PreparedRequest {
  history: ChatHistoryItem[];
  functions?: ChatModelFunctions;
  grammar?: LlamaGrammar;
  /** The rendered prompt, exactly as the engine will evaluate it. */
  tokens: Token[];
  /** How many of `tokens` come before the request's last cachePoint (0 without one). */
  cachePointTokens: number;
  maxTokens: number;
  /** True when maxTokens is the room left in the context rather than the client's own limit. */
  cappedByContext: boolean;
  stopSequences: string[];
  sampling: SamplingOptions;
}

/** The request rendered through the model's chat template: what countTokens counts, whether or not it fits. */
export function renderPrompt(req: GenerateRequest, loaded: LoadedModel): Pick<PreparedRequest, 'history' | 'functions' | 'tokens' | 'cachePointTokens'> {
  const history = toChatHistory(req);
  if (req.jsonSchema && req.toolConfig?.tools.length) {
    throw new QuarryError('ValidationException', 'This local model cannot combine a JSON output schema with tools in one request.');
  }
  // A grammar constrains sampling only; tools are documented in the prompt and so count.
  const functions = req.jsonSchema ? undefined : toChatFunctions(req.toolConfig);
  const tokens = promptTokens(loaded.chatWrapper, loaded.model.tokenizer, history, functions);
  return { history, functions, tokens, cachePointTokens: countCachePointTokens(req, loaded, functions, tokens) };
}

/**
 * The prompt tokens a cachePoint covers: the prefix before it, rendered alone through the same template (tool
 * documentation included, as Bedrock caches tools ahead of the system prompt), shares exactly those tokens with the
 * whole prompt; where the two renderings part (the prefix's end-of-turn markup) the cached part ends.
 */
function countCachePointTokens(req: GenerateRequest, loaded: LoadedModel, functions: ChatModelFunctions | undefined, tokens: Token[]): number {
  const prefix = cachePointPrefix(req);
  if (!prefix || (prefix.messages.length === 0 && !prefix.system?.some((b) => 'text' in b || 'guardContent' in b))) return 0;
  let cached: Token[];
  try {
    cached = promptTokens(loaded.chatWrapper, loaded.model.tokenizer, toChatHistory(prefix), functions);
  } catch {
    // A prefix cut between a tool call and its result is no conversation of its own; no cache is written for it.
    return 0;
  }
  let n = 0;
  while (n < cached.length && n < tokens.length && cached[n] === tokens[n]) n++;
  return n;
}

export async function prepareRequest(req: GenerateRequest, loaded: LoadedModel, grammars: JsonGrammarCache): Promise<PreparedRequest> {
  const { history, functions, tokens, cachePointTokens } = renderPrompt(req, loaded);
  const sampling = samplingOptions(req);
  const grammar = req.jsonSchema ? await grammars.get(req.jsonSchema.schema) : undefined;
  const contextSize = loaded.contextSize;
  // The engine would otherwise "context shift" (silently drop the start of the conversation) to make the prompt fit,
  // which is the wrong answer for an API: the client must learn that its input is too long.
  const room = contextSize - tokens.length - 1;
  if (room < 1) {
    throw new QuarryError(
      'ValidationException',
      `The prompt is ${tokens.length} tokens, but model ${req.model.id} has a context window of ${contextSize} tokens, which must also ` +
        'hold at least one generated token. Shorten the conversation, or raise the contextSize option of its llama provider.',
    );
  }
  const requested = req.inferenceConfig?.maxTokens;
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) {
    throw new QuarryError('ValidationException', `inferenceConfig.maxTokens must be a positive integer, not ${requested}.`);
  }
  // Capping the reply at the room left also keeps the engine from shifting the context mid-reply.
  const maxTokens = Math.min(requested ?? room, room);
  return {
    history,
    functions,
    grammar,
    tokens,
    cachePointTokens,
    maxTokens,
    cappedByContext: requested === undefined || requested > room,
    stopSequences: (req.inferenceConfig?.stopSequences ?? []).filter((s) => s.length > 0),
    sampling,
  };
}
