/**
 * A guardrail enforced around one invocation, however the wire named it: Converse's `guardrailConfig`, InvokeModel's
 * `X-Amzn-Bedrock-Guardrail*` headers, the OpenAI API's `guardrailConfig` field or headers, RetrieveAndGenerate.
 */
export interface GuardrailRequest {
  /** The guardrail's id or ARN. */
  identifier: string;
  /** 'DRAFT' or a version number. */
  version: string;
  /** Whether the answer carries the assessments (`enabled_full`: also what was checked and not detected). */
  trace: 'enabled' | 'disabled' | 'enabled_full';
  /** Streams only: `sync` holds output back until it is checked; `async` sends it at once and checks behind it. */
  streamProcessingMode?: 'sync' | 'async';
}

/**
 * Bedrock's `GuardrailTraceAssessment`. Assessments are keyed by guardrail id; their shape belongs to the guardrails
 * domain and is opaque here.
 */
export interface GuardrailTrace {
  modelOutput?: string[];
  inputAssessment?: Record<string, unknown>;
  outputAssessments?: Record<string, unknown[]>;
  actionReason?: string;
}

/** What a guardrail did to an invocation: carried on the result and on the stream's metadata part. */
export interface GuardrailReport {
  /** INTERVENED when it blocked or masked anything, input or output (InvokeModel's `amazon-bedrock-guardrailAction`). */
  action: 'INTERVENED' | 'NONE';
  /** Present when the request asked for a trace. */
  trace?: GuardrailTrace;
}
