import { Hono } from 'hono';
import { type ModelInfo, randomHex } from '../../core/index.js';
import { type ApiDeps, type ApiEnv, invocationContext, MODEL_ID_HEADER, readBody } from '../shared/api-env.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';
import { streamResponse } from '../shared/stream-response.js';
import { fromMessagesRequest, fromPrompt } from './from-messages-request.js';
import { messageStreamEvents } from './message-stream-events.js';
import { countTokensRequest, messagesRequest } from './messages-request-schema.js';
import { toMessagesResponse } from './to-messages-response.js';

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/** The Anthropic Messages API: Messages (+ stream), count_tokens, and Models for clients that send anthropic-version. */
export function anthropicRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const started = new Date().toISOString();

  app.post('/v1/messages', async (c) => {
    const body = validate(messagesRequest, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'messages request');
    const req = fromMessagesRequest(body);
    const meta = { id: `msg_${randomHex(24)}`, model: body.model, stopSequences: req.inferenceConfig?.stopSequences };
    const headers = { 'request-id': c.get('requestId') };
    if (!body.stream) {
      const result = await deps.runtime.converse(invocationContext(c, 'anthropic.messages'), req);
      return c.json(toMessagesResponse(result, meta), 200, { ...headers, [MODEL_ID_HEADER]: result.model.id });
    }
    const { model, parts } = await deps.runtime.converseStream(invocationContext(c, 'anthropic.messages-stream'), req);
    return streamResponse(c, messageStreamEvents(parts, meta), { ...SSE_HEADERS, ...headers, [MODEL_ID_HEADER]: model.id });
  });

  app.post('/v1/messages/count_tokens', async (c) => {
    const body = validate(countTokensRequest, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'count_tokens request');
    const { inputTokens } = await deps.runtime.countTokens(invocationContext(c, 'anthropic.count-tokens'), fromPrompt(body));
    return c.json({ input_tokens: inputTokens });
  });

  // OpenAI and Anthropic both list models at /v1/models. Anthropic's SDK always sends anthropic-version, so those
  // requests get Anthropic's shape and every other falls through to the OpenAI route.
  app.get('/v1/models', async (c, next) => {
    if (!c.req.header('anthropic-version')) return next();
    const models = (await deps.runtime.listModels()).map((m) => modelObject(m, started));
    return c.json({ data: models, has_more: false, first_id: models[0]?.id ?? null, last_id: models.at(-1)?.id ?? null });
  });

  app.get('/v1/models/:id{.+}', async (c, next) => {
    if (!c.req.header('anthropic-version')) return next();
    const { model } = await deps.runtime.resolveModel(c.req.param('id'));
    return c.json(modelObject(model, started));
  });

  return app;
}

/** The catalog keeps no creation date; the server's start time is stable for a process and claims nothing more. */
function modelObject(m: ModelInfo, createdAt: string) {
  return { type: 'model' as const, id: m.id, display_name: m.name, created_at: createdAt };
}
