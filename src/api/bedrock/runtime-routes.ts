import { Hono } from 'hono';
import { type ApiDeps, type ApiEnv, invocationContext, jsonAnswer, MODEL_ID_HEADER, readBody, requestHeader } from '../shared/api-env.js';
import { decodeBase64 } from '../shared/base64.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';
import { streamResponse } from '../shared/stream-response.js';
import { fromConverseWire, toConverseWire } from './converse-codec.js';
import { converseBody, converseStreamBody, countTokensBody } from './converse-schema.js';
import { EVENT_STREAM_CONTENT_TYPE } from './event-stream.js';
import { invokeModel, invokeModelStream, invokeTokenRequest } from './invoke/invoke-model.js';
import { converseStreamFrames } from './stream-events.js';

/** Bedrock Runtime: Converse, ConverseStream, InvokeModel (+ stream) and CountTokens. */
export function bedrockRuntimeRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post('/model/:modelId/converse', async (c) => {
    const body = validate(converseBody, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'Converse request');
    const result = await deps.runtime.converse(invocationContext(c, 'bedrock.converse'), fromConverseWire(c.req.param('modelId'), body));
    return jsonAnswer(toConverseWire(result), { [MODEL_ID_HEADER]: result.model.id });
  });

  app.post('/model/:modelId/converse-stream', async (c) => {
    const body = validate(converseStreamBody, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'ConverseStream request');
    const { model, parts } = await deps.runtime.converseStream(
      invocationContext(c, 'bedrock.converse-stream'),
      fromConverseWire(c.req.param('modelId'), body),
    );
    return streamResponse(c, converseStreamFrames(parts), {
      'content-type': EVENT_STREAM_CONTENT_TYPE,
      'x-amzn-requestid': c.get('requestId'),
      [MODEL_ID_HEADER]: model.id,
    });
  });

  app.post('/model/:modelId/invoke', async (c) => {
    const raw = await readBody(c, deps.maxBodyBytes);
    return invokeModel(deps.runtime, invocationContext(c, 'bedrock.invoke'), c.req.param('modelId'), raw, (name) => requestHeader(c, name));
  });

  app.post('/model/:modelId/invoke-with-response-stream', async (c) => {
    const raw = await readBody(c, deps.maxBodyBytes);
    return invokeModelStream(c, deps.runtime, invocationContext(c, 'bedrock.invoke-stream'), c.req.param('modelId'), raw, (name) => requestHeader(c, name));
  });

  app.post('/model/:modelId/count-tokens', async (c) => {
    const body = validate(countTokensBody, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'CountTokens request');
    const modelId = c.req.param('modelId');
    const ctx = invocationContext(c, 'bedrock.count-tokens');
    const req =
      'converse' in body.input
        ? fromConverseWire(modelId, { messages: [], ...body.input.converse })
        : await invokeTokenRequest(deps.runtime, modelId, decodeBase64(body.input.invokeModel.body, 'input.invokeModel.body'));
    const { inputTokens } = await deps.runtime.countTokens(ctx, req);
    return c.json({ inputTokens });
  });

  return app;
}
