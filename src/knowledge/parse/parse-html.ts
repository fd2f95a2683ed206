import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { Metadata } from '../metadata.js';
import { parseContentType } from './content-type.js';
import { decodeText } from './decode-text.js';
import { domShape, MAX_READABILITY_DEPTH_SUM, MAX_READABILITY_ELEMENTS, MAX_TAG_NESTING, tagNestingEstimate } from './html-shape.js';
import { type DomNode, htmlToText } from './html-to-text.js';
import type { ParseContext } from './parse-context.js';
import type { ParsedDocument, ParseInput } from './parsed-document.js';
import { stripTags } from './strip-tags.js';

const MAX_METADATA_LENGTH = 512;

/**
 * The main content of a page, as Readability (Firefox's reader view) finds it, without navigation, footers and
 * scripts. When it finds nothing (a short page, a page of links) the body is read instead, still without scripts and
 * navigation.
 */
export async function parseHtml(input: ParseInput, ctx: ParseContext): Promise<ParsedDocument[]> {
  const html = decodeText(ctx.name, input.bytes, parseContentType(input.contentType)?.charset ?? sniffCharset(input.bytes));
  return [htmlDocument(html, ctx)];
}

/** Shared with other HTML-producing parsers. */
export function htmlDocument(html: string, ctx: ParseContext): ParsedDocument {
  if (tagNestingEstimate(html) > MAX_TAG_NESTING) {
    ctx.warn(`markup nested over ${MAX_TAG_NESTING} deep; reading its text without structure`);
    return { text: stripTags(html), metadata: {} };
  }
  const source = /<html[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`;
  const { document, body } = load(source);
  // Read before Readability, which rewrites the document it is given.
  const pageTitle = clean(document.querySelector('title')?.textContent) ?? clean(document.querySelector('h1')?.textContent);
  const shape = domShape(body);
  let article: ReturnType<Readability<DomNode>['parse']> = null;
  let rewritten = false;
  if (shape.elements > MAX_READABILITY_ELEMENTS || shape.depthSum > MAX_READABILITY_DEPTH_SUM) {
    ctx.warn(`page too large for reader view (${shape.elements} elements); reading the whole page`);
  } else {
    try {
      rewritten = true;
      article = new Readability<DomNode>(document, { serializer: (node) => node as unknown as DomNode }).parse();
    } catch (e) {
      ctx.warn(`reader view failed (${e instanceof Error ? e.message : String(e)}); reading the whole page`);
    }
  }
  let text = article?.content ? htmlToText(article.content) : '';
  if (text === '') text = htmlToText(rewritten ? load(source).body : body);
  const metadata: Metadata = {};
  setText(metadata, 'author', article?.byline);
  setText(metadata, 'language', article?.lang);
  setText(metadata, 'siteName', article?.siteName);
  setText(metadata, 'publishedTime', article?.publishedTime);
  return { text, title: clean(article?.title) ?? pageTitle, metadata };
}

function load(source: string) {
  const { document } = parseHTML(source);
  // Navigation by declaration never belongs to the content, and Readability keeps it on short pages.
  for (const el of document.querySelectorAll('nav, [role="navigation"]')) el.remove();
  return { document, body: (document.body ?? document.documentElement) as DomNode };
}

function clean(s: string | null | undefined): string | undefined {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, MAX_METADATA_LENGTH) : undefined;
}

function setText(metadata: Metadata, key: string, value: string | null | undefined): void {
  const t = clean(value);
  if (t) metadata[key] = t;
}

/** A page served without a charset declares it in a `<meta>` near the top, which is ASCII in every encoding we read. */
function sniffCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  return /<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{1,40})/i.exec(head)?.[1];
}
