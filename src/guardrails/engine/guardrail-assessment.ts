import type { GuardrailPoliciesAssessment, GuardrailPolicyAction } from '../policies/index.js';
import type { ContentFilterType } from '../content-policy-config.js';
import type { PiiEntityType } from '../pii/index.js';

/**
 * The rest of ApplyGuardrail's response as `@aws-sdk/client-bedrock-runtime` declares it (the word, topic and grounding
 * parts come from policies/assessment-types.ts). `guardrail-assessment.test.ts` checks at compile time that each is
 * assignable to the SDK's own type.
 */
export type ConfidenceLevel = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';

export interface GuardrailContentFilterAssessment {
  type: ContentFilterType;
  confidence: ConfidenceLevel;
  filterStrength: ConfidenceLevel;
  action: GuardrailPolicyAction;
  detected: boolean;
}

export interface GuardrailContentPolicyAssessment {
  filters: GuardrailContentFilterAssessment[];
}

export type SensitiveInformationOutcome = 'ANONYMIZED' | 'BLOCKED' | 'NONE';

export interface GuardrailPiiEntityAssessment {
  match: string;
  type: PiiEntityType;
  action: SensitiveInformationOutcome;
  detected: boolean;
}

export interface GuardrailRegexAssessment {
  name: string;
  match: string;
  regex: string;
  action: SensitiveInformationOutcome;
  detected: boolean;
}

export interface GuardrailSensitiveInformationPolicyAssessment {
  piiEntities: GuardrailPiiEntityAssessment[];
  regexes: GuardrailRegexAssessment[];
}

/** Bedrock's text units per policy: one per started 1,000 characters of each block a policy read. */
export interface GuardrailUsage {
  topicPolicyUnits: number;
  contentPolicyUnits: number;
  wordPolicyUnits: number;
  sensitiveInformationPolicyUnits: number;
  /** Bedrock does not charge for a sensitive-information policy made only of regexes; its units are counted here. */
  sensitiveInformationPolicyFreeUnits: number;
  contextualGroundingPolicyUnits: number;
}

export interface GuardrailCoverage {
  textCharacters: { guarded: number; total: number };
  images?: { guarded: number; total: number };
}

export interface GuardrailInvocationMetrics {
  /** Milliseconds. */
  guardrailProcessingLatency: number;
  usage: GuardrailUsage;
  guardrailCoverage: GuardrailCoverage;
}

export interface GuardrailAssessment extends GuardrailPoliciesAssessment {
  contentPolicy?: GuardrailContentPolicyAssessment;
  sensitiveInformationPolicy?: GuardrailSensitiveInformationPolicyAssessment;
  invocationMetrics?: GuardrailInvocationMetrics;
}

export type GuardrailAction = 'NONE' | 'GUARDRAIL_INTERVENED';

/** ApplyGuardrail's response body. */
export interface ApplyGuardrailResponse {
  usage: GuardrailUsage;
  action: GuardrailAction;
  actionReason: string;
  outputs: { text: string }[];
  assessments: GuardrailAssessment[];
  guardrailCoverage: GuardrailCoverage;
}

export const noUsage = (): GuardrailUsage => ({
  topicPolicyUnits: 0,
  contentPolicyUnits: 0,
  wordPolicyUnits: 0,
  sensitiveInformationPolicyUnits: 0,
  sensitiveInformationPolicyFreeUnits: 0,
  contextualGroundingPolicyUnits: 0,
});

/** Bedrock's text unit: up to 1,000 characters; empty text costs nothing. */
export const textUnits = (characters: number): number => Math.ceil(characters / 1000);
