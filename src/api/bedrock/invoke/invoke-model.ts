import { type ConverseRequest, QuarryError, type StreamPart } from '../../../core/index.js';
import type { InvocationContext, Runtime } from '../../../runtime/index.js';
import { encodeBase64 } from '../../shared/base64.js';
import { parseJsonBody } from '../../shared/parse-body.js';
import { streamResponse } from '../../shared/stream-response.js';
import { EVENT_STREAM_CONTENT_TYPE, encodeEvent, encodeException } from '../event-stream.js';
import { FORMATS } from './formats.js';
import type { InvokeFormat } from './invoke-format.js';

async function formatFor(runtime: Runtime, modelId: string) {
  const { model } = await runtime.resolveModel(modelId);
  const format = FORMATS[model.family] ?? FORMATS.generic;
  if (!format) throw new QuarryError('ValidationException', `InvokeModel does not support the ${model.family} body format yet; use Converse.`);
  return { model, format };
}

/** Bedrock reports token counts and latency of InvokeModel in these response headers. */
function invokeHeaders(requestId: string, input: number, output: number, latencyMs: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId,
    'x-amzn-bedrock-input-token-count': String(input),
    'x-amzn-bedrock-output-token-count': String(output),
    'x-amzn-bedrock-invocation-latency': String(latencyMs),
  };
}

export async function invokeModel(runtime: Runtime, ctx: InvocationContext, modelId: string, raw: Uint8Array): Promise<Response> {
  const { model, format } = await formatFor(runtime, modelId);
  const decoded = format.decode(parseJsonBody(raw), modelId);
  if (decoded.kind === 'embedding') {
    const started = performance.now();
    const result = await runtime.embed(ctx, decoded.request);
    const body = need(format.encodeEmbedding, model.family)(result, decoded.request, model);
    return new Response(JSON.stringify(body), { headers: invokeHeaders(ctx.requestId, result.inputTokens, 0, Math.round(performance.now() - started)) });
  }
  const result = await runtime.converse(ctx, decoded.request);
  const body = need(format.encodeText, model.family)(result, model);
  return new Response(JSON.stringify(body), {
    headers: invokeHeaders(ctx.requestId, result.usage.inputTokens, result.usage.outputTokens, result.latencyMs),
  });
}

export async function invokeModelStream(runtime: Runtime, ctx: InvocationContext, modelId: string, raw: Uint8Array): Promise<Response> {
  const { model, format } = await formatFor(runtime, modelId);
  const decoded = format.decode(parseJsonBody(raw), modelId);
  if (decoded.kind !== 'text' || !format.streamChunks) {
    throw new QuarryError('ValidationException', `Model ${model.id} does not support InvokeModelWithResponseStream.`);
  }
  const { parts } = await runtime.converseStream(ctx, decoded.request);
  const chunks = format.streamChunks(withErrors(parts, (e) => (streamError = e)), model);
  let streamError: QuarryError | undefined;
  async function* frames() {
    for await (const chunk of chunks) yield encodeEvent('chunk', { bytes: encodeBase64(new TextEncoder().encode(JSON.stringify(chunk))) });
    if (streamError) yield encodeException(streamError.code, streamError.message);
  }
  return streamResponse(frames(), { 'content-type': EVENT_STREAM_CONTENT_TYPE, 'x-amzn-requestid': ctx.requestId });
}

/** Formats see only successful parts; an error part ends their input and is sent after their last chunk. */
async function* withErrors(parts: AsyncIterable<StreamPart>, onError: (e: QuarryError) => void) {
  for await (const p of parts) {
    if (p.type === 'error') {
      onError(p.error);
      return;
    }
    yield p;
  }
}

/** CountTokens with an InvokeModel body: decode it in the model's format, then count as Converse does. */
export async function invokeTokenRequest(runtime: Runtime, modelId: string, body: Uint8Array): Promise<ConverseRequest> {
  const { format } = await formatFor(runtime, modelId);
  const decoded = format.decode(parseJsonBody(body), modelId);
  if (decoded.kind !== 'text') throw new QuarryError('ValidationException', 'CountTokens takes a text-generation request body.');
  return decoded.request;
}

function need<T>(fn: T | undefined, family: string): T {
  if (!fn) throw new QuarryError('ValidationException', `The ${family} body format does not support this kind of invocation.`);
  return fn;
}
