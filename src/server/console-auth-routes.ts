import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ApiEnv } from '../api/shared/api-env.js';
import type { AuditLog, AuditPrincipal } from '../audit/index.js';
import type { ConsoleSessions, OidcSignIn } from '../iam/index.js';
import { SignInError } from '../iam/index.js';

/** The console session cookie. HttpOnly: the console's scripts never see it, so a script injected into it cannot steal it. */
export const SESSION_COOKIE = 'quarry_session';
/** Binds an authorization request to the browser that started it (see OidcSignIn). */
const BINDING_COOKIE = 'quarry_oidc';
const CALLBACK_PATH = '/quarry/auth/oidc/callback';
const SIGN_IN_PATH = '/quarry/auth/oidc/sign-in';
const CONSOLE_HOME = '/console/';

export interface ConsoleAuthDeps {
  sessions: ConsoleSessions;
  /** Absent when no `oidc:` is configured: the console then offers API-key sign-in only. */
  oidc?: OidcSignIn;
  /** Its redirectUri, when configured; otherwise derived from the address the browser used. */
  redirectUri?: string;
  audit?: AuditLog;
  defaultAccountId: string;
}

type SocketBindings = { incoming?: { socket?: { remoteAddress?: string; encrypted?: boolean } } };

const isTls = (c: Context<ApiEnv>, redirectUri?: string) =>
  (c.env as SocketBindings | undefined)?.incoming?.socket?.encrypted === true || new URL(c.req.url).protocol === 'https:' || redirectUri?.startsWith('https://') === true;

// Only paths of the console itself: anything else (another host, `//evil`, `/\evil`) would make this an open redirect.
function safeReturnTo(raw: string | undefined): string {
  if (!raw || !raw.startsWith(CONSOLE_HOME) || raw.includes('\\') || raw.includes('//') || raw.length > 512) return CONSOLE_HOME;
  return raw;
}

/**
 * Console sign-in and sign-out, mounted before authentication (the browser has no credential yet):
 * `GET /quarry/auth/session` says how one may sign in and who is signed in; `GET /quarry/auth/oidc/sign-in` sends the
 * browser to the provider; the provider sends it back to `/quarry/auth/oidc/callback`, which opens a session;
 * `POST /quarry/auth/sign-out` revokes it. Every sign-in, failed or not, and every sign-out is in the audit trail.
 */
