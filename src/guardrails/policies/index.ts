/**
 * Bedrock Guardrails' word, denied-topic and contextual-grounding policies, offline. Each policy is a manifest (its
 * configuration as JSON Schema, from the zod schema the API reuses to validate Bedrock's request shapes), a compile
 * step that validates a configuration and prepares it once per guardrail version, and a check that returns the common
 * `PolicyVerdict`; `to…Assessment` turns a verdict into Bedrock's assessment shape.
 *
 * - Word filters: custom words and phrases and the managed PROFANITY list, matched on whole words of a folded letter
 *   stream (case, accents, look-alike letters, invisible characters, leetspeak, spacing, punctuation and repeated
 *   letters folded away) by a trie walk that is linear in the text.
 * - Denied topics: sentence windows scored by rarity-weighted vocabulary overlap with the topic's name, definition and
 *   examples, blended with embedding similarity when an `EmbedTexts` is injected (the runtime passes the embedded
 *   Universal Sentence Encoder).
 * - Contextual grounding: grounding and relevance of a model answer against its source and query, with figures and
 *   names that the source lacks weighing heavily.
 */
export type * from './assessment-types.js';
export {
  type ContextualGroundingPolicyConfig,
  contextualGroundingPolicyConfigSchema,
  type GroundingFilterConfig,
  groundingFilterConfigSchema,
} from './grounding/contextual-grounding-config.js';
export {
  type CompiledContextualGroundingPolicy,
  compileContextualGroundingPolicy,
  contextualGroundingPolicyManifest,
  type GroundingFinding,
  toContextualGroundingPolicyAssessment,
} from './grounding/contextual-grounding-policy.js';
export { type ClaimSupport, type GroundingInput, type GroundingScores, groundingScores } from './grounding/grounding-scores.js';
export type { GuardrailSource, PolicyId, PolicyManifest, PolicyVerdict } from './policy-verdict.js';
export { type CosineLine, calibratedEmbedder, fitCosineLine } from './text/cosine-calibration.js';
export { cosine, type EmbedTexts } from './text/embed-texts.js';
export { wordOverlapEmbedder } from './text/word-overlap-embedder.js';
export {
  type CompiledTopicPolicy,
  compileTopicPolicy,
  DEFAULT_TOPIC_THRESHOLD,
  type TopicFinding,
  type TopicPolicyOptions,
  topicPolicyManifest,
  toTopicPolicyAssessment,
  USE_SIMILARITY,
} from './topic/topic-policy.js';
export { type TopicConfig, type TopicPolicyConfig, topicConfigSchema, topicPolicyConfigSchema } from './topic/topic-policy-config.js';
export { PROFANITY_LEXICON } from './word/profanity-lexicon.js';
export { type WordEntry, WordMatcher, type WordMatcherOptions, type WordOccurrence } from './word/word-matcher.js';
export {
  type CompiledWordPolicy,
  compileWordPolicy,
  toWordPolicyAssessment,
  type WordFinding,
  wordPolicyManifest,
} from './word/word-policy.js';
export {
  MAX_CUSTOM_WORDS,
  type ManagedWordsConfig,
  managedWordsConfigSchema,
  type WordConfig,
  type WordPolicyConfig,
  wordConfigSchema,
  wordPolicyConfigSchema,
} from './word/word-policy-config.js';
