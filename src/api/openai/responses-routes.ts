import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type ConverseRequest, notFound, randomHex, validation } from '../../core/index.js';
import type { StoredResponses } from '../../responses/index.js';
import { type ApiDeps, type ApiEnv, invocationContext, MODEL_ID_HEADER, readBody, requestHeader } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';
import { streamResponse } from '../shared/stream-response.js';
import { chatGuardrail } from './chat-guardrail.js';
import { fromResponsesRequest, locate, requestItems } from './from-responses-request.js';
import { responseStreamEvents } from './response-stream-events.js';
import type { LocatedItem } from './responses-input-messages.js';
import { inputItem, inputTokensRequest, type ResponsesInputItem, type ResponsesRequest, responsesRequest } from './responses-request-schema.js';
import { type ResponseObject, responseShell, toResponseObject, unixNow } from './to-response-object.js';

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

const inputItemsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  after: z.string().optional(),
  before: z.string().optional(),
  // The openai SDK writes arrays as `include[]=…`. Input items are stored whole, so every include is already there.
  include: z.union([z.string(), z.array(z.string())]).optional(),
  'include[]': z.union([z.string(), z.array(z.string())]).optional(),
});

/**
 * The Responses API: create (plain and streamed), count input tokens, and the stored responses — retrieve, delete,
 * list input items (and cancel, which only says why it cannot).
 * Stored responses belong to the caller's account: an id from another account is not found, never read.
 */
export function responsesRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const store = deps.responses;

  app.post('/v1/responses', async (c) => {
    const body = validate(responsesRequest, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'responses request');
    const guardrail = chatGuardrail(body, (name) => requestHeader(c, name));
    const accountId = scopeOf(c);
    const { input, req: canonical } = await toCanonical(c, store, body);
    const req = { ...canonical, ...(guardrail ? { guardrail } : {}) };
    const keep = body.store ?? true;
    const meta = { id: `resp_${randomHex(48)}`, createdAt: unixNow(), store: keep };
    const shell = responseShell(body, meta);
    const stored = input.map(withId);
    const save = async (response: ResponseObject) => {
      if (keep) await store.put(accountId, { id: meta.id, previousResponseId: body.previous_response_id ?? null, createdAt: meta.createdAt, input: stored, response });
    };
    if (!body.stream) {
      const result = await deps.runtime.converse(invocationContext(c, 'openai.responses'), req);
      const response = toResponseObject(result, shell);
      await save(response);
      return c.json(response, 200, { [MODEL_ID_HEADER]: result.model.id });
    }
    const { model, parts } = await deps.runtime.converseStream(invocationContext(c, 'openai.responses-stream'), req);
    return streamResponse(c, responseStreamEvents(parts, shell, save), { ...SSE_HEADERS, [MODEL_ID_HEADER]: model.id });
  });

  // Counts what a create with the same parameters would send the model (client.responses.inputTokens.count).
  app.post('/v1/responses/input_tokens', async (c) => {
    const body = validate(inputTokensRequest, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'input tokens request');
    const { req } = await toCanonical(c, store, body);
    const { inputTokens } = await deps.runtime.countTokens(invocationContext(c, 'openai.responses-input-tokens'), req);
    return c.json({ object: 'response.input_tokens', input_tokens: inputTokens });
  });

  app.get('/v1/responses/:id', async (c) => {
    await authorizeRequest(c, 'quarry:GetResponse', '*');
    // Replaying a finished response as a stream is not offered: refused rather than answered as JSON the client cannot parse.
    if (c.req.query('stream') === 'true') throw validation('stream: retrieving a stored response as a stream is not supported; retrieve it without stream.');
    const found = await store.get(scopeOf(c), c.req.param('id'));
    if (!found) throw responseNotFound(c.req.param('id'));
    return c.json(found.response);
  });

  app.delete('/v1/responses/:id', async (c) => {
    await authorizeRequest(c, 'quarry:DeleteResponse', '*');
    const id = c.req.param('id');
    if (!(await store.delete(scopeOf(c), id))) throw responseNotFound(id);
    return c.json({ id, object: 'response', deleted: true });
  });

  // Only background responses can be cancelled, and Quarry runs none: a stored response is always finished.
  app.post('/v1/responses/:id/cancel', async (c) => {
    await authorizeRequest(c, 'quarry:GetResponse', '*');
    const id = c.req.param('id');
    const found = await store.get(scopeOf(c), id);
    if (!found) throw responseNotFound(id);
    throw validation(`Only responses created with background=true can be cancelled, and Quarry runs none; response ${id} is already ${String(found.response.status)}.`);
  });

  app.get('/v1/responses/:id/input_items', async (c) => {
    await authorizeRequest(c, 'quarry:GetResponse', '*');
    const query = Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
    const q = validate(inputItemsQuery, query, 'query');
    const found = await store.get(scopeOf(c), c.req.param('id'));
    if (!found) throw responseNotFound(c.req.param('id'));
    const all = q.order === 'asc' ? found.input : [...found.input].reverse();
    const cursor = (id: string | undefined, what: string) => {
      if (id === undefined) return undefined;
      const at = all.findIndex((i) => i.id === id);
      if (at < 0) throw validation(`${what}: no input item ${id} in this response.`);
      return at;
    };
    const from = (cursor(q.after, 'after') ?? -1) + 1;
    const to = cursor(q.before, 'before') ?? all.length;
    const window = all.slice(from, Math.max(from, to));
    const data = window.slice(0, q.limit ?? 20);
    return c.json({ object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: window.length > data.length });
  });

  return app;
}

