/**
 * Content filters for guardrails (Bedrock's `contentPolicy`: HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT,
 * PROMPT_ATTACK), offline and without model downloads: linear models over hashed word, character-n-gram, cue and
 * lexicon features, trained by `scripts/train/train-guardrail-classifiers.ts` from public labelled data and committed
 * under weights/ with a report of how they were trained and evaluated. Text is read through Unicode folding,
 * leetspeak and base64 decoding and classified in overlapping windows, so long text is never truncated.
 */
export { type LevelAnchors, calibrateScore } from './calibrate-score.js';
export { CATEGORY_RULES, type CategoryRule } from './category-rules.js';
export { classificationViews } from './classification-views.js';
export {
  classificationWindows,
  WINDOW_OVERLAP,
  WINDOW_SCALES,
  WINDOW_SIZE,
  type WindowScale,
  windowsAtScales,
} from './classification-windows.js';
export {
  type CategoryModel,
  type ClassifierWeights,
  CorruptWeightsError,
  decodeClassifierWeights,
  encodeClassifierWeights,
} from './classifier-weights.js';
export { classifyContent, DEFAULT_WEIGHTS_URL, defaultContentClassifier } from './classify-content.js';
export {
  CONFIDENCE_LEVELS,
  type ConfidenceLevel,
  confidenceLevel,
  type FilterStrength,
  filterStrengthBlocks,
  LEVEL_CUTS,
} from './confidence-level.js';
export { type ClassifyContentOptions, ContentClassifier, type ContentFinding, rawScore } from './content-classifier.js';
export { CONTENT_CATEGORIES, type ContentCategory, isContentCategory } from './content-category.js';
export { EMPTY_LEXICON, FeatureExtractor, type Lexicon, phraseKey, type SparseFeatures } from './text-features.js';
