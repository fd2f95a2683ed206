import type { Context } from 'hono';
import { type ConverseRequest, type GuardrailReport, type ModelInfo, QuarryError, type StreamPart, validation } from '../../../core/index.js';
import type { InvocationContext, Runtime } from '../../../runtime/index.js';
import { type ApiEnv, MODEL_ID_HEADER } from '../../shared/api-env.js';
import { encodeBase64 } from '../../shared/base64.js';
import { parseJsonBody } from '../../shared/parse-body.js';
import { streamResponse } from '../../shared/stream-response.js';
import { EVENT_STREAM_CONTENT_TYPE, encodeEvent, encodeException } from '../event-stream.js';
import { FORMATS } from './formats.js';
import type { DecodedInvoke } from './invoke-format.js';
import { guardrailFields, type InvokeGuardrail, invokeGuardrailOf, withInvokeGuardrail } from './invoke-guardrail.js';

/** How a route reads request headers (the guardrail's are InvokeModel's only parameters outside the body). */
export type HeaderOf = (name: string) => string | undefined;
const NO_HEADERS: HeaderOf = () => undefined;

/** Resolves the model first (an unknown model is a 404 whatever the body), then decodes the body in its family's format. */
async function decodeFor(
  runtime: Runtime,
  modelId: string,
  raw: Uint8Array,
  header: HeaderOf = NO_HEADERS,
): Promise<{ model: ModelInfo; decoded: DecodedInvoke; guardrail?: InvokeGuardrail }> {
  const { model } = await runtime.resolveModel(modelId);
  const format = FORMATS[model.family] ?? FORMATS.generic;
  const { guardrail, body } = invokeGuardrailOf(header, parseJsonBody(raw));
  return { model, decoded: format.decode(body, modelId, model), guardrail };
}

/** Bedrock reports token counts and latency of InvokeModel in these response headers. */
function invokeHeaders(requestId: string, modelId: string, input: number, output: number, latencyMs: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    [MODEL_ID_HEADER]: modelId,
    'x-amzn-requestid': requestId,
    'x-amzn-bedrock-input-token-count': String(input),
    'x-amzn-bedrock-output-token-count': String(output),
    'x-amzn-bedrock-invocation-latency': String(latencyMs),
  };
}

export async function invokeModel(runtime: Runtime, ctx: InvocationContext, modelId: string, raw: Uint8Array, header: HeaderOf = NO_HEADERS): Promise<Response> {
  const started = performance.now();
  const { decoded, guardrail } = await decodeFor(runtime, modelId, raw, header);
  if (decoded.kind === 'embedding') {
    if (guardrail) throw validation('Guardrails apply to text generation; an embedding model takes no guardrail headers.');
    const result = await runtime.embed(ctx, decoded.request);
    const body = decoded.encode(result);
    return new Response(JSON.stringify(body), { headers: invokeHeaders(ctx.requestId, result.model.id, result.inputTokens, 0, Math.round(performance.now() - started)) });
  }
  if (decoded.kind === 'image') {
    if (guardrail) throw validation('Guardrails apply to text generation; an image model takes no guardrail headers.');
    const result = await runtime.generateImages(ctx, decoded.request);
    return new Response(JSON.stringify(decoded.encode(result)), { headers: invokeHeaders(ctx.requestId, result.model.id, 0, 0, Math.round(performance.now() - started)) });
  }
  const result = await runtime.converse(ctx, withInvokeGuardrail(decoded.request, guardrail));
  const body = guardrail ? { ...(decoded.encode(result) as object), ...guardrailFields(result.guardrail) } : decoded.encode(result);
  return new Response(JSON.stringify(body), {
    headers: invokeHeaders(ctx.requestId, result.model.id, result.usage.inputTokens, result.usage.outputTokens, result.latencyMs),
  });
}

export async function invokeModelStream(
  c: Context<ApiEnv>,
  runtime: Runtime,
  ctx: InvocationContext,
  modelId: string,
  raw: Uint8Array,
  header: HeaderOf = NO_HEADERS,
): Promise<Response> {
  const startedAt = performance.now();
  const { model, decoded, guardrail } = await decodeFor(runtime, modelId, raw, header);
  if (decoded.kind !== 'text') {
    throw validation(`Model ${model.id} is an ${decoded.kind} model and does not support InvokeModelWithResponseStream; call InvokeModel.`);
  }
  // Several formats report the prompt size in their first chunk, before the provider's usage exists; counting runs
  // beside the provider's first part, so it costs no extra latency unless the count itself is slower.
  const [{ model: answering, parts }, inputTokens] = await Promise.all([
    runtime.converseStream(ctx, withInvokeGuardrail(decoded.request, guardrail)),
    runtime.countTokens(ctx, decoded.request).then(
      (r) => r.inputTokens,
      () => 0,
    ),
  ]);
  let streamError: QuarryError | undefined;
  let report: GuardrailReport | undefined;
  const chunks = decoded.chunks(
    untilError(
      parts,
      (e) => {
        streamError = e;
      },
      (r) => {
        report = r;
      },
    ),
    { startedAt, inputTokens },
  );
  const enc = new TextEncoder();
  const frame = (chunk: object) => encodeEvent('chunk', { bytes: encodeBase64(enc.encode(JSON.stringify(chunk))) });
  async function* frames() {
    if (!guardrail) {
      for await (const chunk of chunks) yield frame(chunk);
    } else {
      // One chunk is held back: Bedrock puts the guardrail's action and trace on the last one, known only at the end.
      let held: object | undefined;
      for await (const chunk of chunks) {
        if (held) yield frame(held);
        held = chunk;
      }
      if (held) yield frame(streamError ? held : { ...held, ...guardrailFields(report) });
    }
    if (streamError) yield encodeException(streamError.code, streamError.message);
  }
  return streamResponse(c, frames(), {
    'content-type': EVENT_STREAM_CONTENT_TYPE,
    'x-amzn-bedrock-content-type': 'application/json',
    'x-amzn-requestid': ctx.requestId,
    [MODEL_ID_HEADER]: answering.id,
  });
}

/** Formats see only successful parts; an error part ends their input and is sent after their last chunk. */
async function* untilError(parts: AsyncIterable<StreamPart>, onError: (e: QuarryError) => void, onGuardrail: (r: GuardrailReport) => void): AsyncGenerator<StreamPart> {
  for await (const p of parts) {
    if (p.type === 'error') {
      onError(p.error);
      return;
    }
    if (p.type === 'metadata' && p.guardrail) onGuardrail(p.guardrail);
    yield p;
  }
}

/** CountTokens with an InvokeModel body: decode it in the model's format, then count as Converse does. */
export async function invokeTokenRequest(runtime: Runtime, modelId: string, body: Uint8Array): Promise<ConverseRequest> {
  const { decoded } = await decodeFor(runtime, modelId, body);
  if (decoded.kind !== 'text') throw new QuarryError('ValidationException', `CountTokens takes a text-generation request body, not an ${decoded.kind} one.`);
  return decoded.request;
}
