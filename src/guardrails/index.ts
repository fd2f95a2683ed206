/**
 * Guardrails (Bedrock Guardrails, offline): stored resources with a DRAFT and numbered immutable versions, and the
 * engine that applies a version to content. The runtime calls `GuardrailEngine.apply` (or `resolve` once, then
 * `check` per piece of content) for Converse, InvokeModel, the OpenAI API and RetrieveAndGenerate; ApplyGuardrail
 * exposes the same engine directly.
 *
 * Detectors live beside it: pii/ (sensitive information), policies/ (words, denied topics, contextual grounding) and
 * classifiers/ (content filters).
 */

export { CONTENT_FILTER_TYPES, type ContentFilterType, contentPolicyConfigSchema } from './content-policy-config.js';
export { offlineContentScorer } from './engine/classifier-adapter.js';
export { type CompiledGuardrail, type CompileGuardrailOptions, compileGuardrail } from './engine/compile-guardrail.js';
export type { ContentScorer } from './engine/content-scorer.js';
export type * from './engine/guardrail-assessment.js';
export type {
  GuardrailBlockOutcome,
  GuardrailCheckRequest,
  GuardrailContentBlock,
  GuardrailOutcome,
  GuardrailOutputScope,
  GuardrailQualifier,
} from './engine/guardrail-content.js';
export { GuardrailEngine, type GuardrailEngineOptions, type GuardrailRef, type ResolvedGuardrail } from './engine/guardrail-engine.js';
export { guardOutputStream, type OutputStreamGuard, STREAM_WINDOW_CHARS, type WindowVerdict } from './guard-output-stream.js';
export { type GuardedPrompt, guardedPrompt, maskedRequest } from './guarded-prompt.js';
export { DRAFT, guardrailArn, guardrailIdOf, isGuardrailId } from './guardrail-ids.js';
export { GuardrailModule, type GuardrailModuleOptions } from './guardrail-module.js';
export {
  type CreateGuardrailInput,
  createGuardrailSchema,
  createGuardrailVersionSchema,
  type GuardrailConfig,
  type UpdateGuardrailInput,
  updateGuardrailSchema,
} from './guardrail-request-schema.js';
export { GuardrailService } from './guardrail-service.js';
export { guardrailMigrations } from './guardrail-tables.js';
export type { GuardrailSummaryView, GuardrailView } from './guardrail-views.js';
export { type GuardrailCaller, type InputVerdict, InvocationGuard, InvocationGuards, type InvocationGuardsOptions } from './invocation-guard.js';
export type { GuardrailJudge, JudgeCall, JudgeModel } from './judge/judge-model.js';
export type { EmbedTexts, GuardrailSource } from './policies/index.js';
export { calibratedEmbedder } from './policies/index.js';
export { sensitiveInformationPolicyConfigSchema } from './sensitive-information-config.js';
