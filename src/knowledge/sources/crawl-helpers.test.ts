import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalUrl } from './canonical-url.js';
import { CrawlScope } from './crawl-scope.js';
import { HostRateLimiter } from './host-rate-limiter.js';
import { backtrackingHazard, compileUrlFilter } from './url-filter.js';
import { webCrawlerConfigurationSchema, webDataSourceConfigurationSchema } from './web-crawler-configuration.js';

test('canonical URLs: fragments, credentials, default ports and non-web schemes', () => {
  assert.equal(canonicalUrl('b.html#part', 'https://Example.COM:443/docs/a.html'), 'https://example.com/docs/b.html');
  assert.equal(canonicalUrl('http://user:pw@example.com:80/x?'), 'http://example.com/x');
  assert.equal(canonicalUrl('../up/./x?q=1#f', 'http://example.com/a/b/c'), 'http://example.com/a/up/x?q=1');
  for (const bad of ['mailto:me@example.com', 'javascript:alert(1)', 'ftp://example.com/', 'data:text/html,hi', 'http://', '']) {
    assert.equal(canonicalUrl(bad, 'http://example.com/'), bad === '' ? 'http://example.com/' : undefined, bad);
  }
  assert.equal(canonicalUrl(`http://example.com/${'a'.repeat(3000)}`), undefined);
});

test('crawl scopes: default folder, host only, subdomains', () => {
  const seed = [new URL('https://www.example.com/docs/intro.html')];
  const def = new CrawlScope(seed, undefined);
  assert.ok(def.includes(new URL('https://www.example.com/docs/guide/x.html')));
  assert.ok(def.includes(new URL('http://www.example.com/docs/')));
  assert.ok(!def.includes(new URL('https://www.example.com/blog/')));
  assert.ok(!def.includes(new URL('https://docs.example.com/docs/x')));
  const host = new CrawlScope(seed, 'HOST_ONLY');
  assert.ok(host.includes(new URL('https://www.example.com/blog/')));
  assert.ok(!host.includes(new URL('https://www.example.com:8443/blog/')));
  assert.ok(!host.includes(new URL('https://docs.example.com/')));
  const sub = new CrawlScope(seed, 'SUBDOMAINS');
  assert.ok(sub.includes(new URL('https://docs.example.com/x')));
  assert.ok(sub.includes(new URL('https://example.com/')));
  assert.ok(sub.includes(new URL('https://a.b.example.com:8080/')));
  assert.ok(!sub.includes(new URL('https://notexample.com/')));
  assert.ok(!sub.includes(new URL('https://example.com.evil.net/')));
});

test('rate limiter spaces requests per host, and widens to a crawl delay', async () => {
  let now = 1000;
  const waits: number[] = [];
  const limiter = new HostRateLimiter(
    120,
    () => now,
    async (ms) => {
      waits.push(ms);
      now += ms;
    },
  );
  await limiter.take('a');
  await limiter.take('a');
  await limiter.take('b');
  await limiter.take('a', 2000);
  await limiter.take('a');
  assert.deepEqual(waits, [500, 500, 2000]);
});

test('URL filters: bounded, valid, linear', () => {
  assert.throws(() => compileUrlFilter(''), /non-empty/);
  assert.throws(() => compileUrlFilter('a'.repeat(1001)), /at most 1000/);
  assert.throws(() => compileUrlFilter('(unclosed'), /not a valid regular expression/);
  assert.throws(() => compileUrlFilter('(?=x)y'), /lookarounds and backreferences/);
  assert.throws(() => compileUrlFilter('(a)\\1'), /lookarounds and backreferences/);
  const url = `https://example.com/${'a'.repeat(2000)}!`;
  const t0 = performance.now();
  for (const p of ['(a+)+$', '(a|aa)*b', '.*a.*a.*a.*b', '(\\w+\\d+)+x']) assert.equal(compileUrlFilter(p).test(url), false, p);
  assert.ok(performance.now() - t0 < 1000, 'catastrophic patterns run in linear time');
  assert.ok(compileUrlFilter('\\.pdf$').test('https://x/a.pdf'));
  assert.ok(compileUrlFilter('.*/docs/.*').test('https://x/docs/a'));
});

test('URL filters without the linear engine: the hazardous shapes are named', () => {
  assert.match(backtrackingHazard('(a+)+$')!, /nested quantifiers/);
  assert.match(backtrackingHazard('(x(ab)*)+')!, /nested quantifiers/);
  assert.match(backtrackingHazard('(a|aa)*b')!, /repeated alternation/);
  assert.match(backtrackingHazard('(a)\\1')!, /backreferences/);
  assert.match(backtrackingHazard('(?<=a)b')!, /lookarounds/);
  assert.match(backtrackingHazard('.*a.*b')!, /at most one unbounded quantifier/);
  for (const ok of ['.*\\.pdf$', 'https://example\\.com/blog/.*', '(pdf|docx)$', '[a-z]{2,5}/v\\d?', '\\(a+\\)', '[(a+)+]']) {
    assert.equal(backtrackingHazard(ok), undefined, ok);
  }
});

test('crawler configuration: Bedrock bounds and filters checked before a crawl starts', () => {
  assert.ok(webCrawlerConfigurationSchema.safeParse({ crawlerLimits: { rateLimit: 300, maxPages: 25000 }, scope: 'HOST_ONLY' }).success);
  const bad = webCrawlerConfigurationSchema.safeParse({
    crawlerLimits: { rateLimit: 301 },
    inclusionFilters: ['(?!x)'],
    scope: 'EVERYTHING',
    userAgent: 'bad\nheader',
  });
  assert.ok(!bad.success);
  const paths = bad.error.issues.map((i) => i.path.join('.'));
  assert.deepEqual(paths.sort(), ['crawlerLimits.rateLimit', 'inclusionFilters.0', 'scope', 'userAgent']);
  assert.match(bad.error.issues.find((i) => i.path[0] === 'inclusionFilters')!.message, /lookarounds/);
  assert.ok(!webCrawlerConfigurationSchema.safeParse({ exclusionFilters: Array(26).fill('x') }).success);
  assert.ok(
    webDataSourceConfigurationSchema.safeParse({ sourceConfiguration: { urlConfiguration: { seedUrls: [{ url: 'https://example.com/' }] } } }).success,
  );
  assert.ok(!webDataSourceConfigurationSchema.safeParse({ sourceConfiguration: { urlConfiguration: { seedUrls: [{ url: 'file:///etc' }] } } }).success);
});
