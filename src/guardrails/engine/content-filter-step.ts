import { CONTENT_FILTER_TYPES, type ContentFilterConfig, type ContentFilterType, type ContentPolicyConfig } from '../content-policy-config.js';
import type { GuardrailSource } from '../policies/index.js';
import type { ContentScorer } from './content-scorer.js';
import type { ConfidenceLevel, GuardrailContentFilterAssessment } from './guardrail-assessment.js';

export interface ActiveFilter {
  type: ContentFilterType;
  strength: ConfidenceLevel;
  action: 'BLOCK' | 'NONE';
}

export interface ContentStepResult {
  /** Every active filter, detected or not; the assessment builder keeps the detected ones unless the scope is FULL. */
  filters: GuardrailContentFilterAssessment[];
  blocked: boolean;
}

export interface ContentFilterStep {
  /** Whether any filter runs for this side; when none does the policy costs no units. */
  activeFor(source: GuardrailSource): boolean;
  check(text: string, source: GuardrailSource): ContentStepResult;
}

/**
 * Bedrock's content filters: each category is scored once per text, and a filter detects when the confidence level
 * reaches what its strength blocks (HIGH strength blocks LOW, MEDIUM and HIGH confidence; LOW only HIGH). A filter
 * whose strength is NONE, or that is disabled for the side, is not run at all.
 */
export function compileContentFilterStep(config: ContentPolicyConfig, scorer: () => ContentScorer): ContentFilterStep {
  const bySource = { INPUT: activeContentFilters(config, 'INPUT'), OUTPUT: activeContentFilters(config, 'OUTPUT') };
  return {
    activeFor: (source) => bySource[source].length > 0,
    check(text, source) {
      const run = bySource[source];
      if (run.length === 0) return { filters: [], blocked: false };
      const s = scorer();
      const scores = s.assess(text, run.map((f) => f.type));
      return contentStepResult(run, (_, i) => scores[i]!.level, s.blocks);
    },
  };
}

/** The filters that run on one side, in Bedrock's category order; NONE strength and disabled filters do not run. */
export function activeContentFilters(config: ContentPolicyConfig, source: GuardrailSource): ActiveFilter[] {
  const order = (f: ContentFilterConfig) => CONTENT_FILTER_TYPES.indexOf(f.type);
  const input = source === 'INPUT';
  return [...config.filtersConfig]
    .sort((a, b) => order(a) - order(b))
    .flatMap((f) => {
      const enabled = (input ? f.inputEnabled : f.outputEnabled) ?? true;
      const strength = input ? f.inputStrength : f.outputStrength;
      if (!enabled || strength === 'NONE') return [];
      return [{ type: f.type, strength, action: (input ? f.inputAction : f.outputAction) ?? 'BLOCK' }];
    });
}

/** Turns a confidence level per active filter (from a classifier or a judge) into the step's assessment. */
export function contentStepResult(
  run: readonly ActiveFilter[],
  levelOf: (type: ContentFilterType, index: number) => ConfidenceLevel,
  blocks: (strength: ConfidenceLevel, level: ConfidenceLevel) => boolean,
): ContentStepResult {
  let blocked = false;
  const filters = run.map((f, i) => {
    const level = levelOf(f.type, i);
    const detected = blocks(f.strength, level);
    const action = detected && f.action === 'BLOCK' ? 'BLOCKED' : 'NONE';
    if (action === 'BLOCKED') blocked = true;
    return { type: f.type, confidence: level, filterStrength: f.strength, action, detected } satisfies GuardrailContentFilterAssessment;
  });
  return { filters, blocked };
}
