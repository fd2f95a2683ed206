/**
 * The first `length` characters of a term key (a stem's prefix, which denied topics and grounding credit at half
 * weight). Every check asked for the prefix of each long term several times over (per topic and window, per source
 * sentence and claim), and each `slice` was a new string; the same keys come back in every text, so a key's prefix is
 * cut once and kept. The cache is cleared when full, which bounds its memory whatever text is sent.
 */
export function keyPrefix(key: string, length: number): string {
  const cached = prefixes.get(key);
  if (cached !== undefined && cached.length === length) return cached;
  const prefix = key.slice(0, length);
  if (prefixes.size >= MAX_CACHED) prefixes.clear();
  prefixes.set(key, prefix);
  return prefix;
}

const MAX_CACHED = 50_000;
const prefixes = new Map<string, string>();
