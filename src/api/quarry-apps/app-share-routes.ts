import { type Context, Hono } from 'hono';
import { type AppRecord, type AppService, type AppShare, appArn } from '../../apps/index.js';
import { type ApiEnv, readBody } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { appView } from './app-routes.js';

export interface AppShareRoutesDeps {
  apps: AppService;
  region: string;
  maxBodyBytes: number;
}

/** Where the console opens a link: signed out, with nothing but the token. */
export const sharedAppPath = (token: string) => `/console/shared/${token}`;

const shareView = (s: AppShare) => ({
  shareId: s.shareId,
  appId: s.appId,
  sharedBy: s.sharedBy,
  createdAt: s.createdAt,
  ...(s.revokedAt ? { revokedAt: s.revokedAt } : {}),
});

/**
 * Share links and remixes, for signed-in callers: make, list and revoke an app's read-only links
 * (quarry:CreateAppShare, ListAppShares, DeleteAppShare on the app's ARN), and copy an app into the caller's account —
 * one of its own (quarry:GetApp on it) or one opened by a share link (the token is the permission to read it) — which
 * needs quarry:CreateApp. What a link's holder may do signed out is in shared-app-routes.ts.
 */
export function appShareRoutes(deps: AppShareRoutesDeps): Hono<ApiEnv> {
  const { apps, region } = deps;
  const app = new Hono<ApiEnv>();

  const onApp = async (c: Context<ApiEnv>, action: Parameters<typeof authorizeRequest>[1]): Promise<AppRecord> => {
    const row = await apps.get(scopeOf(c), c.req.param('id') ?? '');
    await authorizeRequest(c, action, appArn(region, row.accountId, row.id));
    return row;
  };

  app.post('/quarry/apps/:id/shares', async (c) => {
    const row = await onApp(c, 'quarry:CreateAppShare');
    // The body is optional and has no fields yet; it is still read, so an oversized one is refused like anywhere else.
    await readBody(c, deps.maxBodyBytes);
    const share = await apps.shares.create(scopeOf(c), row.id, c.get('principal'));
    return c.json({ share: { ...shareView(share), token: share.token, path: sharedAppPath(share.token) } }, 201);
  });

  app.get('/quarry/apps/:id/shares', async (c) => {
    const row = await onApp(c, 'quarry:ListAppShares');
    return c.json({ shares: (await apps.shares.list(scopeOf(c), row.id)).map(shareView) });
  });

  app.delete('/quarry/apps/:id/shares/:shareId', async (c) => {
    const row = await onApp(c, 'quarry:DeleteAppShare');
    return c.json({ share: shareView(await apps.shares.revoke(scopeOf(c), row.id, c.req.param('shareId'))) });
  });

  app.post('/quarry/apps/:id/remix', async (c) => {
    const source = await onApp(c, 'quarry:GetApp');
    await authorizeRequest(c, 'quarry:CreateApp', '*');
    return c.json({ app: appView(await apps.remix(scopeOf(c), source), region) }, 201);
  });

  app.post('/quarry/shared-apps/:token/remix', async (c) => {
    await authorizeRequest(c, 'quarry:CreateApp', '*');
    const { share } = await apps.shares.open(c.req.param('token'));
    const source = await apps.get(share.accountId, share.appId);
    return c.json({ app: appView(await apps.remix(scopeOf(c), source), region) }, 201);
  });

  return app;
}
