import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type OidcTestProvider, startOidcTestProvider } from '../support/oidc-test-provider.js';
import { startTestServer, TEST_API_KEY, type TestServer } from '../support/start-test-server.js';

/**
 * Console sign-in through OpenID Connect, end to end against a real provider (node-oidc-provider) on loopback: the
 * browser's redirects are walked by hand with a cookie jar, so every hop (authorization request with PKCE, login,
 * consent, code, token and userinfo calls, session cookie) is the real one.
 */

const CLIENT_ID = 'quarry-console';
const CLIENT_SECRET = 'oidc-test-client-secret-0123456789';

let idp: OidcTestProvider;
let server: TestServer;

before(async () => {
  idp = await startOidcTestProvider({
    ada: { email: 'ada@example.com', name: 'Ada Lovelace', groups: ['quarry-staff', 'engineering'] },
    eve: { email: 'eve@example.com', name: 'Eve', groups: ['marketing'] },
  });
  server = await startTestServer(
    [
      'oidc:',
      `  issuer: ${idp.issuer}`,
      `  clientId: ${CLIENT_ID}`,
      `  clientSecret: ${CLIENT_SECRET}`,
      '  name: Test IdP',
      '  scopes: [openid, email, profile, groups]',
      '  claimMappings:',
      '    - claim: groups',
      '      value: quarry-staff',
      '      roles: [staff]',
      '    - claim: groups',
      '      value: quarry-admins',
      '      admin: true',
      '',
    ].join('\n'),
  );
  idp.serve({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: `${server.url}/quarry/auth/oidc/callback` });
  // What the `staff` mapping grants must exist in the account: listing users, nothing more.
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'quarry:ListUsers', Resource: '*' }] });
  assert.equal((await admin('POST', '/quarry/iam/policies', { policyName: 'list-users', policyDocument: document })).status, 201);
  assert.equal((await admin('POST', '/quarry/iam/roles', { roleName: 'staff' })).status, 201);
  assert.equal((await admin('PUT', '/quarry/iam/roles/staff/policies/list-users')).status, 204);
});

after(async () => {
  await server?.stop();
  await idp?.stop();
});

/** A browser's cookies for 127.0.0.1 (shared across ports, as browsers do), sent by path prefix. */
class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  header(url: URL): string {
    return [...this.cookies].filter(([, c]) => url.pathname.startsWith(c.path)).map(([name, c]) => `${name}=${c.value}`).join('; ');
  }

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (k: string) => attrs.find((a) => a.toLowerCase().startsWith(`${k}=`))?.slice(k.length + 1);
      const expires = attr('expires');
      const gone = attr('max-age') === '0' || (expires !== undefined && Date.parse(expires) <= Date.now()) || value === '';
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, { value, path: attr('path') ?? '/' });
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }
}

