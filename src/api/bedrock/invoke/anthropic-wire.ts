import { type ConverseRequest, type ConverseResult, randomBase62 } from '../../../core/index.js';

/** Pieces of Anthropic's response shape shared by the whole-message and streaming encoders. */

/** Anthropic-style ids (`msg_bdrk_01…`, base62). */
export function messageId(): string {
  return `msg_bdrk_01${randomBase62(22)}`;
}

/**
 * The matched stop sequence: providers that know it report it as Converse does for Claude
 * (`additionalModelResponseFields.stop_sequence`); otherwise it can only be the one the request named.
 */
export function matchedStopSequence(result: Pick<ConverseResult, 'stopReason' | 'additionalModelResponseFields'>, request: ConverseRequest): string | null {
  if (result.stopReason !== 'stop_sequence') return null;
  const reported = result.additionalModelResponseFields?.stop_sequence;
  if (typeof reported === 'string') return reported;
  const stops = request.inferenceConfig?.stopSequences ?? [];
  return stops.length === 1 ? stops[0]! : null;
}

export function anthropicUsage(u: ConverseResult['usage']) {
  return {
    input_tokens: u.inputTokens,
    cache_creation_input_tokens: u.cacheWriteInputTokens ?? 0,
    cache_read_input_tokens: u.cacheReadInputTokens ?? 0,
    output_tokens: u.outputTokens,
  };
}
