import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { blockedAddressReason } from './address-policy.js';
import { BlockedAddressError } from './blocked-address-error.js';
import { FetchLimitError } from './fetch-limit-error.js';
import { guardedLookup } from './guarded-lookup.js';
import { HostAllowList } from './host-allow-list.js';
import type { ResolveHost } from './resolve-host.js';
import { createSafeFetch } from './safe-fetch.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

const isBlocked = (e: unknown) => BlockedAddressError.is(e);
const isLimit = (limit: string) => (e: unknown) => FetchLimitError.is(e) && e.limit === limit;

test('address policy: every non-public range is refused, public unicast passes', () => {
  const blocked = [
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '255.255.255.255',
    '240.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::127.0.0.1',
    '64:ff9b::a00:1',
    '[::1]',
    'not-an-ip',
  ];
  for (const a of blocked) assert.ok(blockedAddressReason(a), `${a} should be refused`);
  for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
    assert.equal(blockedAddressReason(a), undefined, `${a} should pass`);
  }
  assert.match(blockedAddressReason('169.254.169.254')!, /link-local.*metadata/);
  assert.match(blockedAddressReason('::ffff:10.0.0.1')!, /private/);
});

test('allow list: host, host:port, IPv6 and numeric notations normalise alike', () => {
  const list = new HostAllowList(['127.0.0.1:8080', 'Intranet.Example.', '[::1]', '0:0:0:0:0:0:0:2']);
  assert.ok(list.allows(new URL('http://127.0.0.1:8080/')));
  assert.ok(list.allows(new URL('http://2130706433:8080/')));
  assert.ok(!list.allows(new URL('http://127.0.0.1:8081/')));
  assert.ok(!list.allows(new URL('http://127.0.0.1/')));
  assert.ok(list.allows(new URL('https://intranet.example/x')));
  assert.ok(list.allows(new URL('http://intranet.example.:9/')));
  assert.ok(list.allows(new URL('http://[::1]:3000/')));
  assert.ok(list.allows(new URL('http://[::2]/')));
  assert.ok(new HostAllowList(['example.com:80']).allows(new URL('http://example.com/')));
  assert.ok(!new HostAllowList(['example.com:80']).allows(new URL('https://example.com/')));
  assert.throws(() => new HostAllowList(['exa mple.com']), /allowHosts/);
});

test('guarded lookup hands the socket exactly the addresses it checked, resolving once', async () => {
  let calls = 0;
  const resolve: ResolveHost = async () => {
    calls++;
    return calls === 1 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
  };
  const lookup = guardedLookup(resolve, true);
  const got = await new Promise<unknown>((ok, ko) =>
    lookup('site.test', { all: true }, (e, addresses) => (e ? ko(e) : ok(addresses))),
  );
  assert.deepEqual(got, [{ address: '93.184.216.34', family: 4 }]);
  assert.equal(calls, 1);
  // The second answer (a rebinding to loopback) is refused on the next connect.
  await assert.rejects(
    new Promise((ok, ko) => lookup('site.test', {}, (e, a) => (e ? ko(e) : ok(a)))),
    (e: unknown) => isBlocked(e) && /site\.test.*127\.0\.0\.1.*loopback/.test((e as Error).message),
  );
});