export function consoleAuthRoutes(deps: ConsoleAuthDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  const record = (c: Context<ApiEnv>, e: { eventName: string; accountId: string; principal: AuditPrincipal; ok: boolean; errorCode?: string; errorMessage?: string; status: number; params?: Record<string, unknown> }) => {
    const ip = (c.env as SocketBindings | undefined)?.incoming?.socket?.remoteAddress;
    deps.audit?.record({
      id: randomUUID(),
      time: new Date().toISOString(),
      accountId: e.accountId,
      eventName: e.eventName,
      action: null,
      category: 'management',
      readOnly: false,
      principal: e.principal,
      sourceIp: ip ? (ip.startsWith('::ffff:') ? ip.slice(7) : ip) : null,
      userAgent: c.req.header('user-agent') ?? null,
      resources: [],
      ...(e.params ? { details: () => ({ requestParameters: e.params }) } : {}),
      outcome: e.ok ? 'success' : 'error',
      errorCode: e.ok ? null : (e.errorCode ?? null),
      errorMessage: e.ok ? null : (e.errorMessage ?? null),
      httpStatus: e.status,
      requestId: c.get('requestId'),
      wireApi: 'console',
    });
  };

  app.get('/quarry/auth/session', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    const s = token ? await deps.sessions.lookup(token) : undefined;
    return c.json(
      {
        signInMethods: { apiKey: true, oidc: deps.oidc ? { name: deps.oidc.displayName, signInUrl: SIGN_IN_PATH } : null },
        session: s
          ? { userName: s.principal.name, accountId: s.principal.accountId ?? deps.defaultAccountId, isAdmin: s.principal.isAdmin, method: s.method, expiresAt: s.expiresAt }
          : null,
      },
      200,
      { 'cache-control': 'no-store' },
    );
  });

  app.get(SIGN_IN_PATH, async (c) => {
    if (!deps.oidc) return c.redirect(`${CONSOLE_HOME}?sign_in_error=not_configured`, 302);
    const redirectUri = deps.redirectUri ?? new URL(CALLBACK_PATH, c.req.url).href;
    try {
      const { url, binding } = await deps.oidc.begin(redirectUri, safeReturnTo(c.req.query('returnTo')));
      // Lax, not Strict: the provider's redirect back is a cross-site top-level navigation, and must carry it.
      setCookie(c, BINDING_COOKIE, binding, { path: '/quarry/auth/oidc', httpOnly: true, sameSite: 'Lax', secure: isTls(c, deps.redirectUri), maxAge: 600 });
      return c.redirect(url, 302);
    } catch (e) {
      if (!(e instanceof SignInError)) throw e;
      c.get('log')?.warn({ err: e }, 'OIDC sign-in could not start');
      return c.redirect(`${CONSOLE_HOME}?sign_in_error=${e.failure}`, 302);
    }
  });

  app.get(CALLBACK_PATH, async (c) => {
    if (!deps.oidc) return c.redirect(`${CONSOLE_HOME}?sign_in_error=not_configured`, 302);
    const binding = getCookie(c, BINDING_COOKIE);
    deleteCookie(c, BINDING_COOKIE, { path: '/quarry/auth/oidc', secure: isTls(c, deps.redirectUri) });
    try {
      const done = await deps.oidc.complete(new URL(c.req.url), binding);
      if (done.missing.length) c.get('log')?.warn({ user: done.userName, missing: done.missing }, 'an OIDC claim mapping names roles or policies the account lacks');
      setCookie(c, SESSION_COOKIE, done.session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
        secure: isTls(c, deps.redirectUri),
        expires: done.session.expiresAt,
      });
      record(c, {
        eventName: 'ConsoleSignIn',
        accountId: done.accountId,
        principal: { id: done.principalId, name: done.userName, type: 'User', authMethod: 'oidc', keyId: done.session.sessionId, accessKeyId: null },
        ok: true,
        status: 302,
        params: { provider: deps.oidc.displayName, subject: done.subject, userCreated: done.created },
      });
      return c.redirect(done.returnTo, 302);
    } catch (e) {
      if (!(e instanceof SignInError)) throw e;
      c.get('log')?.warn({ failure: e.failure, message: e.message }, 'OIDC sign-in refused');
      record(c, {
        eventName: 'ConsoleSignIn',
        accountId: deps.defaultAccountId,
        principal: { id: 'anonymous', name: 'anonymous', type: 'User', authMethod: 'oidc', keyId: null, accessKeyId: null },
        ok: false,
        errorCode: e.failure,
        errorMessage: e.message,
        status: 302,
        params: { provider: deps.oidc.displayName, ...(e.subject ? { subject: e.subject } : {}) },
      });
      return c.redirect(`${CONSOLE_HOME}?sign_in_error=${e.failure}`, 302);
    }
  });

  app.post('/quarry/auth/sign-out', async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isTls(c, deps.redirectUri) });
    const s = token ? await deps.sessions.lookup(token) : undefined;
    if (token) await deps.sessions.revoke(token);
    if (s) {
      const p = s.principal;
      record(c, {
        eventName: 'ConsoleSignOut',
        accountId: p.accountId ?? deps.defaultAccountId,
        principal: { id: p.id, name: p.name, type: p.isAdmin ? 'Administrator' : 'User', authMethod: 'session', keyId: p.keyId, accessKeyId: null },
        ok: true,
        status: 204,
      });
    }
    return c.body(null, 204, { 'cache-control': 'no-store' });
  });

  return app;
}
