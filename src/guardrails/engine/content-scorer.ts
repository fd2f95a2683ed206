import type { ContentFilterType } from '../content-policy-config.js';
import type { ConfidenceLevel } from './guardrail-assessment.js';

/**
 * What the content-policy step needs from a classifier: a confidence level per category for a text, and whether a
 * filter of a given strength blocks a level. The offline classifiers (classifier-adapter.ts) are the default; an
 * LLM judge or a test double can stand in.
 */
export interface ContentScorer {
  /** One finding per requested category, in the order asked. The text is never truncated. */
  assess(text: string, categories: readonly ContentFilterType[]): Array<{ category: ContentFilterType; confidence: number; level: ConfidenceLevel }>;
  blocks(strength: ConfidenceLevel, level: ConfidenceLevel): boolean;
}
