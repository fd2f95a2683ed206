/** Bedrock's WebScopeType; absent means the default scope (same host, under the seed's path). */
export type WebScope = 'HOST_ONLY' | 'SUBDOMAINS';

/**
 * Which URLs a crawl from these seeds may visit. The scheme never matters (http and https of one host are one site).
 * - default: the seed's host, and paths under the seed's folder (`https://x.com/docs/intro.html` → `/docs/…`);
 * - HOST_ONLY: anything on the seed's host (host and port);
 * - SUBDOMAINS: the seed's domain and every subdomain of it (`www.` is dropped first, so `www.example.com` covers
 *   `docs.example.com`); without a public-suffix list the domain is the seed's host name itself.
 */
export class CrawlScope {
  private readonly rules: Array<(url: URL) => boolean>;

  constructor(seeds: readonly URL[], scope: WebScope | undefined) {
    this.rules = seeds.map((seed) => {
      switch (scope) {
        case undefined: {
          const folder = seed.pathname.slice(0, seed.pathname.lastIndexOf('/') + 1) || '/';
          return (u: URL) => u.host === seed.host && u.pathname.startsWith(folder);
        }
        case 'HOST_ONLY':
          return (u: URL) => u.host === seed.host;
        case 'SUBDOMAINS': {
          const domain = seed.hostname.replace(/^www\./, '');
          return (u: URL) => u.hostname === domain || u.hostname.endsWith(`.${domain}`);
        }
        default: {
          const never: never = scope;
          throw new Error(`Unknown crawl scope ${String(never)}`);
        }
      }
    });
  }

  includes(url: URL): boolean {
    return this.rules.some((rule) => rule(url));
  }
}
