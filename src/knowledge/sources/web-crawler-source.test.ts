import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { QuarryError } from '../../core/index.js';
import { HostRateLimiter } from './host-rate-limiter.js';
import type { SourceEntry } from './source-item.js';
import { WebCrawlerSource, type WebCrawlerSourceOptions } from './web-crawler-source.js';

const html = (body: string, head = '') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
const links = (...hrefs: string[]) => hrefs.map((h) => `<a href="${h}">${h}</a>`).join('\n');

interface Site {
  server: Server;
  port: number;
  hits: Map<string, number>;
  origin: string;
}

async function serve(route: (path: string, req: IncomingMessage, res: ServerResponse, site: Site) => void): Promise<Site> {
  const site = { hits: new Map<string, number>() } as Site;
  site.server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    site.hits.set(path, (site.hits.get(path) ?? 0) + 1);
    route(path, req, res, site);
  });
  await new Promise<void>((r) => site.server.listen(0, '127.0.0.1', r));
  site.port = (site.server.address() as AddressInfo).port;
  site.origin = `http://127.0.0.1:${site.port}`;
  return site;
}

async function close(site: Site) {
  site.server.closeAllConnections();
  await new Promise((r) => site.server.close(r));
}

async function crawl(options: WebCrawlerSourceOptions): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  for await (const e of new WebCrawlerSource(options).list()) out.push(e);
  return out;
}

const fast = () => new HostRateLimiter(6_000_000);
const pathOf = (e: SourceEntry) => new URL(e.uri).pathname;
const reasons = (entries: SourceEntry[]) => Object.fromEntries(entries.filter((e) => !e.ok).map((e) => [pathOf(e), (e as { reason: string }).reason]));

