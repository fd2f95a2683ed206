import type { StopReason } from '../../core/index.js';

const KNOWN: ReadonlySet<string> = new Set<StopReason>([
  'end_turn',
  'tool_use',
  'max_tokens',
  'stop_sequence',
  'guardrail_intervened',
  'content_filtered',
  'model_context_window_exceeded',
]);

/**
 * Bedrock's stop reasons are ours, except the ones Bedrock added later (`malformed_model_output`,
 * `malformed_tool_use`): those end the turn, and the raw value is kept beside it.
 */
export function mapBedrockStopReason(reason: string | undefined): StopReason {
  return reason !== undefined && KNOWN.has(reason) ? (reason as StopReason) : 'end_turn';
}
