import type { GuardrailReport } from './guardrail-request.js';
import type { Message } from './message.js';
import type { StopReason } from './stop-reason.js';
import type { Usage } from './usage.js';

export interface ConverseResult {
  message: Message;
  stopReason: StopReason;
  /** The provider's own finish reason, kept for logs and for wire formats that can carry it. */
  rawStopReason?: string;
  usage: Usage;
  /** Integer milliseconds, as Bedrock's `metrics.latencyMs`. Filled by the runtime. */
  latencyMs: number;
  additionalModelResponseFields?: Record<string, unknown>;
  /** Set when the request named a guardrail. */
  guardrail?: GuardrailReport;
}