/** The request's own input (references resolved) and the canonical request, the conversation it continues included. */
async function toCanonical(c: Context<ApiEnv>, store: StoredResponses, body: ResponsesRequest): Promise<{ input: ResponsesInputItem[]; req: ConverseRequest }> {
  const accountId = scopeOf(c);
  const input = await resolveReferences(store, accountId, requestItems(body));
  const history = await previousItems(c, store, accountId, body);
  return { input, req: fromResponsesRequest(body, locate(input, (i) => `input.${i}`), history) };
}

const responseNotFound = (id: string) => notFound(`Response with id '${id}' not found.`);

/**
 * The items of the conversation `previous_response_id` continues. Reading a stored response is authorized as
 * quarry:GetResponse, beside the bedrock:InvokeModel the runtime checks; asked of the authorizer directly so the audit
 * trail records the call as the invocation it is.
 */
async function previousItems(c: Context<ApiEnv>, store: StoredResponses, accountId: string, body: ResponsesRequest): Promise<LocatedItem[]> {
  const id = body.previous_response_id;
  if (!id) return [];
  await c.get('authorize')('quarry:GetResponse', '*');
  const items = await store.history(accountId, id);
  if (!items) throw notFound(`Previous response with id '${id}' not found.`);
  return locate(items.map(storedItem), () => 'previous_response_id');
}

/** `item_reference` inputs replaced by the stored items they name (of this account only); an unknown id is a 404. */
async function resolveReferences(store: StoredResponses, accountId: string, items: ResponsesInputItem[]): Promise<ResponsesInputItem[]> {
  const ids = items.flatMap((i) => (i.type === 'item_reference' ? [i.id] : []));
  if (!ids.length) return items;
  const found = await store.items(accountId, ids);
  return items.map((i) => {
    if (i.type !== 'item_reference') return i;
    const item = found.get(i.id);
    if (item === undefined) throw notFound(`Item with id '${i.id}' not found.`);
    return storedItem(item);
  });
}

/** Stored items were validated when they were written; parsing them again keeps their types honest. */
function storedItem(item: unknown): ResponsesInputItem {
  const r = inputItem.safeParse(item);
  if (!r.success) throw new Error(`A stored response item does not parse: ${r.error.message}`);
  return r.data;
}

const ID_PREFIX: Record<string, string> = { message: 'msg', function_call: 'fc', function_call_output: 'fco', reasoning: 'rs' };

/** Every stored input item gets an id of its own, as OpenAI assigns one: the listing pages by it. */
function withId(item: ResponsesInputItem): ResponsesInputItem & { id: string } {
  return { ...item, id: `${ID_PREFIX[item.type] ?? 'item'}_${randomHex(48)}` } as ResponsesInputItem & { id: string };
}