describe('WebCrawlerSource on a little site', () => {
  let site: Site;

  before(async () => {
    site = await serve((path, _req, res, s) => {
      const page = (body: string, head = '', headers: Record<string, string> = {}) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
        res.end(html(body, head));
      };
      switch (path) {
        case '/robots.txt':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('User-agent: *\nDisallow: /private/\n\nUser-agent: QuarryBot\nDisallow: /private/\nDisallow: /bots-keep-out.html\n');
          return;
        case '/':
          return page(
            links(
              'a.html',
              '/b.html',
              'b.html#section',
              '/private/secret.html',
              '/bots-keep-out.html',
              '/file.bin',
              '/missing.html',
              '/error.html',
              '/old',
              '/big.html',
              '/noindex.html',
              '/nofollow.html',
              '/tagged.html',
              `http://localhost:${s.port}/elsewhere.html`,
              'http://169.254.169.254/latest/meta-data/',
              'mailto:someone@example.com',
              'javascript:void(0)',
              '/docs/',
            ),
            '<title>Home</title>',
          );
        case '/a.html':
          return page(links('/', 'b.html'));
        case '/b.html':
          return page(links('a.html', 'deep/1.html'));
        case '/deep/1.html':
          return page(links('2.html'));
        case '/deep/2.html':
          return page(links('3.html'));
        case '/deep/3.html':
          return page('the bottom');
        case '/old':
          res.writeHead(301, { location: '/c.html' }).end();
          return;
        case '/c.html':
          res.writeHead(200, { 'content-type': 'text/plain' }).end('plain text page');
          return;
        case '/noindex.html':
          return page(links('/from-noindex.html'), '<meta name="ROBOTS" content="noindex">');
        case '/from-noindex.html':
          return page('found through a noindex page');
        case '/nofollow.html':
          return page(links('/never.html'), '<meta name="robots" content="nofollow">');
        case '/tagged.html':
          return page('tagged', '', { 'x-robots-tag': 'noindex' });
        case '/file.bin':
          res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.alloc(64));
          return;
        case '/error.html':
          res.writeHead(500).end('boom');
          return;
        case '/big.html':
          return page('x'.repeat(200_000));
        case '/docs/':
          return page(links('guide.html', '../a.html'));
        case '/docs/guide.html':
          return page(links('./', `/${'a'.repeat(1900)}`));
        default:
          res.writeHead(404, { 'content-type': 'text/html' }).end('not here');
      }
    });
  });

  after(() => close(site));

  test('follows links in scope, once each, and reports what it cannot offer', async () => {
    site.hits.clear();
    const entries = await crawl({ seedUrls: [`${site.origin}/`], allowHosts: ['127.0.0.1'], rateLimiter: fast(), maxPageBytes: 50_000 });
    const offered = entries.filter((e) => e.ok).map(pathOf);
    assert.equal(offered[0], '/');
    assert.deepEqual(
      [...offered].sort(),
      ['/', '/a.html', '/b.html', '/c.html', '/deep/1.html', '/deep/2.html', '/deep/3.html', '/docs/', '/docs/guide.html', '/from-noindex.html', '/nofollow.html'],
    );
    const why = reasons(entries);
    assert.match(why['/private/secret.html']!, /disallowed by robots\.txt/);
    assert.match(why['/bots-keep-out.html']!, /disallowed by robots\.txt/);
    assert.match(why['/file.bin']!, /application\/octet-stream is not offered/);
    assert.match(why['/missing.html']!, /HTTP 404/);
    assert.match(why['/error.html']!, /HTTP 500/);
    assert.match(why['/big.html']!, /50000-byte limit/);
    assert.match(why[`/${'a'.repeat(1900)}`]!, /HTTP 404/);
    assert.equal(Object.keys(why).length, 7);

    // Each page fetched once, robots.txt once; disallowed, nofollowed and out-of-scope pages never.
    for (const [path, n] of site.hits) assert.equal(n, 1, path);
    for (const never of ['/private/secret.html', '/bots-keep-out.html', '/never.html', '/elsewhere.html']) assert.ok(!site.hits.has(never), never);

    const home = entries.find((e) => e.ok && pathOf(e) === '/');
    assert.ok(home?.ok);
    assert.equal(home.contentType, 'text/html; charset=utf-8');
    assert.match(new TextDecoder().decode(await home.read()), /<title>Home<\/title>/);
    assert.equal(home.name, '/');
  });

  test('the SSRF guard applies: a loopback site is refused unless allowed', async () => {
    site.hits.clear();
    const entries = await crawl({ seedUrls: [`${site.origin}/`], rateLimiter: fast() });
    assert.equal(entries.length, 1);
    assert.ok(!entries[0]!.ok);
    assert.match((entries[0] as { reason: string }).reason, /127\.0\.0\.1 is a loopback address/);
    assert.equal(site.hits.size, 0);
  });

  test('filters: excluded URLs are not fetched; a seed the inclusion filter rejects is crawled but not offered', async () => {
    site.hits.clear();
    const entries = await crawl({
      seedUrls: [`${site.origin}/`],
      allowHosts: ['127.0.0.1'],
      rateLimiter: fast(),
      crawler: { inclusionFilters: ['\\.html$'], exclusionFilters: ['/deep/', 'error', 'big'] },
    });
    const offered = entries.filter((e) => e.ok).map(pathOf);
    assert.ok(!offered.includes('/'));
    assert.ok(offered.includes('/a.html') && offered.includes('/b.html'));
    for (const path of site.hits.keys()) assert.ok(!/deep|error|big|\/old|\/docs\/$/.test(path), path);
    assert.ok(site.hits.has('/'));
  });

  test('maxPages stops the crawl with a failure that says so; maxDepth stops following', async () => {
    site.hits.clear();
    const limited = await crawl({ seedUrls: [`${site.origin}/`], allowHosts: ['127.0.0.1'], rateLimiter: fast(), crawler: { crawlerLimits: { maxPages: 3 } } });
    assert.equal([...site.hits.keys()].filter((p) => p !== '/robots.txt').length, 3);
    const last = limited.at(-1)!;
    assert.ok(!last.ok);
    assert.match((last as { reason: string }).reason, /maxPages limit \(3\)/);

    const shallow = await crawl({ seedUrls: [`${site.origin}/`], allowHosts: ['127.0.0.1'], rateLimiter: fast(), maxDepth: 1 });
    const paths = shallow.map(pathOf);
    assert.ok(paths.includes('/b.html'));
    assert.ok(!paths.some((p) => p.startsWith('/deep/')));
  });

  test('default scope keeps to the seed folder', async () => {
    const entries = await crawl({ seedUrls: [`${site.origin}/docs/guide.html`], allowHosts: ['127.0.0.1'], rateLimiter: fast() });
    assert.deepEqual(entries.map((e) => [pathOf(e), e.ok]), [
      ['/docs/guide.html', true],
      ['/docs/', true],
    ]);
  });

  test('hostile filters on hostile URLs do not hang the crawl', async () => {
    const t0 = performance.now();
    const entries = await crawl({
      seedUrls: [`${site.origin}/docs/guide.html`],
      allowHosts: ['127.0.0.1'],
      rateLimiter: fast(),
      crawler: { scope: 'HOST_ONLY', exclusionFilters: ['(a+)+$', '.*a.*a.*a.*b', '/deep/', '/private/', 'keep-out'] },
    });
    assert.ok(performance.now() - t0 < 5000);
    assert.ok(entries.some((e) => e.ok && pathOf(e) === '/a.html'));
    assert.ok(!entries.some((e) => pathOf(e).startsWith('/aaaa')));
  });

  test('bad configuration and bad seeds', async () => {
    assert.throws(
      () => new WebCrawlerSource({ seedUrls: ['http://example.com/'], crawler: { crawlerLimits: { rateLimit: 1000 }, inclusionFilters: ['(?<=a)b'] } }),
      (e: unknown) => QuarryError.isInstance(e) && e.code === 'ValidationException' && /rateLimit/.test(e.message) && /lookarounds/.test(e.message),
    );
    const entries = await crawl({ seedUrls: ['ftp://example.com/', 'not a url'], rateLimiter: fast() });
    assert.deepEqual(
      entries.map((e) => [e.uri, e.ok]),
      [
        ['ftp://example.com/', false],
        ['not a url', false],
      ],
    );
  });
});

