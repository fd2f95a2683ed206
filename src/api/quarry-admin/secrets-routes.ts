import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { accessDenied } from '../../core/index.js';
import { keyringStatus, type RotationOptions, rotateKeyring, type SecretKeyring } from '../../secrets/index.js';
import { type ApiEnv, readBody } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';

export interface SecretsRouteDeps {
  keyring: SecretKeyring;
  /** The server's default account: the keyring seals every account's secrets, so only its principals may see or rotate it. */
  operatorAccountId: string;
  /** Passed to every rotation (tests shorten the settle wait). */
  rotation?: RotationOptions;
}

const rotateBody = z.strictObject({
  /** Records re-wrapped per transaction: smaller batches hold write locks for less time. */
  batchSize: z.number().int().min(1).max(10_000).optional(),
});

/**
 * The secrets keyring under /quarry/secrets/keyring: its keys and how many records each seals
 * (quarry:GetSecretsKeyring), and rotation (quarry:RotateSecretsKeyring), which answers when the old key is retired —
 * several seconds, since it waits for every replica to pick up the new key. Errors are Bedrock-shaped.
 */
export function secretsRoutes(deps: SecretsRouteDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/quarry/secrets/keyring', async (c) => {
    await authorizeOperator(c, deps, 'quarry:GetSecretsKeyring');
    return c.json(await keyringStatus(deps.keyring));
  });

  app.post('/quarry/secrets/keyring/rotate', async (c) => {
    const raw = await readBody(c, 4096);
    const b = validate(rotateBody, raw.length === 0 ? {} : parseJsonBody(raw), 'RotateSecretsKeyring request');
    await authorizeOperator(c, deps, 'quarry:RotateSecretsKeyring');
    const report = await rotateKeyring(deps.keyring, { ...deps.rotation, ...(b.batchSize ? { batchSize: b.batchSize } : {}) });
    return c.json(report);
  });

  return app;
}

async function authorizeOperator(c: Context<ApiEnv>, deps: SecretsRouteDeps, action: 'quarry:GetSecretsKeyring' | 'quarry:RotateSecretsKeyring'): Promise<void> {
  await authorizeRequest(c, action, '*');
  if (scopeOf(c) !== deps.operatorAccountId) {
    throw accessDenied('The secrets keyring seals every account on this server; only principals of the default account may see or rotate it.');
  }
}