describe('safeFetch against local servers', () => {
  let site: { server: Server; port: number };
  let other: { server: Server; port: number };
  let lastAuth: string | undefined;
  const hang = new Set<ServerResponse>();

  before(async () => {
    other = await listen((req, res) => {
      lastAuth = req.headers.authorization;
      res.end(`other ${req.url}`);
    });
    site = await listen((req, res) => {
      const u = new URL(req.url!, 'http://x');
      lastAuth = req.headers.authorization;
      switch (u.pathname) {
        case '/hello':
          res.setHeader('content-type', 'text/plain');
          res.end('hello');
          return;
        case '/to-self':
          res.writeHead(302, { location: '/hello' }).end();
          return;
        case '/to-other':
          res.writeHead(301, { location: `http://127.0.0.1:${other.port}/x` }).end();
          return;
        case '/to-named':
          res.writeHead(307, { location: `http://other.test:${other.port}/named` }).end();
          return;
        case '/to-private':
          res.writeHead(302, { location: 'http://10.0.0.1/admin' }).end();
          return;
        case '/to-metadata':
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
          return;
        case '/to-file':
          res.writeHead(302, { location: 'file:///etc/passwd' }).end();
          return;
        case '/loop':
          res.writeHead(302, { location: '/loop' }).end();
          return;
        case '/big':
          res.setHeader('content-length', String(100_000));
          res.end(Buffer.alloc(100_000));
          return;
        case '/big-chunked':
          res.write(Buffer.alloc(40_000));
          res.write(Buffer.alloc(40_000));
          res.end(Buffer.alloc(40_000));
          return;
        case '/slow':
          hang.add(res);
          return;
        case '/echo':
          req.on('data', () => {});
          req.on('end', () => res.end(`${req.method} ${req.headers['content-type'] ?? ''}`));
          return;
        default:
          res.writeHead(404).end('nope');
      }
    });
  });

  after(async () => {
    for (const r of hang) r.destroy();
    site.server.closeAllConnections();
    other.server.closeAllConnections();
    await Promise.all([new Promise((r) => site.server.close(r)), new Promise((r) => other.server.close(r))]);
  });

  test('loopback is refused without allowHosts and fetched with it', async () => {
    const f = createSafeFetch();
    try {
      await assert.rejects(f(`http://127.0.0.1:${site.port}/hello`), (e: unknown) => {
        assert.ok(isBlocked(e));
        assert.match((e as Error).message, /127\.0\.0\.1 is a loopback address.*allowHosts/);
        return true;
      });
      const r = await f(`http://127.0.0.1:${site.port}/hello`, { allowHosts: [`127.0.0.1:${site.port}`] });
      assert.equal(r.status, 200);
      assert.equal(r.text(), 'hello');
      assert.equal(r.headers.get('content-type'), 'text/plain');
      assert.equal(r.redirected, false);
      // Allowing one port does not allow the host's other ports.
      await assert.rejects(f(`http://127.0.0.1:${other.port}/`, { allowHosts: [`127.0.0.1:${site.port}`] }), isBlocked);
    } finally {
      await f.close();
    }
  });

  test('decimal, octal, hex and IPv6 spellings of loopback are refused', async () => {
    const f = createSafeFetch();
    try {
      for (const u of [
        `http://2130706433:${site.port}/hello`,
        `http://0x7f.1:${site.port}/hello`,
        `http://0177.0.0.1:${site.port}/hello`,
        `http://127.1:${site.port}/hello`,
        `http://0.0.0.0:${site.port}/hello`,
        `http://[::1]:${site.port}/hello`,
        `http://[::ffff:127.0.0.1]:${site.port}/hello`,
        'http://169.254.169.254/latest/meta-data/',
      ]) {
        await assert.rejects(f(u), isBlocked, u);
      }
    } finally {
      await f.close();
    }
  });

  test('host names are checked on the addresses they resolve to, and connect to those addresses', async () => {
    const resolve: ResolveHost = async (h) => {
      if (h === 'mixed.test') return [{ address: '8.8.8.8', family: 4 }, { address: '127.0.0.1', family: 4 }];
      if (h.endsWith('.test')) return [{ address: '127.0.0.1', family: 4 }];
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${h}`), { code: 'ENOTFOUND' });
    };
    const f = createSafeFetch({ resolve });
    try {
      await assert.rejects(f(`http://intranet.test:${site.port}/hello`), (e: unknown) => {
        assert.ok(isBlocked(e));
        assert.match((e as Error).message, /intranet\.test.*127\.0\.0\.1/);
        return true;
      });
      await assert.rejects(f(`http://mixed.test:${site.port}/hello`), isBlocked);
      // Allowed: the socket goes to what our resolver said (the system DNS knows no `.test` names).
      const r = await f(`http://intranet.test:${site.port}/hello`, { allowHosts: ['intranet.test'] });
      assert.equal(r.text(), 'hello');
      await assert.rejects(f('http://nowhere.invalid/'), /ENOTFOUND/);
    } finally {
      await f.close();
    }
  });

  test('redirects are followed by hand and each hop is checked again', async () => {
    const resolve: ResolveHost = async () => [{ address: '127.0.0.1', family: 4 }];
    const f = createSafeFetch({ resolve, allowHosts: [`127.0.0.1:${site.port}`] });
    try {
      const r = await f(`http://127.0.0.1:${site.port}/to-self`);
      assert.equal(r.text(), 'hello');
      assert.equal(r.redirected, true);
      assert.equal(r.url, `http://127.0.0.1:${site.port}/hello`);

      for (const path of ['/to-other', '/to-private', '/to-metadata', '/to-named', '/to-file']) {
        await assert.rejects(f(`http://127.0.0.1:${site.port}${path}`), isBlocked, path);
      }
      const manual = await f(`http://127.0.0.1:${site.port}/to-private`, { redirect: 'manual' });
      assert.equal(manual.status, 302);
      assert.equal(manual.headers.get('location'), 'http://10.0.0.1/admin');
      await assert.rejects(f(`http://127.0.0.1:${site.port}/to-self`, { redirect: 'error' }), isLimit('redirects'));
      await assert.rejects(f(`http://127.0.0.1:${site.port}/loop`, { maxRedirects: 3 }), (e: unknown) => {
        assert.ok(isLimit('redirects')(e));
        assert.match((e as Error).message, /more than 3/);
        return true;
      });
    } finally {
      await f.close();
    }
  });

  test('credentials do not follow a redirect to another origin; 303 turns a POST into a GET', async () => {
    const resolve: ResolveHost = async () => [{ address: '127.0.0.1', family: 4 }];
    const f = createSafeFetch({ resolve, allowHosts: [`127.0.0.1:${site.port}`, 'other.test'] });
    try {
      await f(`http://127.0.0.1:${site.port}/hello`, { headers: { authorization: 'Bearer x' } });
      assert.equal(lastAuth, 'Bearer x');
      const r = await f(`http://127.0.0.1:${site.port}/to-named`, { headers: { authorization: 'Bearer x' } });
      assert.equal(r.text(), 'other /named');
      assert.equal(lastAuth, undefined);
      const posted = await f(`http://127.0.0.1:${site.port}/echo`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(posted.text(), 'POST application/json');
    } finally {
      await f.close();
    }
  });

  test('bodies over the cap fail, declared or streamed', async () => {
    const f = createSafeFetch({ allowHosts: ['127.0.0.1'], maxBytes: 50_000 });
    try {
      await assert.rejects(f(`http://127.0.0.1:${site.port}/big`), (e: unknown) => {
        assert.ok(isLimit('bytes')(e));
        assert.match((e as Error).message, /50000-byte limit/);
        return true;
      });
      await assert.rejects(f(`http://127.0.0.1:${site.port}/big-chunked`), isLimit('bytes'));
      const ok = await f(`http://127.0.0.1:${site.port}/big-chunked`, { maxBytes: 200_000 });
      assert.equal(ok.body.byteLength, 120_000);
      const missing = await f(`http://127.0.0.1:${site.port}/missing`);
      assert.equal(missing.status, 404);
      assert.equal(missing.ok, false);
    } finally {
      await f.close();
    }
  });

  test('a server that never answers hits the deadline; a caller abort stays an abort', async () => {
    const f = createSafeFetch({ allowHosts: ['127.0.0.1'] });
    try {
      const t0 = Date.now();
      await assert.rejects(f(`http://127.0.0.1:${site.port}/slow`, { timeoutMs: 200 }), (e: unknown) => {
        assert.ok(isLimit('time')(e));
        assert.match((e as Error).message, /200 ms/);
        return true;
      });
      assert.ok(Date.now() - t0 < 2000);
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(f(`http://127.0.0.1:${site.port}/slow`, { signal: ac.signal }), (e: unknown) => !FetchLimitError.is(e));
    } finally {
      await f.close();
    }
  });

  test('only http and https', async () => {
    const f = createSafeFetch({ allowHosts: ['127.0.0.1', 'example.com'] });
    try {
      for (const u of ['file:///etc/passwd', 'ftp://example.com/x', 'gopher://127.0.0.1:70/', 'data:text/plain,hi']) {
        await assert.rejects(f(u), (e: unknown) => isBlocked(e) && /only http and https/.test((e as Error).message), u);
      }
    } finally {
      await f.close();
    }
  });
});
