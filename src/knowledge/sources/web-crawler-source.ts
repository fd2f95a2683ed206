import { validation } from '../../core/index.js';
import { createSafeFetch, type SafeFetch, type SafeResponse } from '../../net/index.js';
import { canonicalUrl } from './canonical-url.js';
import { CrawlScope } from './crawl-scope.js';
import { HostRateLimiter } from './host-rate-limiter.js';
import { RobotsRules } from './robots-rules.js';
import type { DataSourceReader, SourceEntry } from './source-item.js';
import { compileUrlFilter } from './url-filter.js';
import { type WebCrawlerConfiguration, webCrawlerConfigurationSchema } from './web-crawler-configuration.js';

/** The product token robots.txt groups are matched against. */
export const CRAWLER_TOKEN = 'QuarryBot';
export const DEFAULT_RATE_LIMIT = 60;
export const DEFAULT_MAX_PAGES = 25_000;
export const DEFAULT_MAX_DEPTH = 10;
export const DEFAULT_MAX_PAGE_BYTES = 10 * 1024 * 1024;
/** Media types offered to the parsers by default: text a knowledge base can read. `type/*` matches a whole type. */
export const TEXT_CONTENT_TYPES = ['text/*', 'application/xhtml+xml', 'application/xml', 'application/json', 'application/ld+json'];

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface WebCrawlerSourceOptions {
  seedUrls: string[];
  /** Bedrock's WebCrawlerConfiguration: limits, filters, scope, user agent. */
  crawler?: WebCrawlerConfiguration;
  /** Links followed from a seed; a seed is depth 0. */
  maxDepth?: number;
  maxPageBytes?: number;
  /** Per page (robots.txt included). */
  timeoutMs?: number;
  /** Media types to offer (`text/*` style wildcards allowed); default TEXT_CONTENT_TYPES. Add 'application/pdf' for PDFs. */
  contentTypes?: string[];
  /** Internal hosts the user allowed past the SSRF guard. */
  allowHosts?: string[];
  /** The guarded fetch to use (tests pass one with a resolver); by default one is made and closed per listing. */
  fetch?: SafeFetch;
  /** Spacing of requests per host (tests pass a fast clock). */
  rateLimiter?: HostRateLimiter;
}

interface Queued {
  url: string;
  depth: number;
}

/**
 * A breadth-first crawl from seed URLs, in Bedrock's terms (scope, inclusion/exclusion filters, pages per minute
 * per host, max pages). Every request goes through the SSRF-guarded fetch; robots.txt is honoured, along with
 * `<meta name="robots">` and X-Robots-Tag noindex/nofollow. Redirects are handled here, not by the fetch, so a
 * redirect target passes the same scope, filter, robots and dedupe checks as a link. Pages that cannot be offered
 * (blocked address, robots, HTTP error, too large, not text) are failures with reasons; links out of scope or
 * filtered are skipped silently, since a crawl meets thousands of them.
 *
 * Filters decide which URLs are fetched and offered, seeds excepted: a seed is always fetched for its links (the
 * user named it), and offered only if the filters pass it, so `inclusionFilters: ['\\.pdf$']` crawls a site's PDFs.
 * Bedrock fails a sync whose pages exceed maxPages; here the crawl stops at the limit with one failure saying so.
 */
export class WebCrawlerSource implements DataSourceReader {
  private readonly seeds: string[] = [];
  private readonly invalidSeeds: string[] = [];
  private readonly config: WebCrawlerConfiguration;
  private readonly scope: CrawlScope;
  private readonly include: RegExp[];
  private readonly exclude: RegExp[];
  private readonly contentTypes: string[];

  constructor(private readonly options: WebCrawlerSourceOptions) {
    const parsed = webCrawlerConfigurationSchema.safeParse(options.crawler ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
      throw validation(`Invalid crawlerConfiguration: ${problems.join('; ')}`, parsed.error);
    }
    this.config = parsed.data;
    for (const s of new Set(options.seedUrls)) {
      const c = canonicalUrl(s);
      if (!c) this.invalidSeeds.push(s);
      else if (!this.seeds.includes(c)) this.seeds.push(c);
    }
    this.scope = new CrawlScope(
      this.seeds.map((s) => new URL(s)),
      this.config.scope,
    );
    this.include = (this.config.inclusionFilters ?? []).map(compileUrlFilter);
    this.exclude = (this.config.exclusionFilters ?? []).map(compileUrlFilter);
    this.contentTypes = (options.contentTypes ?? TEXT_CONTENT_TYPES).map((t) => t.toLowerCase());
  }

  async *list(signal?: AbortSignal): AsyncIterable<SourceEntry> {
    for (const s of this.invalidSeeds) yield { ok: false, uri: s, reason: 'not an http:// or https:// URL' };
    const fetch = this.options.fetch ?? createSafeFetch({ allowHosts: this.options.allowHosts });
    try {
      yield* this.crawl(fetch, signal);
    } finally {
      if (!this.options.fetch) await fetch.close();
    }
  }

