import { type GenerateRequest, QuarryError, textOf } from '../core/index.js';
import { estimateInputTokens } from '../providers/shared/index.js';

/**
 * Rejects a prompt longer than the model's context before it reaches the provider. A token is never shorter than a
 * character for these tokenizers' purposes here, so prompts with fewer characters than the window skip counting and
 * the hot path pays nothing.
 */
export async function checkContextWindow(req: GenerateRequest): Promise<void> {
  const window = req.model.contextWindow;
  if (!window) return;
  let chars = textOf(req.system ?? []).length;
  for (const m of req.messages) chars += textOf(m.content).length;
  if (chars <= window) return;
  const tokens = await estimateInputTokens(req);
  if (tokens > window) {
    throw new QuarryError(
      'ValidationException',
      `Input is too long for requested model: about ${tokens} tokens against a context window of ${window} tokens for ${req.model.id}. Shorten the prompt or choose a model with a larger context.`,
    );
  }
}
