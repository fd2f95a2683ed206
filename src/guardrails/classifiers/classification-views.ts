import { canonicalText } from './canonical-text.js';
import { decodeBase64Segments } from './decode-base64-segments.js';
import { foldUnicode } from './fold-unicode.js';

/**
 * Every reading of `text` that is classified, each in canonical form: the visible text itself, text hidden in Unicode
 * tag characters, and the decoded form of each plausible base64 run, each of those read the same way in turn (two
 * levels deep: base64 inside base64 is decoded, a third layer is not). A category's confidence is the highest any
 * reading earns, so encoding an attack never lowers its score. Empty readings are dropped.
 */
export function classificationViews(text: string): string[] {
  const views: string[] = [];
  const seen = new Set<string>();
  const visit = (raw: string, depth: number) => {
    const folded = foldUnicode(raw);
    const canonical = canonicalText(folded.text);
    if (canonical.length > 0 && !seen.has(canonical)) {
      seen.add(canonical);
      views.push(canonical);
    }
    if (depth >= MAX_DEPTH) return;
    if (folded.hidden.length > 0) visit(folded.hidden, depth + 1);
    for (const decoded of decodeBase64Segments(folded.text)) visit(decoded, depth + 1);
  };
  visit(text, 0);
  return views;
}

const MAX_DEPTH = 2;