  private async *crawl(fetch: SafeFetch, signal?: AbortSignal): AsyncGenerator<SourceEntry> {
    const maxPages = this.config.crawlerLimits?.maxPages ?? DEFAULT_MAX_PAGES;
    const maxDepth = this.options.maxDepth ?? DEFAULT_MAX_DEPTH;
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const maxBytes = this.options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
    const limiter = this.options.rateLimiter ?? new HostRateLimiter(this.config.crawlerLimits?.rateLimit ?? DEFAULT_RATE_LIMIT);
    const headers = {
      'user-agent': this.config.userAgentHeader ?? `${CRAWLER_TOKEN}/1.0${this.config.userAgent ? ` ${this.config.userAgent}` : ''}`,
      accept: 'text/html,application/xhtml+xml,text/*;q=0.9,*/*;q=0.5',
    };
    const robots = new RobotsRules(fetch, CRAWLER_TOKEN, headers, timeoutMs);
    const seeds = new Set(this.seeds);
    const seen = new Set<string>(this.seeds);
    const queue: Queued[] = this.seeds.map((url) => ({ url, depth: 0 }));
    let head = 0;
    let fetched = 0;
    // Enqueue only what the page budget can still reach (plus one, to report that the limit cut the crawl short), so
    // a page of 100,000 links does not fill memory.
    const enqueue = (url: string, depth: number) => {
      if (seen.has(url) || queue.length - head > maxPages - fetched) return;
      const u = new URL(url);
      if (!this.scope.includes(u) || !this.passesFilters(url)) return;
      seen.add(url);
      queue.push({ url, depth });
    };

    while (head < queue.length) {
      signal?.throwIfAborted();
      const { url, depth } = queue[head++]!;
      if (fetched >= maxPages) {
        yield { ok: false, uri: url, reason: `not crawled: the crawl reached its maxPages limit (${maxPages})` };
        return;
      }
      const u = new URL(url);
      const verdict = await robots.check(u, signal);
      if (!verdict.allowed) {
        yield { ok: false, uri: url, reason: verdict.reason ?? 'disallowed by robots.txt' };
        continue;
      }
      await limiter.take(u.host, verdict.crawlDelayMs, signal);
      fetched++;
      let res: SafeResponse;
      try {
        res = await fetch(url, { headers, signal, timeoutMs, maxBytes, redirect: 'manual' });
      } catch (e) {
        if (signal?.aborted) throw e;
        yield { ok: false, uri: url, reason: (e as Error).message };
        continue;
      }
      if (REDIRECTS.has(res.status)) {
        const target = canonicalUrl(res.headers.get('location') ?? '', url);
        if (target) enqueue(target, depth);
        continue;
      }
      if (!res.ok) {
        yield { ok: false, uri: url, reason: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}` };
        continue;
      }
      const contentType = res.headers.get('content-type') ?? '';
      const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
      if (!this.accepts(mediaType)) {
        yield { ok: false, uri: url, reason: mediaType ? `content type ${mediaType} is not offered (not text)` : 'the response has no content type' };
        continue;
      }
      const robotsTag = (res.headers.get('x-robots-tag') ?? '').toLowerCase();
      let noindex = /\b(noindex|none)\b/.test(robotsTag);
      const nofollow = /\b(nofollow|none)\b/.test(robotsTag);
      if (HTML_TYPES.has(mediaType)) {
        // Imported on first use: linkedom is ~200 modules, which every server start (and test process) loaded for a crawl
        // that most never run.
        const { extractLinks } = await import('./extract-links.js');
        const page = extractLinks(decode(res.body, contentType), url);
        noindex ||= page.noindex;
        if (!nofollow && depth < maxDepth) {
          for (const href of page.links) {
            const link = canonicalUrl(href);
            if (link) enqueue(link, depth + 1);
          }
        }
      }
      if (noindex || (seeds.has(url) && !this.passesFilters(url))) continue;
      const body = res.body;
      yield {
        ok: true,
        uri: url,
        name: u.pathname,
        contentType,
        size: body.byteLength,
        read: async () => body,
      };
    }
  }

  private passesFilters(url: string): boolean {
    if (this.exclude.some((r) => r.test(url))) return false;
    return this.include.length === 0 || this.include.some((r) => r.test(url));
  }

  private accepts(mediaType: string): boolean {
    if (!mediaType) return false;
    const [type] = mediaType.split('/');
    return this.contentTypes.some((t) => t === mediaType || (t.endsWith('/*') && t.slice(0, -2) === type));
  }
}

function decode(bytes: Uint8Array, contentType: string): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}
