import { z } from 'zod';
import { type ContentBlock, type ConverseRequest, type GuardrailReport, type GuardrailRequest, validation } from '../../../core/index.js';
import { guardrailConfig } from '../converse-schema.js';

/** InvokeModel names its guardrail in headers (the SDK's `guardrailIdentifier`, `guardrailVersion`, `trace`). */
export const GUARDRAIL_ID_HEADER = 'x-amzn-bedrock-guardrailidentifier';
export const GUARDRAIL_VERSION_HEADER = 'x-amzn-bedrock-guardrailversion';
export const TRACE_HEADER = 'x-amzn-bedrock-trace';
/** The body field Bedrock reads (and removes before the model sees the body) for tagging and the stream mode. */
export const GUARDRAIL_CONFIG_FIELD = 'amazon-bedrock-guardrailConfig';
/** Response body fields: whether the guardrail intervened, and its trace when the request enabled one. */
export const GUARDRAIL_ACTION_FIELD = 'amazon-bedrock-guardrailAction';
export const TRACE_FIELD = 'amazon-bedrock-trace';

const bodyConfig = z
  .object({
    /** Input tagging: only text inside `<amazon-bedrock-guardrails-guardContent_{tagSuffix}>` tags is checked. */
    tagSuffix: z.string().regex(/^[a-z0-9]{1,20}$/, 'tagSuffix must be 1-20 lower-case letters or digits').optional(),
    streamProcessingMode: z.enum(['SYNCHRONOUS', 'ASYNCHRONOUS']).optional(),
  })
  .strict();

export interface InvokeGuardrail {
  guardrail: GuardrailRequest;
  tagSuffix?: string;
}

/**
 * Reads the guardrail of an InvokeModel call from its headers and body, and takes Bedrock's own field out of the body
 * so the family format (strict, as Bedrock's are) sees only the model's parameters.
 */
export function invokeGuardrailOf(header: (name: string) => string | undefined, body: unknown): { guardrail?: InvokeGuardrail; body: unknown } {
  const identifier = header(GUARDRAIL_ID_HEADER);
  const version = header(GUARDRAIL_VERSION_HEADER);
  const traceHeader = header(TRACE_HEADER);
  let config: z.infer<typeof bodyConfig> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body) && GUARDRAIL_CONFIG_FIELD in body) {
    const { [GUARDRAIL_CONFIG_FIELD]: raw, ...rest } = body as Record<string, unknown>;
    const parsed = bodyConfig.safeParse(raw);
    if (!parsed.success) throw validation(`${GUARDRAIL_CONFIG_FIELD}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
    config = parsed.data;
    body = rest;
  }
  if (identifier === undefined) {
    if (version !== undefined) throw validation('X-Amzn-Bedrock-GuardrailVersion was sent without X-Amzn-Bedrock-GuardrailIdentifier.');
    if (config) throw validation(`${GUARDRAIL_CONFIG_FIELD} needs a guardrail: send the X-Amzn-Bedrock-GuardrailIdentifier and -GuardrailVersion headers.`);
    return { body };
  }
  const trace = traceHeader === undefined ? 'DISABLED' : traceHeader.toUpperCase();
  if (trace !== 'ENABLED' && trace !== 'DISABLED' && trace !== 'ENABLED_FULL') throw validation('X-Amzn-Bedrock-Trace must be ENABLED, DISABLED or ENABLED_FULL.');
  const checked = guardrailConfig.safeParse({ guardrailIdentifier: identifier, guardrailVersion: version ?? '' });
  if (!checked.success) {
    const what = version === undefined ? 'X-Amzn-Bedrock-GuardrailVersion is required with X-Amzn-Bedrock-GuardrailIdentifier' : checked.error.issues.map((i) => i.message).join('; ');
    throw validation(what);
  }
  const guardrail: GuardrailRequest = {
    identifier,
    version: version!,
    trace: trace.toLowerCase() as GuardrailRequest['trace'],
    ...(config?.streamProcessingMode ? { streamProcessingMode: config.streamProcessingMode === 'ASYNCHRONOUS' ? 'async' : 'sync' } : {}),
  };
  return { guardrail: { guardrail, ...(config?.tagSuffix ? { tagSuffix: config.tagSuffix } : {}) }, body };
}

/**
 * The canonical request with the guardrail attached. With a tag suffix, tagged spans of the messages' text become
 * `guardContent` blocks (tags removed: the model reads the text, not the markup), which limits the check to them.
 */
export function withInvokeGuardrail(req: ConverseRequest, g: InvokeGuardrail | undefined): ConverseRequest {
  if (!g) return req;
  if (!g.tagSuffix) return { ...req, guardrail: g.guardrail };
  const tag = `amazon-bedrock-guardrails-guardContent_${g.tagSuffix}`;
  const tagged = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g');
  const messages = req.messages.map((m) => ({
    ...m,
    content: m.content.flatMap((b): ContentBlock[] => {
      if (!('text' in b) || !b.text.includes(`<${tag}>`)) return [b];
      const out: ContentBlock[] = [];
      let last = 0;
      for (const match of b.text.matchAll(tagged)) {
        if (match.index > last) out.push({ text: b.text.slice(last, match.index) });
        out.push({ guardContent: { text: { text: match[1]! } } });
        last = match.index + match[0].length;
      }
      if (last < b.text.length) out.push({ text: b.text.slice(last) });
      return out;
    }),
  }));
  return { ...req, messages, guardrail: g.guardrail };
}

/** The fields Bedrock adds to a response body (or the last stream chunk) when a guardrail was applied. */
export function guardrailFields(report: GuardrailReport | undefined): Record<string, unknown> {
  if (!report) return {};
  return { [GUARDRAIL_ACTION_FIELD]: report.action, ...(report.trace ? { [TRACE_FIELD]: { guardrail: report.trace } } : {}) };
}
