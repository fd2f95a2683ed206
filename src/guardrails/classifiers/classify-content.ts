import { readFileSync } from 'node:fs';
import { decodeClassifierWeights } from './classifier-weights.js';
import { type ClassifyContentOptions, ContentClassifier, type ContentFinding } from './content-classifier.js';

/** The committed models, written by `scripts/train/train-guardrail-classifiers.ts` (see weights/REPORT.md). */
export const DEFAULT_WEIGHTS_URL = new URL('./weights/content-classifiers.bin.gz', import.meta.url);

let shared: ContentClassifier | undefined;

/** The classifier over the committed weights, read and unpacked on first use (about 6 MB in memory), then kept. */
export function defaultContentClassifier(): ContentClassifier {
  shared ??= new ContentClassifier(decodeClassifierWeights(readFileSync(DEFAULT_WEIGHTS_URL)));
  return shared;
}

/**
 * Assesses `text` for Bedrock's content-filter categories (HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT,
 * PROMPT_ATTACK) with the committed offline models: one finding per requested category, with a confidence in [0, 1)
 * and the level it maps to. Empty text is assessed NONE in every category. Whether a finding blocks is the guardrail's
 * call, from the filter's strength (`filterStrengthBlocks`).
 */
export function classifyContent(text: string, options: ClassifyContentOptions = {}): ContentFinding[] {
  return defaultContentClassifier().classify(text, options);
}
