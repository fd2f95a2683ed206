import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AuditCursor, AuditLog } from '../../audit/index.js';
import { accessDenied, validation } from '../../core/index.js';
import { ACCOUNT_ID } from '../../iam/index.js';
import { type ApiEnv, readBody } from '../shared/api-env.js';
import { authorizeRequest, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';

export interface AuditRoutesDeps {
  audit: AuditLog;
  /** The server's default account: its administrators operate the server and may read every account's trail. */
  defaultAccountId: string;
}

const isoTime = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time such as 2027-01-31T00:00:00Z' }).transform((t) => new Date(t).toISOString());
const accountId = z.string().regex(ACCOUNT_ID, 'expected a 12-digit account id');

const lookupQuery = z.strictObject({
  startTime: isoTime.optional(),
  endTime: isoTime.optional(),
  principal: z.string().min(1).max(256).optional(),
  action: z.string().min(1).max(256).optional(),
  resource: z.string().min(1).max(2048).optional(),
  outcome: z.enum(['success', 'error']).optional(),
  category: z.enum(['management', 'data']).optional(),
  accountId: accountId.optional(),
  maxResults: z.coerce.number().int().min(1).max(1000).default(50),
  nextToken: z.string().min(1).max(1024).optional(),
});

const verifyBody = z.strictObject({
  accountId: accountId.optional(),
  anchors: z
    .array(z.strictObject({ accountId, sequence: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hash in hex') }))
    .max(1000)
    .optional(),
});

const cursorSchema = z.strictObject({ t: z.string().max(64), i: z.string().max(256) });

// Opaque to clients (base64url JSON), so its shape may change.
const encodeCursor = (c: AuditCursor) => Buffer.from(JSON.stringify({ t: c.time, i: c.id }), 'utf8').toString('base64url');

function decodeCursor(token: string): AuditCursor {
  try {
    const c = cursorSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return { time: c.t, id: c.i };
  } catch {
    throw validation('nextToken is not a token this API returned.');
  }
}

/**
 * The audit trail's API: LookupEvents (newest first, filtered, paged) and a chain check. The server's operator (an
 * administrator of the default account) may read any account or all at once; everyone else reads only their own
 * account's events, whatever a policy grants.
 */
export function auditRoutes(deps: AuditRoutesDeps): Hono<ApiEnv> {
  const { audit } = deps;
  const app = new Hono<ApiEnv>();

  /** The account a call may see: its own, or for the operator the one asked for (undefined: all). */
  const visibleAccount = (c: Context<ApiEnv>, asked: string | undefined): string | undefined => {
    const own = scopeOf(c);
    const operator = c.get('principal').isAdmin && own === deps.defaultAccountId;
    if (operator) return asked;
    if (asked !== undefined && asked !== own) throw accessDenied(`Only the server's operator may read the audit trail of account ${asked}.`);
    return own;
  };

  app.get('/quarry/audit/events', async (c) => {
    await authorizeRequest(c, 'quarry:LookupEvents', '*');
    const q = validate(lookupQuery, c.req.query(), 'LookupEvents request');
    if (q.startTime && q.endTime && q.startTime >= q.endTime) throw validation('startTime must be before endTime.');
    const page = await audit.query({
      accountId: visibleAccount(c, q.accountId),
      startTime: q.startTime,
      endTime: q.endTime,
      principal: q.principal,
      action: q.action,
      resourcePrefix: q.resource,
      outcome: q.outcome,
      category: q.category,
      maxResults: q.maxResults,
      after: q.nextToken ? decodeCursor(q.nextToken) : undefined,
    });
    return c.json({ events: page.events, ...(page.next ? { nextToken: encodeCursor(page.next) } : {}) });
  });

  app.post('/quarry/audit/verify', async (c) => {
    await authorizeRequest(c, 'quarry:VerifyAuditLog', '*');
    const raw = await readBody(c, 1024 * 1024);
    const body = validate(verifyBody, raw.length ? parseJsonBody(raw) : {}, 'VerifyAuditLog request');
    const account = visibleAccount(c, body.accountId);
    // Events still queued in this process are part of what the caller expects to be checked.
    await audit.flush();
    const foreign = account === undefined ? undefined : body.anchors?.find((a) => a.accountId !== account);
    if (foreign) throw accessDenied(`Only the server's operator may verify the audit trail of account ${foreign.accountId}.`);
    const report = await audit.verify({ accountId: account, anchors: body.anchors });
    return c.json(report);
  });

  return app;
}
