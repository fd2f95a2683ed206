import { type Context, Hono } from 'hono';
import { type AppRecord, type AppRunEvent, type AppService, appArn, appDefinitionSchema, chatTurnSchema, draftAppRequestSchema, runAppSchema } from '../../apps/index.js';
import { toQuarryError } from '../../core/index.js';
import type { Action } from '../../iam/index.js';
import { type ApiEnv, invocationContext, readBody } from '../shared/api-env.js';
import { authorizeRequest, knowledgeBaseResource, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';
import { streamResponse } from '../shared/stream-response.js';

export interface AppRoutesDeps {
  apps: AppService;
  region: string;
  maxBodyBytes: number;
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/** An app as the API shows it: the definition as saved, with its ARN. */
export function appView(app: AppRecord, region: string) {
  return {
    appId: app.id,
    appArn: appArn(region, app.accountId, app.id),
    name: app.name,
    description: app.description,
    widgets: app.widgets,
    ...(app.guardrail ? { guardrail: app.guardrail } : {}),
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
  };
}

/** One SSE event per run event, its type inside the JSON so a client needs only the `data:` lines. */
export async function* sseEvents(events: AsyncIterable<AppRunEvent>): AsyncGenerator<string> {
  try {
    for await (const e of events) yield `data: ${JSON.stringify(e)}\n\n`;
  } catch (e) {
    // The runner turns widget failures into outputs; anything reaching here failed the run itself.
    const err = toQuarryError(e);
    yield `data: ${JSON.stringify({ type: 'error', error: { code: err.code, message: err.message } })}\n\n`;
  }
}

/**
 * No-code apps under /quarry/apps (quarry:CreateApp, GetApp, ListApps, UpdateApp, DeleteApp, RunApp), authorized on
 * `arn:aws:bedrock:<region>:<account>:app/<id>`. A caller only ever sees its own account's apps: another account's
 * id is not found, never forbidden. Running an app calls each widget's model through the runtime as the caller, so
 * bedrock:InvokeModel (or InvokeModelWithResponseStream for /run-stream) is checked on every model it uses.
 */
export function appRoutes(deps: AppRoutesDeps): Hono<ApiEnv> {
  const { apps, region } = deps;
  const app = new Hono<ApiEnv>();

  const body = async <T>(c: Context<ApiEnv>, schema: import('zod').ZodType<T>, what: string): Promise<T> => validate(schema, parseJsonBody(await readBody(c, deps.maxBodyBytes)), what) as T;

  /** The app the path names, in the caller's account, authorized for `action` on its ARN. */
  const onApp = async (c: Context<ApiEnv>, action: Action): Promise<AppRecord> => {
    const row = await apps.get(scopeOf(c), c.req.param('id') ?? '');
    await authorizeRequest(c, action, appArn(region, row.accountId, row.id));
    return row;
  };

  app.get('/quarry/apps', async (c) => {
    await authorizeRequest(c, 'quarry:ListApps', '*');
    const list = await apps.list(scopeOf(c));
    return c.json({
      apps: list.map((a) => ({ appId: a.id, appArn: appArn(region, a.accountId, a.id), name: a.name, description: a.description, widgetCount: a.widgets.length, updatedAt: a.updatedAt })),
    });
  });

  app.post('/quarry/apps', async (c) => {
    await authorizeRequest(c, 'quarry:CreateApp', '*');
    const def = await body(c, appDefinitionSchema, 'CreateApp request');
    return c.json({ app: appView(await apps.create(scopeOf(c), def), region) }, 201);
  });

  // Drafting is a step of creating: it needs quarry:CreateApp, and the runtime checks the model call as the caller's.
  app.post('/quarry/apps/draft', async (c) => {
    await authorizeRequest(c, 'quarry:CreateApp', '*');
    const req = await body(c, draftAppRequestSchema, 'DraftApp request');
    return c.json({ draft: await apps.draft(invocationContext(c, 'quarry.apps.draft'), req) });
  });

  app.get('/quarry/apps/:id', async (c) => c.json({ app: appView(await onApp(c, 'quarry:GetApp'), region) }));

  app.put('/quarry/apps/:id', async (c) => {
    const row = await onApp(c, 'quarry:UpdateApp');
    const def = await body(c, appDefinitionSchema, 'UpdateApp request');
    return c.json({ app: appView(await apps.update(scopeOf(c), row.id, def), region) });
  });

  app.delete('/quarry/apps/:id', async (c) => {
    const row = await onApp(c, 'quarry:DeleteApp');
    await apps.delete(scopeOf(c), row.id);
    return c.body(null, 204);
  });

  app.post('/quarry/apps/:id/run', async (c) => {
    const row = await onApp(c, 'quarry:RunApp');
    const req = await body(c, runAppSchema, 'RunApp request');
    const inputs = await apps.withDocuments(row, req.inputs, req.documents, c.get('clientAbort').signal);
    return c.json({ run: await apps.run(invocationContext(c, 'quarry.apps.run'), row, inputs, true, req.reuse) });
  });

  app.post('/quarry/apps/:id/run-stream', async (c) => {
    const row = await onApp(c, 'quarry:RunApp');
    const req = await body(c, runAppSchema, 'RunApp request');
    const inputs = await apps.withDocuments(row, req.inputs, req.documents, c.get('clientAbort').signal);
    const events = apps.events(invocationContext(c, 'quarry.apps.run-stream'), row, inputs, true, true, req.reuse);
    return streamResponse(c, sseEvents(events), SSE_HEADERS);
  });

  app.post('/quarry/apps/:id/chat/:widget', async (c) => {
    const row = await onApp(c, 'quarry:RunApp');
    const w = apps.chatbot(row, c.req.param('widget'));
    if (w.knowledgeBaseId) await authorizeRequest(c, 'bedrock:Retrieve', knowledgeBaseResource(c, region, w.knowledgeBaseId));
    const turn = await body(c, chatTurnSchema, 'AppChat request');
    return c.json(await apps.chat(invocationContext(c, 'quarry.apps.chat'), row, w, turn));
  });

  return app;
}
