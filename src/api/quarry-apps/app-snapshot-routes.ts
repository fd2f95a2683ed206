import { Hono } from 'hono';
import { z } from 'zod';
import { type AppService, type AppSnapshot, appArn } from '../../apps/index.js';
import { type ApiEnv, readBody } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';

export interface AppSnapshotRoutesDeps {
  apps: AppService;
  region: string;
  maxBodyBytes: number;
}

/** Where the console shows a snapshot: signed out, with nothing but the token. */
export const snapshotPath = (token: string) => `/console/snapshots/${token}`;

const createSnapshotSchema = z.strictObject({
  /** A run of this app the server kept (runDone's run.runId): the client names it, it does not send it. */
  runId: z.string().regex(/^[0-9A-Z]{10}$/, 'a run id as runDone returned it'),
});

const snapshotView = (s: AppSnapshot) => ({
  snapshotId: s.snapshotId,
  appId: s.appId,
  appName: s.appName,
  createdAt: s.createdAt,
  costUsd: s.run.costUsd,
  status: s.run.status,
});

/**
 * Snapshots of an app's runs (quarry:CreateAppSnapshot, ListAppSnapshots, DeleteAppSnapshot on the app's ARN): one
 * run, as the server recorded it, frozen with the app's widgets and readable by link until deleted.
 */
export function appSnapshotRoutes(deps: AppSnapshotRoutesDeps): Hono<ApiEnv> {
  const { apps, region } = deps;
  const app = new Hono<ApiEnv>();
  const onApp = async (c: Parameters<typeof scopeOf>[0], action: Parameters<typeof authorizeRequest>[1]) => {
    const row = await apps.get(scopeOf(c), c.req.param('id') ?? '');
    await authorizeRequest(c, action, appArn(region, row.accountId, row.id));
    return row;
  };

  app.post('/quarry/apps/:id/snapshots', async (c) => {
    const row = await onApp(c, 'quarry:CreateAppSnapshot');
    const { runId } = validate(createSnapshotSchema, parseJsonBody(await readBody(c, deps.maxBodyBytes)), 'CreateAppSnapshot request');
    const made = await apps.snapshots.create(scopeOf(c), row, runId);
    return c.json({ snapshot: { ...snapshotView(made), token: made.token, path: snapshotPath(made.token) } }, 201);
  });

  app.get('/quarry/apps/:id/snapshots', async (c) => {
    const row = await onApp(c, 'quarry:ListAppSnapshots');
    return c.json({ snapshots: (await apps.snapshots.list(scopeOf(c), row.id)).map(snapshotView) });
  });

  app.delete('/quarry/apps/:id/snapshots/:snapshotId', async (c) => {
    const row = await onApp(c, 'quarry:DeleteAppSnapshot');
    await apps.snapshots.delete(scopeOf(c), row.id, c.req.param('snapshotId'));
    return c.body(null, 204);
  });

  return app;
}

/** GET /quarry/app-snapshots/{token}, signed out (mounted before authentication): the frozen run, and nothing else. */
export function sharedSnapshotRoutes(deps: Pick<AppSnapshotRoutesDeps, 'apps'>): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/quarry/app-snapshots/:token', async (c) => {
    const s = await deps.apps.snapshots.open(c.req.param('token'));
    // The run's own runId and appId are the owner's ids; the link shows only what was made.
    const { runId: _runId, appId: _appId, ...run } = s.run;
    return c.json({ snapshot: { appName: s.appName, appDescription: s.appDescription, widgets: s.widgets, run, createdAt: s.createdAt } });
  });
  return app;
}
