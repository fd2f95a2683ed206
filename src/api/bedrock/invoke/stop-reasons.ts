import type { StopReason } from '../../../core/index.js';

/**
 * Canonical (Converse) stop reasons in each family's own vocabulary. Families without a word for a reason use the
 * nearest one a client branches on: "ran out of room" or "finished".
 */

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal' | 'model_context_window_exceeded';

export function anthropicStopReason(r: StopReason): AnthropicStopReason {
  switch (r) {
    case 'end_turn':
    case 'max_tokens':
    case 'stop_sequence':
    case 'tool_use':
    case 'model_context_window_exceeded':
      return r;
    case 'content_filtered':
      return 'refusal';
    // Bedrock reports a guardrail intervention beside the body (amazon-bedrock-guardrailAction); the message ends normally.
    case 'guardrail_intervened':
      return 'end_turn';
    default:
      return r satisfies never;
  }
}

/** Meta Llama and Mistral prompt models: `stop` or `length`. */
export function promptStopReason(r: StopReason): 'stop' | 'length' {
  return r === 'max_tokens' || r === 'model_context_window_exceeded' ? 'length' : 'stop';
}

export type TitanCompletionReason = 'FINISH' | 'LENGTH' | 'STOP_CRITERIA_MET' | 'CONTENT_FILTERED';

export function titanCompletionReason(r: StopReason): TitanCompletionReason {
  switch (r) {
    case 'end_turn':
    case 'tool_use':
      return 'FINISH';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'LENGTH';
    case 'stop_sequence':
      return 'STOP_CRITERIA_MET';
    case 'content_filtered':
    case 'guardrail_intervened':
      return 'CONTENT_FILTERED';
    default:
      return r satisfies never;
  }
}
