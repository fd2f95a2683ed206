import { type Context, Hono } from 'hono';
import type { Action } from '../../iam/index.js';
import type { ApiEnv } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { validate } from '../shared/parse-body.js';
import { adminBody, type IamAdminDeps, refuseAdminTarget } from './admin-request.js';
import { createKeyBody, expiryOf, listKeysQuery, rotateKeyBody, updateKeyBody } from './admin-schemas.js';
import { userArn } from './iam-arns.js';

/**
 * API keys. Listing and creating name the user (`/users/:userName/keys`); the other calls name the key alone and are
 * authorized on the user who owns it, as IAM authorizes access-key calls on the user.
 */
export function keyRoutes(deps: IamAdminDeps): Hono<ApiEnv> {
  const { iam, region } = deps;
  const app = new Hono<ApiEnv>();

  /** The key (404 outside the caller's account), after the caller is allowed `action` on its owner. */
  const ownedKey = async (c: Context<ApiEnv>, action: Action) => {
    const owned = await iam.keys.owned(scopeOf(c), c.req.param('keyId') as string);
    await authorizeRequest(c, action, userArn(region, scopeOf(c), owned.owner.name));
    return owned;
  };

  /**
   * The account's keys, each with its owner (never another account's): what the console's keys page shows an
   * administrator. A list over the whole account names no one user, so, as ListUsers, it is authorized on `*`: a
   * policy granting ListApiKeys on `*` allows it, a self-service one on `user/${aws:username}` does not.
   * `?userName=` narrows to one user and is authorized on that user, as `/users/{userName}/keys` is.
   */
  app.get('/quarry/iam/keys', async (c) => {
    const q = validate(listKeysQuery, c.req.query(), 'ListApiKeys request');
    if (q.userName) {
      await authorizeRequest(c, 'quarry:ListApiKeys', userArn(region, scopeOf(c), q.userName));
      return c.json({ keys: await iam.keys.list(scopeOf(c), q.userName) });
    }
    await authorizeRequest(c, 'quarry:ListApiKeys', '*');
    return c.json({ keys: await iam.keys.listAll(scopeOf(c)) });
  });

  app.get('/quarry/iam/users/:userName/keys', async (c) => {
    const name = c.req.param('userName');
    await authorizeRequest(c, 'quarry:ListApiKeys', userArn(region, scopeOf(c), name));
    return c.json({ keys: await iam.keys.list(scopeOf(c), name) });
  });

  app.post('/quarry/iam/users/:userName/keys', async (c) => {
    const name = c.req.param('userName');
    const body = await adminBody(c, deps, createKeyBody, 'CreateApiKey request', true);
    await authorizeRequest(c, 'quarry:CreateApiKey', userArn(region, scopeOf(c), name));
    refuseAdminTarget(c, await iam.user(scopeOf(c), name), 'quarry:CreateApiKey');
    const key = await iam.keys.create(scopeOf(c), name, { type: body.type, name: body.name, description: body.description, expiresAt: expiryOf(body) });
    return c.json({ key }, 201);
  });

  app.get('/quarry/iam/keys/:keyId', async (c) => {
    const { key, owner } = await ownedKey(c, 'quarry:ListApiKeys');
    return c.json({ key: iam.keys.view(key, owner.name) });
  });

  app.patch('/quarry/iam/keys/:keyId', async (c) => {
    const body = await adminBody(c, deps, updateKeyBody, 'UpdateApiKey request');
    const { owner } = await ownedKey(c, 'quarry:UpdateApiKey');
    refuseAdminTarget(c, owner, 'quarry:UpdateApiKey');
    const key = await iam.keys.update(scopeOf(c), c.req.param('keyId'), { enabled: body.enabled, name: body.name, description: body.description, expiresAt: expiryOf(body) });
    return c.json({ key });
  });

  app.post('/quarry/iam/keys/:keyId/rotate', async (c) => {
    const body = await adminBody(c, deps, rotateKeyBody, 'RotateApiKey request', true);
    const { owner } = await ownedKey(c, 'quarry:RotateApiKey');
    refuseAdminTarget(c, owner, 'quarry:RotateApiKey');
    const r = await iam.keys.rotate(scopeOf(c), c.req.param('keyId'), { graceSeconds: body.graceSeconds, expiresAt: expiryOf(body) });
    return c.json(r, 201);
  });

  app.delete('/quarry/iam/keys/:keyId', async (c) => {
    const { owner } = await ownedKey(c, 'quarry:DeleteApiKey');
    refuseAdminTarget(c, owner, 'quarry:DeleteApiKey');
    await iam.keys.delete(scopeOf(c), c.req.param('keyId'));
    return c.body(null, 204);
  });

  return app;
}
