/** Which side of a model call a guardrail is checking: Bedrock's ApplyGuardrail `source`. */
export type GuardrailSource = 'INPUT' | 'OUTPUT';

/** The policies in this folder, named as their parts of Bedrock's `GuardrailAssessment`. */
export type PolicyId = 'wordPolicy' | 'topicPolicy' | 'contextualGroundingPolicy';

/**
 * What every policy check returns (the same shape for each, as Portkey's guardrail plugins do): whether anything was
 * detected, whether a detection carries a BLOCK action, the findings that the assessment builder turns into Bedrock's
 * shapes, and how many characters were examined, for usage units.
 */
export interface PolicyVerdict<Finding> {
  policy: PolicyId;
  detected: boolean;
  blocked: boolean;
  findings: Finding[];
  textCharacters: number;
}

/**
 * Describes a policy for the console and the API: its configuration as JSON Schema (so a form can be rendered from it),
 * generated from the same zod schema that validates requests.
 */
export interface PolicyManifest {
  id: PolicyId;
  name: string;
  description: string;
  /** The sides it can check; contextual grounding only judges model output. */
  sources: readonly GuardrailSource[];
  parameters: Record<string, unknown>;
}
