/**
 * The parts of ApplyGuardrail's (and Converse's trace) `GuardrailAssessment` that the word, topic and contextual
 * grounding policies fill, as `@aws-sdk/client-bedrock-runtime` declares them (models_0.d.ts), without the SDK's
 * `| undefined` on required members. `assessment-types.test.ts` checks at compile time that each is assignable to the
 * SDK's own type, so a response built from these passes the official client's deserialiser.
 */

/** Bedrock reports what a policy did, in the past tense; a detect-only policy reports NONE. */
export type GuardrailPolicyAction = 'BLOCKED' | 'NONE';

export interface GuardrailCustomWord {
  /** The configured word or phrase that matched. */
  match: string;
  action: GuardrailPolicyAction;
  detected?: boolean;
}

export interface GuardrailManagedWord {
  /** The managed list's word that matched. */
  match: string;
  type: 'PROFANITY';
  action: GuardrailPolicyAction;
  detected?: boolean;
}

export interface GuardrailWordPolicyAssessment {
  customWords: GuardrailCustomWord[];
  managedWordLists: GuardrailManagedWord[];
}

export interface GuardrailTopic {
  name: string;
  type: 'DENY';
  action: GuardrailPolicyAction;
  detected?: boolean;
}

export interface GuardrailTopicPolicyAssessment {
  topics: GuardrailTopic[];
}

export type GuardrailContextualGroundingFilterType = 'GROUNDING' | 'RELEVANCE';

export interface GuardrailContextualGroundingFilter {
  type: GuardrailContextualGroundingFilterType;
  /** The configured threshold, 0–0.99: content scoring below it fails the check. */
  threshold: number;
  /** 0–1. */
  score: number;
  action: GuardrailPolicyAction;
  detected?: boolean;
}

export interface GuardrailContextualGroundingPolicyAssessment {
  filters?: GuardrailContextualGroundingFilter[];
}

/** The subset of `GuardrailAssessment` these policies produce; the assessment builder adds the others beside them. */
export interface GuardrailPoliciesAssessment {
  topicPolicy?: GuardrailTopicPolicyAssessment;
  wordPolicy?: GuardrailWordPolicyAssessment;
  contextualGroundingPolicy?: GuardrailContextualGroundingPolicyAssessment;
}
