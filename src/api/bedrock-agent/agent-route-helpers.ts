import type { Context } from 'hono';
import type { z } from 'zod';
import { QuarryError } from '../../core/index.js';
import { type Action, resourceArn } from '../../iam/index.js';
import { type ApiEnv, readBody } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';
import { page } from './pagination.js';

const ID = /^[0-9A-Z]{10}$/;

/** The SDK's paths end in "/"; hand-written clients often leave it off. Both spellings reach the same handler. */
export const both = (path: string): string[] => [path, path.endsWith('/') ? path.slice(0, -1) : `${path}/`];

/**
 * Authorizes `action` on the agent in the path (its ARN in the caller's account). An id that cannot be an agent id
 * is answered as not found here, never passed on as a string a policy might be tricked by.
 */
export function onAgent(c: Context<ApiEnv>, region: string, action: Action): Promise<void> {
  const id = c.req.param('agentId');
  if (!id || !ID.test(id)) throw new QuarryError('ResourceNotFoundException', `Agent ${String(id).slice(0, 40)} was not found.`);
  return authorizeRequest(c, action, resourceArn({ type: 'agent', id, region, accountId: scopeOf(c) }));
}

/** As onAgent, on the alias in the path (`agent-alias/<agentId>/<aliasId>`, the test alias included). */
export function onAlias(c: Context<ApiEnv>, region: string, action: Action): Promise<void> {
  const { agentId, agentAliasId } = c.req.param() as { agentId?: string; agentAliasId?: string };
  if (!agentId || !ID.test(agentId)) throw new QuarryError('ResourceNotFoundException', `Agent ${String(agentId).slice(0, 40)} was not found.`);
  if (!agentAliasId || !ID.test(agentAliasId)) throw new QuarryError('ResourceNotFoundException', `Alias ${String(agentAliasId).slice(0, 40)} of agent ${agentId} was not found.`);
  return authorizeRequest(c, action, resourceArn({ type: 'agent-alias', id: `${agentId}/${agentAliasId}`, region, accountId: scopeOf(c) }));
}

export const onAny = (c: Context<ApiEnv>, action: Action) => authorizeRequest(c, action, '*');

export function bodyReader(maxBodyBytes: number) {
  return {
    async json<T extends z.ZodType>(c: Context<ApiEnv>, schema: T, what: string): Promise<z.infer<T>> {
      return validate(schema, parseJsonBody(await readBody(c, maxBodyBytes)), what);
    },
    /** List calls may come with no body at all. */
    async optional<T extends z.ZodType>(c: Context<ApiEnv>, schema: T, what: string): Promise<z.infer<T>> {
      const raw = await readBody(c, maxBodyBytes);
      return validate(schema, raw.length ? parseJsonBody(raw) : {}, what);
    },
  };
}

/** Bedrock's `skipResourceInUseCheck` query flag. */
export const skipInUseCheck = (c: Context<ApiEnv>) => c.req.query('skipResourceInUseCheck') === 'true';

/** One page of items that are already in key order (small per-agent collections, or a source that pages itself). */
export function pageOf<T>(items: { key: string; summary: T }[], maxResults: number | undefined, token: string | undefined) {
  return page(
    maxResults,
    token,
    async (limit, after) => items.filter((i) => after === undefined || i.key > after).slice(0, limit),
    (i) => i.key,
  );
}
