import { contentTerms } from './content-terms.js';
import type { EmbedTexts } from './embed-texts.js';

/**
 * A deterministic stand-in for an embedding model: each content-term stem hashed into one of `dimensions` signed
 * buckets, so the cosine of two texts tracks how many content words they share. It knows no synonyms; tests use it to
 * exercise the semantic path without a model, and the real encoder's test shows what generalisation adds.
 */
export function wordOverlapEmbedder(dimensions = 512): EmbedTexts & { calls: number; texts: number } {
  const embed = async (texts: string[]) => {
    embed.calls++;
    embed.texts += texts.length;
    return texts.map((text) => {
      const v = new Float32Array(dimensions);
      for (const term of contentTerms(text)) {
        const h = hash(term.key);
        v[h % dimensions] += h & 0x80000000 ? -1 : 1;
      }
      return v;
    });
  };
  embed.calls = 0;
  embed.texts = 0;
  return embed;
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
