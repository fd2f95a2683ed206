import { type BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import type { EmbedRequest, EmbedResult, ModelInfo } from '../../core/index.js';
import { countTextTokens } from '../shared/estimate-tokens.js';
import { upstreamReturned } from './map-bedrock-error.js';

const titanResponse = z.object({ embedding: z.array(z.number()), inputTextTokenCount: z.number().nullish() });
// Cohere answers `embeddings: number[][]`, or `embeddings: { float: number[][] }` when embedding types were named.
const cohereResponse = z.object({
  embeddings: z.union([z.array(z.array(z.number())), z.object({ float: z.array(z.array(z.number())) })]),
});

/** Cohere on Bedrock takes at most this many texts per call. */
const COHERE_BATCH = 96;

/**
 * Embeddings go through InvokeModel with the model's native body, since Converse has no embedding operation.
 * Titan embeds one text per call, so a batch fans out (bounded); Cohere takes batches.
 */
export async function embedWithBedrock(
  client: BedrockRuntimeClient,
  req: EmbedRequest & { model: ModelInfo },
  signal: AbortSignal,
  concurrency: number,
): Promise<EmbedResult> {
  const modelId = req.model.upstreamModel;
  if (req.model.family === 'cohere' || /cohere\.embed/.test(modelId)) {
    const embeddings: number[][] = [];
    for (let i = 0; i < req.inputs.length; i += COHERE_BATCH) {
      const texts = req.inputs.slice(i, i + COHERE_BATCH);
      const json = await invoke(client, modelId, { texts, input_type: 'search_document', truncate: 'END' }, signal);
      const parsed = cohereResponse.safeParse(json);
      if (!parsed.success) throw upstreamReturned('a Cohere embedding body without `embeddings`', parsed.error);
      const e = parsed.data.embeddings;
      embeddings.push(...(Array.isArray(e) ? e : e.float));
    }
    // Cohere's body carries no token count (Bedrock puts it in a header the SDK does not surface): estimate.
    return { embeddings, inputTokens: await countTextTokens(req.inputs.join('\n')) };
  }

  const embeddings: number[][] = new Array(req.inputs.length);
  let inputTokens = 0;
  let next = 0;
  const worker = async () => {
    while (next < req.inputs.length) {
      const i = next++;
      const body: Record<string, unknown> = { inputText: req.inputs[i] };
      // Only Titan v2 knows these fields; v1 rejects a body that has them, so they go only when asked for.
      if (req.dimensions !== undefined) body.dimensions = req.dimensions;
      if (req.normalize !== undefined) body.normalize = req.normalize;
      const parsed = titanResponse.safeParse(await invoke(client, modelId, body, signal));
      if (!parsed.success) throw upstreamReturned('a Titan embedding body without `embedding`', parsed.error);
      embeddings[i] = parsed.data.embedding;
      inputTokens += parsed.data.inputTextTokenCount ?? 0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, req.inputs.length) }, worker));
  return { embeddings, inputTokens };
}

async function invoke(client: BedrockRuntimeClient, modelId: string, body: unknown, signal: AbortSignal): Promise<unknown> {
  const out = await client.send(
    new InvokeModelCommand({ modelId, contentType: 'application/json', accept: 'application/json', body: JSON.stringify(body) }),
    { abortSignal: signal },
  );
  const text = new TextDecoder().decode(out.body);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw upstreamReturned(`an embedding body that is not JSON: ${text.slice(0, 120)}`, e);
  }
}
