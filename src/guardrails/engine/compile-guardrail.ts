import type { GuardrailConfig } from '../guardrail-request-schema.js';
import type { GuardrailJudge } from '../judge/judge-model.js';
import { compileJudgeStep, type JudgeStep, requireJudge } from '../judge/judge-step.js';
import {
  type CompiledContextualGroundingPolicy,
  type CompiledTopicPolicy,
  type CompiledWordPolicy,
  compileContextualGroundingPolicy,
  compileTopicPolicy,
  compileWordPolicy,
  type EmbedTexts,
} from '../policies/index.js';
import { applyCompiledGuardrail } from './apply-compiled-guardrail.js';
import { type ContentFilterStep, compileContentFilterStep } from './content-filter-step.js';
import type { ContentScorer } from './content-scorer.js';
import type { GuardrailCheckRequest, GuardrailOutcome } from './guardrail-content.js';
import { compileSensitiveInformationStep, type SensitiveInformationStep } from './sensitive-information-step.js';

export interface CompileGuardrailOptions {
  /** Sentence embeddings for denied topics and grounding (the embedded Universal Sentence Encoder); lexical only without. */
  embed?: EmbedTexts;
  /** The content-filter classifier, asked for on first use (so validation alone never loads one). */
  contentScorer?: () => ContentScorer;
  /** The LLM judge that content filters and denied topics of tier STANDARD run on; such a guardrail is refused without one. */
  judge?: GuardrailJudge;
}

/** A guardrail version prepared once: every policy validated and compiled, ready to check content many times. */
export interface CompiledGuardrail {
  readonly config: GuardrailConfig;
  readonly steps: GuardrailSteps;
  check(request: GuardrailCheckRequest): Promise<Omit<GuardrailOutcome, 'guardrail'>>;
}

export interface GuardrailSteps {
  content?: ContentFilterStep;
  word?: CompiledWordPolicy;
  topic?: CompiledTopicPolicy;
  sensitive?: SensitiveInformationStep;
  grounding?: CompiledContextualGroundingPolicy;
  /** The LLM judge, when the content or topic policy is of tier STANDARD; it replaces the offline detector of those. */
  judge?: JudgeStep;
}

/**
 * Validates and compiles a guardrail's configuration; every problem is a ValidationException naming the field (an
 * unknown PII type, a regex the bounded engine refuses, a duplicated word, an empty topic). The service compiles on
 * every create and update, so what is stored always compiles; the engine compiles again, once per version, to apply.
 */
export function compileGuardrail(config: GuardrailConfig, options: CompileGuardrailOptions = {}): CompiledGuardrail {
  const steps: GuardrailSteps = {};
  if (config.contentPolicyConfig) {
    steps.content = compileContentFilterStep(config.contentPolicyConfig, options.contentScorer ?? noScorer);
  }
  if (config.wordPolicyConfig) steps.word = compileWordPolicy(config.wordPolicyConfig);
  if (config.topicPolicyConfig) steps.topic = compileTopicPolicy(config.topicPolicyConfig, { embed: options.embed });
  if (config.sensitiveInformationPolicyConfig) steps.sensitive = compileSensitiveInformationStep(config.sensitiveInformationPolicyConfig);
  if (config.contextualGroundingPolicyConfig) {
    steps.grounding = compileContextualGroundingPolicy(config.contextualGroundingPolicyConfig, { embed: options.embed });
  }
  const judgeContent = config.contentPolicyConfig?.tierConfig?.tierName === 'STANDARD';
  const judgeTopics = config.topicPolicyConfig?.tierConfig?.tierName === 'STANDARD';
  if (judgeContent || judgeTopics) {
    const judge = requireJudge(options.judge, judgeContent ? 'contentPolicyConfig' : 'topicPolicyConfig');
    steps.judge = compileJudgeStep(judge, judgeContent ? config.contentPolicyConfig : undefined, judgeTopics ? steps.topic!.config : undefined);
  }
  return { config, steps, check: (request) => applyCompiledGuardrail(config, steps, request) };
}

function noScorer(): ContentScorer {
  throw new Error('This guardrail has content filters but no content classifier was given to compile it with.');
}
