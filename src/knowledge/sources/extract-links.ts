import { parseHTML } from 'linkedom';

export interface PageLinks {
  /** Absolute hrefs of the page's links, resolved against its `<base href>` when it has one. */
  links: string[];
  /** `<meta name="robots">` said noindex: fetch for links, do not offer as a document. */
  noindex: boolean;
  /** `<meta name="robots">` said nofollow: offer the page, do not follow its links. */
  nofollow: boolean;
}

/** Links of an HTML page (`<a href>` and `<area href>`), and what the page's robots meta tag allows. */
export function extractLinks(html: string, pageUrl: string): PageLinks {
  const { document } = parseHTML(html);
  let noindex = false;
  let nofollow = false;
  for (const meta of document.querySelectorAll('meta[name]')) {
    const name = meta.getAttribute('name')?.toLowerCase();
    if (name !== 'robots') continue;
    const content = (meta.getAttribute('content') ?? '').toLowerCase();
    if (/\b(noindex|none)\b/.test(content)) noindex = true;
    if (/\b(nofollow|none)\b/.test(content)) nofollow = true;
  }
  let base = pageUrl;
  const baseHref = document.querySelector('base[href]')?.getAttribute('href');
  if (baseHref) {
    try {
      base = new URL(baseHref, pageUrl).href;
    } catch {
      // An unparsable <base> is ignored, as browsers do.
    }
  }
  const links: string[] = [];
  if (!nofollow) {
    for (const a of document.querySelectorAll('a[href], area[href]')) {
      const href = a.getAttribute('href');
      if (!href) continue;
      try {
        links.push(new URL(href, base).href);
      } catch {
        // Unparsable hrefs are skipped.
      }
    }
  }
  return { links, noindex, nofollow };
}