/** One request as the browser makes it: the jar's cookies go along, what comes back goes in, redirects are not followed. */
async function visit(jar: CookieJar, url: string | URL, init: RequestInit = {}): Promise<Response> {
  const u = new URL(url);
  const cookie = jar.header(u);
  const res = await fetch(u, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
  jar.take(res);
  return res;
}

function location(res: Response, from: string | URL): URL {
  assert.ok(res.status >= 300 && res.status < 400, `expected a redirect, got ${res.status}`);
  const to = res.headers.get('location');
  assert.ok(to, 'a redirect names where to');
  return new URL(to, from);
}

/**
 * Clicks "Sign in with Test IdP" and follows the browser through the provider until it is sent back to Quarry's
 * callback; returns that callback URL without visiting it.
 */
async function toCallback(jar: CookieJar, account: string): Promise<URL> {
  idp.signInAs(account);
  let url = new URL('/quarry/auth/oidc/sign-in?returnTo=/console/models', server.url);
  let res = await visit(jar, url);
  let next = location(res, url);
  assert.equal(next.origin, idp.issuer, 'the sign-in route sends the browser to the provider');
  assert.equal(next.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(next.searchParams.get('client_id'), CLIENT_ID);
  for (let hops = 0; hops < 10; hops++) {
    url = next;
    if (url.origin === server.url) return url;
    res = await visit(jar, url);
    next = location(res, url);
  }
  assert.fail('the provider never sent the browser back');
}

async function signIn(jar: CookieJar, account: string): Promise<Response> {
  const callback = await toCallback(jar, account);
  assert.equal(callback.pathname, '/quarry/auth/oidc/callback');
  return visit(jar, callback);
}

const json = async (res: Response) => (await res.json()) as Record<string, unknown>;

test('a user signs in at the provider, is provisioned with the mapped role, and the session cookie works on the console API', async () => {
  const jar = new CookieJar();
  const res = await signIn(jar, 'ada');
  const home = location(res, server.url);
  assert.equal(home.pathname + home.search, '/console/models', 'back where the sign-in started, no error');
  const cookie = jar.get('quarry_session');
  assert.ok(cookie, 'a session cookie was set');
  assert.match(res.headers.getSetCookie().find((c) => c.startsWith('quarry_session=')) ?? '', /HttpOnly/i);

  const session = await json(await visit(jar, `${server.url}/quarry/auth/session`));
  assert.deepEqual(session.signInMethods, { apiKey: true, oidc: { name: 'Test IdP', signInUrl: '/quarry/auth/oidc/sign-in' } });
  assert.equal((session.session as { userName: string; method: string }).userName, 'ada@example.com');
  assert.equal((session.session as { method: string }).method, 'oidc');

  const me = await visit(jar, `${server.url}/quarry/iam/whoami`);
  assert.equal(me.status, 200);
  const meBody = (await json(me)) as { user: { userName: string; isAdmin?: boolean }; authMethod: string };
  assert.equal(meBody.user.userName, 'ada@example.com');

  // The staff role's policy allows listing users; creating one is allowed by nothing.
  assert.equal((await visit(jar, `${server.url}/quarry/iam/users`)).status, 200);
  const create = await visit(jar, `${server.url}/quarry/iam/users`, {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ userName: 'mallory' }),
  });
  assert.equal(create.status, 403);

  const details = await fetch(`${server.url}/quarry/iam/users/ada@example.com`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
  assert.equal(details.status, 200);
  const d = (await details.json()) as { user: { isAdmin: boolean }; roles: string[]; policies: string[] };
  assert.deepEqual(d.roles, ['staff']);
  assert.deepEqual(d.policies, []);
  assert.equal(d.user.isAdmin, false, 'no quarry-admins group, no administrator');
});

test('signing in again finds the same user rather than making another', async () => {
  const jar = new CookieJar();
  const res = await signIn(jar, 'ada');
  assert.equal(location(res, server.url).search, '');
  const users = await fetch(`${server.url}/quarry/iam/users`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
  const names = ((await users.json()) as { users: { userName: string }[] }).users.map((u) => u.userName);
  assert.equal(names.filter((n) => n === 'ada@example.com').length, 1);
});

test('a user whose claims match no mapping is refused and gets no session', async () => {
  const jar = new CookieJar();
  const res = await signIn(jar, 'eve');
  const home = location(res, server.url);
  assert.equal(home.searchParams.get('sign_in_error'), 'not_allowed');
  assert.equal(jar.get('quarry_session'), undefined);
  const users = await fetch(`${server.url}/quarry/iam/users`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } });
  assert.ok(!JSON.stringify(await users.json()).includes('eve@example.com'), 'no user was made');
});

test('a tampered, missing or replayed state is refused, and so is a callback in a browser that did not start the sign-in', async () => {
  const refused = async (jar: CookieJar, url: URL) => {
    const res = await visit(jar, url);
    assert.equal(location(res, url).searchParams.get('sign_in_error'), 'state_mismatch', url.search);
    assert.equal(jar.get('quarry_session'), undefined);
  };

  // Another browser (no binding cookie) presented with a genuine callback: the login-CSRF case.
  const victim = new CookieJar();
  const genuine = await toCallback(new CookieJar(), 'ada');
  await refused(victim, genuine);

  const jar = new CookieJar();
  const callback = await toCallback(jar, 'ada');
  const binding = jar.get('quarry_oidc');
  assert.ok(binding);
  const tampered = new URL(callback);
  tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);
  await refused(jar, tampered);
  const missing = new URL(callback);
  missing.searchParams.delete('state');
  // Each refusal clears the binding cookie, as the browser would; put it back to test the state alone.
  const again = async (url: URL) => {
    const j = new CookieJar();
    j.take(new Response(null, { headers: { 'set-cookie': `quarry_oidc=${binding}; Path=/quarry/auth/oidc` } }));
    await refused(j, url);
  };
  await again(missing);

  // The genuine response still works once, then never again.
  const ok = new CookieJar();
  ok.take(new Response(null, { headers: { 'set-cookie': `quarry_oidc=${binding}; Path=/quarry/auth/oidc` } }));
  const first = await visit(ok, callback);
  assert.equal(location(first, callback).searchParams.get('sign_in_error'), null);
  assert.ok(ok.get('quarry_session'));
  await again(callback);
});

test('sign-out ends the session: the cookie no longer works, even if kept', async () => {
  const jar = new CookieJar();
  await signIn(jar, 'ada');
  const token = jar.get('quarry_session');
  assert.ok(token);
  assert.equal((await visit(jar, `${server.url}/quarry/iam/whoami`)).status, 200);

  const out = await visit(jar, `${server.url}/quarry/auth/sign-out`, { method: 'POST', headers: { origin: server.url } });
  assert.equal(out.status, 204);
  assert.equal(jar.get('quarry_session'), undefined, 'the cookie is cleared');

  // A copy of the cookie taken before sign-out is worthless: the session was revoked server-side.
  const stale = await fetch(`${server.url}/quarry/iam/whoami`, { headers: { cookie: `quarry_session=${token}` } });
  assert.equal(stale.status, 403);
  assert.equal(stale.headers.get('x-amzn-errortype')?.split(':')[0], 'UnrecognizedClientException');
  const session = await json(await fetch(`${server.url}/quarry/auth/session`, { headers: { cookie: `quarry_session=${token}` } }));
  assert.equal(session.session, null);
});
