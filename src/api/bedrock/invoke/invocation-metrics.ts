import type { Usage } from '../../../core/index.js';

/** What Bedrock appends to the last chunk of every InvokeModelWithResponseStream, whatever the family. */
export interface InvocationMetrics {
  inputTokenCount: number;
  outputTokenCount: number;
  invocationLatency: number;
  firstByteLatency: number;
  /** Prompt-cache counts, which Bedrock adds for calls that read or wrote its cache; apart from inputTokenCount. */
  cacheReadInputTokenCount?: number;
  cacheWriteInputTokenCount?: number;
}

export const METRICS_KEY = 'amazon-bedrock-invocationMetrics';

/** Times one stream: first byte is the first content the model produced, not the message-start bookkeeping. */
export class StreamClock {
  private firstByteAt: number | undefined;
  constructor(private readonly startedAt: number) {}

  markOutput(): void {
    this.firstByteAt ??= performance.now();
  }

  metrics(usage: Usage): InvocationMetrics {
    const now = performance.now();
    return {
      inputTokenCount: usage.inputTokens,
      outputTokenCount: usage.outputTokens,
      invocationLatency: Math.round(now - this.startedAt),
      firstByteLatency: Math.round((this.firstByteAt ?? now) - this.startedAt),
      ...(usage.cacheReadInputTokens ? { cacheReadInputTokenCount: usage.cacheReadInputTokens } : {}),
      ...(usage.cacheWriteInputTokens ? { cacheWriteInputTokenCount: usage.cacheWriteInputTokens } : {}),
    };
  }
}
