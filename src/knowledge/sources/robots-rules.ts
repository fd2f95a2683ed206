import robotsParserModule from 'robots-parser';
import { BlockedAddressError, type SafeFetch } from '../../net/index.js';

// A CommonJS package whose typings declare an ES default export: at run time the default import is the function.
type RobotsParser = typeof robotsParserModule.default;
const robotsParser: RobotsParser =
  (robotsParserModule as unknown as { default?: RobotsParser }).default ?? (robotsParserModule as unknown as RobotsParser);

/** robots.txt beyond this is ignored past the cap, as Google does at 500 KiB. */
const MAX_ROBOTS_BYTES = 500 * 1024;
/** A Crawl-delay above this is clamped: honouring an hour between pages would stall a sync forever. */
const MAX_CRAWL_DELAY_MS = 60_000;

export interface RobotsVerdict {
  allowed: boolean;
  reason?: string;
  crawlDelayMs?: number;
}

/**
 * robots.txt per origin, fetched once per crawl through the guarded fetch (RFC 9309): a 4xx means no rules, a 5xx or
 * an unreachable file means the whole site is off limits, a blocked address blocks the site with that reason.
 */
export class RobotsRules {
  private readonly byOrigin = new Map<string, Promise<(url: string) => RobotsVerdict>>();

  constructor(
    private readonly fetch: SafeFetch,
    private readonly productToken: string,
    private readonly headers: Record<string, string>,
    private readonly timeoutMs: number,
  ) {}

  async check(url: URL, signal?: AbortSignal): Promise<RobotsVerdict> {
    let rules = this.byOrigin.get(url.origin);
    if (!rules) {
      rules = this.load(url.origin, signal);
      this.byOrigin.set(url.origin, rules);
    }
    return (await rules)(url.href);
  }

  private async load(origin: string, signal?: AbortSignal): Promise<(url: string) => RobotsVerdict> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const res = await this.fetch(robotsUrl, { headers: this.headers, signal, timeoutMs: this.timeoutMs, maxBytes: MAX_ROBOTS_BYTES });
      if (res.status >= 400 && res.status < 500) return () => ({ allowed: true });
      if (!res.ok) {
        const reason = `robots.txt answered HTTP ${res.status}; the site is skipped until it answers (RFC 9309)`;
        return () => ({ allowed: false, reason });
      }
      const robots = robotsParser(robotsUrl, res.text());
      const delay = robots.getCrawlDelay(this.productToken);
      const crawlDelayMs = delay === undefined ? undefined : Math.min(delay * 1000, MAX_CRAWL_DELAY_MS);
      return (u) =>
        robots.isAllowed(u, this.productToken) === false ? { allowed: false, reason: 'disallowed by robots.txt' } : { allowed: true, crawlDelayMs };
    } catch (e) {
      if (signal?.aborted) throw e;
      const reason = BlockedAddressError.is(e) ? e.message : `robots.txt could not be fetched (${(e as Error).message}); the site is skipped (RFC 9309)`;
      return () => ({ allowed: false, reason });
    }
  }
}
