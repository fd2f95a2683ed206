import { Hono } from 'hono';
import { randomHex, validation } from '../../core/index.js';
import { type ApiDeps, type ApiEnv, invocationContext, jsonAnswer, MODEL_ID_HEADER, readBody, requestHeader } from '../shared/api-env.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';
import { streamResponse } from '../shared/stream-response.js';
import { chatCompletionChunks } from './chat-completion-chunks.js';
import { chatGuardrail, GUARDRAIL_ID_HEADER } from './chat-guardrail.js';
import { chatCompletionRequest } from './chat-request-schema.js';
import { embeddingInputs, embeddingsRequest } from './embeddings-request.js';
import { encodeEmbedding } from './encode-embedding.js';
import { encodeImage } from './encode-image.js';
import { fromChatRequest } from './from-chat-request.js';
import { imagesRequest, toImageGenerationRequest } from './images-request.js';
import { modelObject } from './model-object.js';
import { responsesRoutes } from './responses-routes.js';
import { toChatCompletion } from './to-chat-completion.js';

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/** The OpenAI API: Chat Completions (+ stream), Responses, Embeddings, Images (generations), Models. Errors take OpenAI's shape in the app's onError. */
export function openaiRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const started = unixNow();

  app.post('/v1/chat/completions', async (c) => {
    const body = validate(chatCompletionRequest, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'chat completion request');
    const guardrail = chatGuardrail(body, (name) => requestHeader(c, name));
    const req = guardrail ? { ...fromChatRequest(body), guardrail } : fromChatRequest(body);
    const meta = { id: `chatcmpl-${randomHex(24)}`, created: unixNow(), model: body.model };
    if (!body.stream) {
      const result = await deps.runtime.converse(invocationContext(c, 'openai.chat-completions'), req);
      return jsonAnswer(toChatCompletion(result, meta), { [MODEL_ID_HEADER]: result.model.id });
    }
    const { model, parts } = await deps.runtime.converseStream(invocationContext(c, 'openai.chat-completions-stream'), req);
    // (streamResponse adds the request id headers.)
    return streamResponse(c, chatCompletionChunks(parts, meta, body.stream_options?.include_usage === true), Object.assign({}, SSE_HEADERS, { [MODEL_ID_HEADER]: model.id }));
  });

  app.route('/', responsesRoutes(deps));

  app.post('/v1/embeddings', async (c) => {
    const body = validate(embeddingsRequest, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'embeddings request');
    const inputs = embeddingInputs(body.input);
    const result = await deps.runtime.embed(invocationContext(c, 'openai.embeddings'), {
      modelId: body.model,
      inputs,
      ...(body.dimensions != null ? { dimensions: body.dimensions } : {}),
    });
    const format = body.encoding_format ?? 'float';
    return c.json({
      object: 'list',
      data: result.embeddings.map((v, index) => ({ object: 'embedding', index, embedding: encodeEmbedding(v, format) })),
      model: body.model,
      usage: { prompt_tokens: result.inputTokens, total_tokens: result.inputTokens },
    });
  });

  app.post('/v1/images/generations', async (c) => {
    const body = validate(imagesRequest, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'images request');
    // Refused rather than ignored: a caller who names a guardrail must not believe the prompt was checked.
    if (requestHeader(c, GUARDRAIL_ID_HEADER) !== undefined) throw validation('Guardrails apply to text generation; an images request takes no x-quarry-guardrail-* headers.');
    const result = await deps.runtime.generateImages(invocationContext(c, 'openai.images'), toImageGenerationRequest(body));
    const format = body.response_format ?? 'b64_json';
    return c.json({ created: unixNow(), data: result.images.map((i) => encodeImage(i, format)) }, 200, { [MODEL_ID_HEADER]: result.model.id });
  });

  app.get('/v1/models', async (c) => {
    const models = await deps.runtime.listModels();
    return c.json({ object: 'list', data: models.map((m) => modelObject(m, started)) });
  });

  // Local model ids may contain slashes (`org/model`), so the id is the rest of the path.
  app.get('/v1/models/:id{.+}', async (c) => {
    const { model } = await deps.runtime.resolveModel(c.req.param('id'));
    return c.json(modelObject(model, started));
  });

  return app;
}

const unixNow = () => Math.floor(Date.now() / 1000);
