/**
 * Turning what a user typed into keyword-search terms. Users type questions, not query languages: every store treats the
 * text as a bag of words (any word may match, more matches rank higher, like OpenSearch's default `match` query that
 * Bedrock uses), and no character of it can reach a query parser as syntax (FTS5's `NEAR(`, `"`, `*`, column filters,
 * tsquery's `&|!`).
 */

/** A 100 KB paste must not become a 100 KB query: past this many distinct words the rest are ignored. */
export const MAX_QUERY_TERMS = 64;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Distinct words of the query, in order of first appearance, at most MAX_QUERY_TERMS. Case is left to each store, which
 * folds query words exactly as it folded the indexed text (PostgreSQL's folding follows the database's locale).
 */
export function queryWords(text: string): string[] {
  if (typeof text !== 'string') return [];
  const out = new Set<string>();
  for (const m of text.normalize('NFC').matchAll(WORD)) {
    out.add(m[0]);
    if (out.size >= MAX_QUERY_TERMS) break;
  }
  return [...out];
}

/**
 * An FTS5 MATCH expression for the words: each one a quoted string (FTS5's escape for `"` is doubling it; the words hold
 * none, but the quoting is what makes any word — `NEAR`, `AND`, `NOT` — a plain term), joined by OR.
 */
export function toFts5Query(words: string[]): string {
  return words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' OR ');
}

/** Words folded the way SQLite's `unicode61 remove_diacritics 2` tokenizer folds them, for the in-memory BM25. */
export function foldedTerms(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '');
}
