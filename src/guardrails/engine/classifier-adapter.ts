import { defaultContentClassifier, filterStrengthBlocks } from '../classifiers/index.js';
import type { ContentScorer } from './content-scorer.js';

/**
 * The committed offline content classifiers as the engine's ContentScorer. The weights (about 6 MB in memory) are
 * read on the first call, not at start-up, so a server whose guardrails have no content filters never loads them.
 */
export function offlineContentScorer(): ContentScorer {
  return {
    assess: (text, categories) => defaultContentClassifier().classify(text, { categories }),
    blocks: filterStrengthBlocks,
  };
}
