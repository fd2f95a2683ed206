/**
 * Token usage shaped for metering: cache reads and writes and reasoning tokens are split out because they are priced
 * differently, and the provider's raw usage is kept beside the normalised one for audit.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  reasoningTokens?: number;
  raw?: unknown;
}

export function usageOf(inputTokens: number, outputTokens: number): Usage {
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}
