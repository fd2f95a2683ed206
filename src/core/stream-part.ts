import type { QuarryError } from './errors.js';
import type { GuardrailReport } from './guardrail-request.js';
import type { StopReason } from './stop-reason.js';
import type { Usage } from './usage.js';

/**
 * Streaming is an async iterable of these parts, mirroring Bedrock's ConverseStream events. A failure mid-stream is an
 * `error` part, never an exception thrown into a half-written response: wire adapters turn it into the format's
 * in-stream error (an event-stream exception message, an SSE error event).
 */
export type StreamPart =
  | { type: 'messageStart'; role: 'assistant' }
  | { type: 'contentBlockStart'; index: number; toolUse?: { toolUseId: string; name: string } }
  | { type: 'contentBlockDelta'; index: number; delta: ContentDelta }
  | { type: 'contentBlockStop'; index: number }
  | { type: 'messageStop'; stopReason: StopReason; rawStopReason?: string; additionalModelResponseFields?: Record<string, unknown> }
  | { type: 'metadata'; usage: Usage; latencyMs: number; guardrail?: GuardrailReport }
  | { type: 'error'; error: QuarryError };

export type ContentDelta =
  | { text: string }
  | { toolUse: { input: string } }
  | { reasoningContent: { text?: string; signature?: string } };
