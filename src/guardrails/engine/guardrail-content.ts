import type { GuardrailSource } from '../policies/index.js';
import type { ApplyGuardrailResponse } from './guardrail-assessment.js';

/** Bedrock's `GuardrailContentQualifier`: what a text block is for when contextual grounding judges an answer. */
export type GuardrailQualifier = 'grounding_source' | 'query' | 'guard_content';

/**
 * One block of content to check (Bedrock's `GuardrailContentBlock`). Images are accepted so requests written for
 * Bedrock do not fail, but no offline image classifier exists: they are counted in the coverage as not guarded.
 */
export type GuardrailContentBlock =
  | { text: { text: string; qualifiers?: GuardrailQualifier[] } }
  | { image: { format: 'png' | 'jpeg'; source: { bytes: Uint8Array | string } } };

export type GuardrailOutputScope = 'INTERVENTIONS' | 'FULL';

export interface GuardrailCheckRequest {
  source: GuardrailSource;
  content: GuardrailContentBlock[];
  /** INTERVENTIONS (default) reports only what was detected; FULL reports every filter and topic that ran. */
  outputScope?: GuardrailOutputScope;
}

/** What became of one content block, in request order, so a caller can rebuild its message with masks in place. */
export interface GuardrailBlockOutcome {
  /** The block's text after masking (unchanged when nothing was anonymized); '' for images. */
  text: string;
  /** Whether the policies read it: unqualified and guard_content blocks are checked; sources and queries are references. */
  guarded: boolean;
  /** Whether any sensitive information in it was replaced by a `{TYPE}` mask. */
  masked: boolean;
}

/** ApplyGuardrail's response plus what the runtime needs to act on it. */
export interface GuardrailOutcome extends ApplyGuardrailResponse {
  /** True when the configured blocked message must replace the content (and the model call be skipped or its answer dropped). */
  blocked: boolean;
  /** blockedInputMessaging or blockedOutputsMessaging, by source; set whenever `blocked` is. */
  blockedMessage?: string;
  blocks: GuardrailBlockOutcome[];
  /** Which guardrail answered, for traces (`appliedGuardrailDetails`) and audit. */
  guardrail: { id: string; arn: string; version: string };
}
