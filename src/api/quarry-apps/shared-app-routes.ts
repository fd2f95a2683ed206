import { type Context, Hono } from 'hono';
import { type AppRecord, type AppService, appArn, chatTurnSchema, runAppSchema } from '../../apps/index.js';
import { QuarryError } from '../../core/index.js';
import { type Action, type Authorizer, type Principal, resourceArn } from '../../iam/index.js';
import { type ApiEnv, invocationContext, readBody } from '../shared/api-env.js';
import { authorizeRequest } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';
import { streamResponse } from '../shared/stream-response.js';
import { SSE_HEADERS, sseEvents } from './app-routes.js';

export interface SharedAppRoutesDeps {
  apps: AppService;
  region: string;
  maxBodyBytes: number;
  authorizer: Authorizer;
  /** Throws when the principal that made the link may no longer act (its key revoked, disabled or expired). */
  checkSharer: (principal: Principal) => Promise<void>;
  /** Runs one link may have going at once on this replica (2 by default): a leaked link cannot fan out without bound. */
  maxConcurrentRuns?: number;
}

/** All a link's holder can cause: running this app's widgets' model calls (and their guardrail checks), and searching its chatbots' knowledge bases. */
const RUN_ACTIONS: ReadonlySet<Action> = new Set(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:ApplyGuardrail']);

const knowledgeBaseArn = (region: string, accountId: string, id: string) => resourceArn({ type: 'knowledge-base', id, region, accountId });

/**
 * Read-only app links, answered signed out (mounted before authentication): GET /quarry/shared-apps/{token} shows the
 * app, POST …/run and …/run-stream run it. The token is the only credential and opens only its app: the runs are made
 * as the principal that made the link, whose policies are evaluated on every call as if it ran the app itself
 * (quarry:RunApp on the app, then the models), and whose account is charged and metered; the audit trail records the
 * runs as theirs, by a share link. Anything else that principal may do is refused here. Unknown links are 404, revoked
 * ones 403.
 */
export function sharedAppRoutes(deps: SharedAppRoutesDeps): Hono<ApiEnv> {
  const { apps, region, authorizer } = deps;
  const limit = deps.maxConcurrentRuns ?? 2;
  const running = new Map<string, number>();
  const app = new Hono<ApiEnv>();

  /** Opens the link and makes the request the sharer's, restricted to running this one app. */
  const open = async (c: Context<ApiEnv>): Promise<AppRecord> => {
    const { share, principal } = await apps.shares.open(c.req.param('token') ?? '');
    const row = await apps.get(share.accountId, share.appId);
    const arn = appArn(region, row.accountId, row.id);
    // The knowledge bases the app's chatbots are grounded in: a link may search those and no other.
    const kbArns = new Set(row.widgets.flatMap((w) => (w.type === 'chatbot' && w.knowledgeBaseId ? [knowledgeBaseArn(region, row.accountId, w.knowledgeBaseId)] : [])));
    c.set('principal', principal);
    c.set('accountId', share.accountId);
    c.set('authorize', async (action: Action, resource: string) => {
      const allowed = action === 'quarry:RunApp' ? resource === arn : action === 'bedrock:Retrieve' ? kbArns.has(resource) : RUN_ACTIONS.has(action);
      if (!allowed) throw new QuarryError('AccessDeniedException', `A share link only runs its app; it does not allow ${action}.`);
      await authorizer.check(principal, action, resource, { 'quarry:AuthMethod': 'share-link' });
    });
    return row;
  };

  const runnable = async (
    c: Context<ApiEnv>,
    withInputs = true,
  ): Promise<{ row: AppRecord; inputs: Record<string, string>; reuse?: Record<string, string>; release: () => void }> => {
    const row = await open(c);
    await deps.checkSharer(c.get('principal'));
    // From here the request is the link's: the audit trail records the run under the sharer, as made by a share link.
    c.set('principal', { ...c.get('principal'), authMethod: 'share-link' });
    await authorizeRequest(c, 'quarry:RunApp', appArn(region, row.accountId, row.id));
    let inputs: Record<string, string> = {};
    let reuse: Record<string, string> | undefined;
    if (withInputs) {
      const req = validate(runAppSchema, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'RunApp request');
      inputs = await apps.withDocuments(row, req.inputs, req.documents, c.get('clientAbort').signal);
      reuse = req.reuse;
    }
    const key = `${row.accountId}/${row.id}`;
    const now = running.get(key) ?? 0;
    if (now >= limit) throw new QuarryError('ThrottlingException', `This shared app already has ${limit} runs in progress; try again when one finishes.`);
    running.set(key, now + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const n = (running.get(key) ?? 1) - 1;
      if (n <= 0) running.delete(key);
      else running.set(key, n);
    };
    return { row, inputs, ...(reuse ? { reuse } : {}), release };
  };

  app.post('/quarry/shared-apps/:token/chat/:widget', async (c) => {
    const { row, release } = await runnable(c, false);
    try {
      const w = apps.chatbot(row, c.req.param('widget'));
      if (w.knowledgeBaseId) await authorizeRequest(c, 'bedrock:Retrieve', knowledgeBaseArn(region, row.accountId, w.knowledgeBaseId));
      const turn = validate(chatTurnSchema, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'AppChat request');
      return c.json(await apps.chat(invocationContext(c, 'quarry.apps.shared-chat'), row, w, turn));
    } finally {
      release();
    }
  });

  app.get('/quarry/shared-apps/:token', async (c) => {
    const row = await open(c);
    // The definition without its guardrail (an id in the owner's account) or who shared it.
    return c.json({ app: { name: row.name, description: row.description, widgets: row.widgets, updatedAt: row.updatedAt } });
  });

  app.post('/quarry/shared-apps/:token/run', async (c) => {
    const { row, inputs, reuse, release } = await runnable(c);
    try {
      return c.json({ run: await apps.run(invocationContext(c, 'quarry.apps.shared-run'), row, inputs, false, reuse) });
    } finally {
      release();
    }
  });

  app.post('/quarry/shared-apps/:token/run-stream', async (c) => {
    const { row, inputs, reuse, release } = await runnable(c);
    let events: AsyncGenerator<string>;
    try {
      events = sseEvents(apps.events(invocationContext(c, 'quarry.apps.shared-run-stream'), row, inputs, true, false, reuse));
    } catch (e) {
      release();
      throw e;
    }
    return streamResponse(c, released(events, release), SSE_HEADERS);
  });

  return app;
}

/** Frees the run's slot when the stream ends, however it ends (finished, failed, or the client went away). */
async function* released<T>(events: AsyncGenerator<T>, release: () => void): AsyncGenerator<T> {
  try {
    yield* events;
  } finally {
    release();
  }
}
