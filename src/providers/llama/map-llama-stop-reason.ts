import type { LlamaChatResponse } from 'node-llama-cpp';
import type { StopReason } from '../../core/index.js';

export type LlamaStopReason = LlamaChatResponse['metadata']['stopReason'];

/**
 * `stopGenerationTrigger` is the chat template's own end-of-turn text (e.g. `<|im_end|>` typed out rather than sampled as
 * the EOS token), so it is a natural end of turn; `customStopTrigger` is one of the request's stopSequences.
 * `maxTokens` means the context window when the cap came from the space left in it rather than from the request.
 */
export function mapLlamaStopReason(reason: LlamaStopReason, cappedByContext: boolean): StopReason {
  switch (reason) {
    case 'eogToken':
    case 'stopGenerationTrigger':
      return 'end_turn';
    case 'customStopTrigger':
      return 'stop_sequence';
    case 'functionCalls':
      return 'tool_use';
    case 'maxTokens':
      return cappedByContext ? 'model_context_window_exceeded' : 'max_tokens';
    case 'abort':
      // Only reachable with stopOnAbortSignal, which this provider does not set; an abort surfaces as an error instead.
      return 'end_turn';
    default:
      reason satisfies never;
      return 'end_turn';
  }
}
