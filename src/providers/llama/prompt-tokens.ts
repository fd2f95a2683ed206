import type { ChatHistoryItem, ChatModelFunctions, ChatWrapper, Token, Tokenizer } from 'node-llama-cpp';

/**
 * The exact tokens LlamaChat evaluates for `history`: it appends an empty model turn when the history does not already
 * end in one, renders through the same chat wrapper (function documentation included), and tokenizes with special
 * tokens. Used for countTokens, the context-window check, usage, and picking the sequence with the longest cached prefix.
 */
export function promptTokens(
  chatWrapper: ChatWrapper,
  tokenizer: Tokenizer,
  history: readonly ChatHistoryItem[],
  functions: ChatModelFunctions | undefined,
): Token[] {
  const chatHistory = history.at(-1)?.type === 'model' ? history : [...history, { type: 'model' as const, response: [] }];
  const { contextText } = chatWrapper.generateContextState({ chatHistory, availableFunctions: functions });
  return contextText.tokenize(tokenizer);
}
