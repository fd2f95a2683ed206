import { z } from 'zod';
import { validation } from '../../../core/errors.js';
import type { GuardrailContextualGroundingPolicyAssessment } from '../assessment-types.js';
import { parsePolicyConfig } from '../parse-policy-config.js';
import { reportedAction } from '../policy-direction.js';
import type { GuardrailSource, PolicyManifest, PolicyVerdict } from '../policy-verdict.js';
import type { EmbedTexts } from '../text/embed-texts.js';
import {
  type ContextualGroundingPolicyConfig,
  contextualGroundingPolicyConfigSchema,
} from './contextual-grounding-config.js';
import { type ClaimSupport, type GroundingInput, groundingScores } from './grounding-scores.js';

/** One configured filter's result, in Bedrock's shape: detected when the score is below the threshold. */
export interface GroundingFinding {
  type: 'GROUNDING' | 'RELEVANCE';
  threshold: number;
  score: number;
  action: 'BLOCKED' | 'NONE';
  detected: boolean;
}

export const contextualGroundingPolicyManifest: PolicyManifest = {
  id: 'contextualGroundingPolicy',
  name: 'Contextual grounding',
  description:
    'Scores a model answer for grounding in a reference source and relevance to the query, and blocks answers that ' +
    'score below the configured thresholds: unsupported figures and names weigh heavily.',
  sources: ['OUTPUT'],
  parameters: z.toJSONSchema(contextualGroundingPolicyConfigSchema, { io: 'input' }) as Record<string, unknown>,
};

export interface CompiledContextualGroundingPolicy {
  readonly config: ContextualGroundingPolicyConfig;
  /** The per-sentence support behind the last scores is returned beside the verdict, for traces and the console. */
  check(
    input: GroundingInput,
    source?: GuardrailSource,
  ): Promise<PolicyVerdict<GroundingFinding> & { claims: ClaimSupport[] }>;
}

/**
 * Validates a Bedrock `contextualGroundingPolicyConfig`. Checks apply to model output only (Bedrock ignores the policy
 * on input); a check whose enabled filters lack their qualifier (a grounding source for GROUNDING, a query for
 * RELEVANCE) is refused with a ValidationException rather than scored against nothing.
 */
export function compileContextualGroundingPolicy(
  input: unknown,
  options: { embed?: EmbedTexts } = {},
): CompiledContextualGroundingPolicy {
  const config = parsePolicyConfig(contextualGroundingPolicyConfigSchema, input, 'contextual grounding policy');
  const filters = config.filtersConfig.filter((f) => f.enabled !== false);
  return {
    config,
    async check(texts, source = 'OUTPUT') {
      if (typeof texts?.response !== 'string') throw validation('The contextual grounding check needs the model response (a string).');
      const none = { policy: 'contextualGroundingPolicy' as const, detected: false, blocked: false, findings: [], claims: [] };
      if (source === 'INPUT' || filters.length === 0) return { ...none, textCharacters: 0 };
      for (const f of filters) {
        const [key, name] = f.type === 'GROUNDING' ? (['source', 'grounding source'] as const) : (['query', 'query'] as const);
        if (typeof texts?.[key] !== 'string' || !texts[key].trim()) {
          throw validation(`The ${f.type} check needs a ${name}: mark it with the ${key === 'source' ? 'grounding_source' : 'query'} qualifier.`);
        }
      }
      const scores = await groundingScores(
        { source: texts.source ?? '', query: texts.query ?? '', response: texts.response },
        options.embed,
      );
      const findings: GroundingFinding[] = filters.map((f) => {
        const score = f.type === 'GROUNDING' ? scores.grounding : scores.relevance;
        const detected = score < f.threshold;
        return {
          type: f.type,
          threshold: f.threshold,
          score,
          action: detected ? reportedAction(f.action ?? 'BLOCK') : 'NONE',
          detected,
        };
      });
      return {
        policy: 'contextualGroundingPolicy',
        detected: findings.some((f) => f.detected),
        blocked: findings.some((f) => f.action === 'BLOCKED'),
        findings,
        textCharacters: texts.response.length + (texts.source?.length ?? 0) + (texts.query?.length ?? 0),
        claims: scores.claims,
      };
    },
  };
}

/** Bedrock's `contextualGroundingPolicy` assessment: every enabled filter with its score, as Bedrock reports them. */
export function toContextualGroundingPolicyAssessment(
  verdict: PolicyVerdict<GroundingFinding>,
): GuardrailContextualGroundingPolicyAssessment {
  return { filters: verdict.findings.map((f) => ({ ...f })) };
}
