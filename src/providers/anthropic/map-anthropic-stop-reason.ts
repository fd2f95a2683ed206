import type { StopReason } from '../../core/index.js';

/** Messages API `stop_reason` → Bedrock stop reason (Bedrock maps Claude's the same way). */
export function mapAnthropicStopReason(reason: string | null | undefined): StopReason {
  switch (reason) {
    case 'max_tokens':
      return 'max_tokens';
    case 'stop_sequence':
      return 'stop_sequence';
    case 'tool_use':
      return 'tool_use';
    case 'refusal':
      return 'content_filtered';
    case 'model_context_window_exceeded':
      return 'model_context_window_exceeded';
    default:
      // end_turn, and pause_turn (a server tool paused a long turn; the caller continues it like a finished one).
      return 'end_turn';
  }
}
