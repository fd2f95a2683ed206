import type { ConverseRequest, Usage } from '../../core/index.js';
import { countTextTokens, type EstimateCosts, estimateInputTokens, OPENAI_COSTS } from './estimate-tokens.js';

/** Usage for a call whose provider reported none (some upstreams' streams, a stream cut short); marked as estimated. */
export async function estimatedUsage(
  req: Pick<ConverseRequest, 'messages' | 'system' | 'toolConfig' | 'jsonSchema'>,
  output: string,
  costs: EstimateCosts = OPENAI_COSTS,
): Promise<Usage> {
  const [inputTokens, outputTokens] = await Promise.all([estimateInputTokens(req, costs), countTextTokens(output)]);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, raw: { estimated: true } };
}
