import { type GuardrailRequest, validation } from '../../core/index.js';
import { guardrailConfig } from '../bedrock/converse-schema.js';
import type { ChatCompletionRequest } from './chat-request-schema.js';

/** For clients that cannot add body fields: the guardrail as headers (trace `enabled`, `disabled` or `enabled_full`). */
export const GUARDRAIL_ID_HEADER = 'x-quarry-guardrail-id';
export const GUARDRAIL_VERSION_HEADER = 'x-quarry-guardrail-version';
export const GUARDRAIL_TRACE_HEADER = 'x-quarry-guardrail-trace';

/**
 * The guardrail of a chat completion or a Responses request: Quarry's `guardrailConfig` body field (Bedrock
 * Converse's own shape, with `streamProcessingMode` for streams), or the `x-quarry-guardrail-*` headers. Both at once
 * is ambiguous and refused.
 */
export function chatGuardrail(body: Pick<ChatCompletionRequest, 'guardrailConfig'>, header: (name: string) => string | undefined): GuardrailRequest | undefined {
  const id = header(GUARDRAIL_ID_HEADER);
  const version = header(GUARDRAIL_VERSION_HEADER);
  const trace = header(GUARDRAIL_TRACE_HEADER);
  const g = body.guardrailConfig;
  if (g) {
    if (id !== undefined || version !== undefined) throw validation('Name the guardrail either in guardrailConfig or in the x-quarry-guardrail-* headers, not both.');
    return { identifier: g.guardrailIdentifier, version: g.guardrailVersion, trace: g.trace ?? 'disabled', ...(g.streamProcessingMode ? { streamProcessingMode: g.streamProcessingMode } : {}) };
  }
  if (id === undefined) {
    if (version !== undefined || trace !== undefined) throw validation(`${GUARDRAIL_VERSION_HEADER} and ${GUARDRAIL_TRACE_HEADER} need ${GUARDRAIL_ID_HEADER}.`);
    return undefined;
  }
  const parsed = guardrailConfig.safeParse({ guardrailIdentifier: id, guardrailVersion: version ?? 'DRAFT', ...(trace !== undefined ? { trace: trace.toLowerCase() } : {}) });
  if (!parsed.success) throw validation(`x-quarry-guardrail-*: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { identifier: parsed.data.guardrailIdentifier, version: parsed.data.guardrailVersion, trace: parsed.data.trace ?? 'disabled' };
}
