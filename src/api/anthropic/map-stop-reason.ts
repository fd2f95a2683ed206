import type { StopReason } from '../../core/index.js';

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal' | 'model_context_window_exceeded';

export function mapStopReason(reason: StopReason): AnthropicStopReason {
  switch (reason) {
    case 'end_turn':
    case 'max_tokens':
    case 'stop_sequence':
    case 'tool_use':
    case 'model_context_window_exceeded':
      return reason;
    // Anthropic's one reason for "the answer was withheld", whoever withheld it.
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'refusal';
    default:
      return reason satisfies never;
  }
}

/**
 * Converse does not say which stop sequence matched; with exactly one asked for, it can only be that one. Otherwise
 * null, which Anthropic's clients accept.
 */
export function stopSequenceOf(reason: StopReason, asked: readonly string[] | undefined): string | null {
  return reason === 'stop_sequence' && asked?.length === 1 ? asked[0]! : null;
}
