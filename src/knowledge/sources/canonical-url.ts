import { MAX_CRAWL_URL_LENGTH } from './url-filter.js';

/**
 * The form a crawler keys URLs by: resolved against `base`, http(s) only, without fragment, credentials or an empty
 * `?`, with the host lowercased and the default port dropped (the URL parser does those two). Undefined for anything
 * else — mailto:, javascript:, unparsable, or longer than the crawl limit.
 */
export function canonicalUrl(href: string, base?: string | URL): string | undefined {
  let url: URL;
  try {
    url = new URL(href.trim(), base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  url.username = '';
  url.password = '';
  if (url.search === '') url.search = '';
  const out = url.href;
  return out.length > MAX_CRAWL_URL_LENGTH ? undefined : out;
}
