import { type Context, Hono } from 'hono';
import type { z } from 'zod';
import type { Action } from '../../iam/index.js';
import { resourceArn } from '../../iam/index.js';
import { createGuardrailSchema, createGuardrailVersionSchema, type GuardrailModule, guardrailIdOf, updateGuardrailSchema } from '../../guardrails/index.js';
import { page } from '../bedrock-agent/pagination.js';
import { type ApiEnv, readBody } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';
import { applyGuardrailSchema, listGuardrailsQuery } from './guardrail-schema.js';

/**
 * Bedrock's guardrail control plane (`@aws-sdk/client-bedrock`: Create/Update/Get/List/DeleteGuardrail,
 * CreateGuardrailVersion) and ApplyGuardrail (`@aws-sdk/client-bedrock-runtime`), on the SDKs' paths and status codes.
 * Every call is confined to the caller's account; a guardrail elsewhere is not found, never forbidden.
 */
export function guardrailRoutes(g: GuardrailModule, region: string, maxBodyBytes: number): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  /** Authorizes on the guardrail's ARN in the caller's account; returns its id. */
  const onGuardrail = async (c: Context<ApiEnv>, action: Action, identifier = c.req.param('id')): Promise<string> => {
    const id = guardrailIdOf(identifier, scopeOf(c));
    await authorizeRequest(c, action, resourceArn({ type: 'guardrail', id, region, accountId: scopeOf(c) }));
    return id;
  };
  const body = async <T extends z.ZodType>(c: Context<ApiEnv>, schema: T, what: string) => validate(schema, parseJsonBody(await readBody(c, maxBodyBytes)), what);
  const optionalBody = async <T extends z.ZodType>(c: Context<ApiEnv>, schema: T, what: string) => {
    const raw = await readBody(c, maxBodyBytes);
    return validate(schema, raw.length ? parseJsonBody(raw) : {}, what);
  };
  const version = (c: Context<ApiEnv>) => c.req.query('guardrailVersion') || undefined;

  app.post('/guardrails', async (c) => {
    await authorizeRequest(c, 'bedrock:CreateGuardrail', '*');
    const input = await body(c, createGuardrailSchema, 'CreateGuardrail request');
    return c.json(await g.service.create(scopeOf(c), input), 202);
  });

  app.get('/guardrails', async (c) => {
    const q = validate(listGuardrailsQuery, c.req.query(), 'ListGuardrails request');
    const scope = scopeOf(c);
    // ListGuardrails names no resource on Bedrock (even when it lists one guardrail's versions).
    await authorizeRequest(c, 'bedrock:ListGuardrails', '*');
    const { items, nextToken } = await page(
      q.maxResults,
      q.nextToken,
      async (limit, after) => (await g.service.list(scope, q.guardrailIdentifier, limit, after)).summaries,
      (s) => (q.guardrailIdentifier ? String(s.version === 'DRAFT' ? 0 : s.version) : s.id),
    );
    return c.json({ guardrails: items, ...(nextToken ? { nextToken } : {}) });
  });

  app.get('/guardrails/:id', async (c) => {
    const id = await onGuardrail(c, 'bedrock:GetGuardrail');
    return c.json(await g.service.get(scopeOf(c), id, version(c)));
  });

  app.put('/guardrails/:id', async (c) => {
    const id = await onGuardrail(c, 'bedrock:UpdateGuardrail');
    const input = await body(c, updateGuardrailSchema, 'UpdateGuardrail request');
    return c.json(await g.service.update(scopeOf(c), id, input), 202);
  });

  app.post('/guardrails/:id', async (c) => {
    const id = await onGuardrail(c, 'bedrock:CreateGuardrailVersion');
    const input = await optionalBody(c, createGuardrailVersionSchema, 'CreateGuardrailVersion request');
    return c.json(await g.service.createVersion(scopeOf(c), id, input.description), 202);
  });

  app.delete('/guardrails/:id', async (c) => {
    const id = await onGuardrail(c, 'bedrock:DeleteGuardrail');
    await g.service.delete(scopeOf(c), id, version(c));
    return c.json({}, 202);
  });

  app.post('/guardrail/:id/version/:version/apply', async (c) => {
    const id = await onGuardrail(c, 'bedrock:ApplyGuardrail');
    const input = await body(c, applyGuardrailSchema, 'ApplyGuardrail request');
    const outcome = await g.engine.apply(scopeOf(c), { guardrailIdentifier: id, guardrailVersion: c.req.param('version') }, input);
    const { usage, action, actionReason, outputs, assessments, guardrailCoverage } = outcome;
    return c.json({ usage, action, actionReason, outputs, assessments, guardrailCoverage });
  });

  return app;
}