describe('WebCrawlerSource and robots.txt failures, rate limits', () => {
  let site: Site;
  let robotsStatus = 503;

  before(async () => {
    site = await serve((path, _req, res) => {
      if (path === '/robots.txt') {
        res.writeHead(robotsStatus, { 'content-type': 'text/plain' }).end(robotsStatus === 200 ? 'User-agent: *\nCrawl-delay: 0.3\n' : '');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end(html(links('/p1', '/p2')));
    });
  });

  after(() => close(site));

  test('an unreachable robots.txt (5xx) keeps the crawler off the site; a missing one (4xx) allows all', async () => {
    robotsStatus = 503;
    site.hits.clear();
    let entries = await crawl({ seedUrls: [`${site.origin}/`], allowHosts: ['127.0.0.1'], rateLimiter: fast() });
    assert.equal(entries.length, 1);
    assert.match((entries[0] as { reason: string }).reason, /robots\.txt answered HTTP 503/);
    assert.deepEqual([...site.hits.keys()], ['/robots.txt']);

    robotsStatus = 404;
    entries = await crawl({ seedUrls: [`${site.origin}/`], allowHosts: ['127.0.0.1'], rateLimiter: fast() });
    assert.deepEqual(entries.map((e) => [pathOf(e), e.ok]), [
      ['/', true],
      ['/p1', true],
      ['/p2', true],
    ]);
  });

  test('pages are spaced by the rate limit, or by a longer Crawl-delay', async () => {
    robotsStatus = 404;
    let t0 = performance.now();
    await crawl({ seedUrls: [`${site.origin}/`], allowHosts: ['127.0.0.1'], crawler: { crawlerLimits: { rateLimit: 300 } } });
    let ms = performance.now() - t0;
    assert.ok(ms >= 390 && ms < 3000, `3 pages at 300/min took ${ms.toFixed(0)} ms`);

    robotsStatus = 200;
    t0 = performance.now();
    await crawl({ seedUrls: [`${site.origin}/`], allowHosts: ['127.0.0.1'], crawler: { crawlerLimits: { rateLimit: 300 } } });
    ms = performance.now() - t0;
    assert.ok(ms >= 590 && ms < 3000, `3 pages with a 0.3 s crawl delay took ${ms.toFixed(0)} ms`);
  });
});
