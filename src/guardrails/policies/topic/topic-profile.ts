import { type ContentTerm, contentTerms } from '../text/content-terms.js';
import { keyPrefix } from '../text/key-prefix.js';
import { termSpecificity } from './term-specificity.js';
import type { TopicConfig } from './topic-policy-config.js';

/**
 * A topic's vocabulary: every content stem of its name, definition and examples, weighted by where it appears (the
 * name and examples are how people phrase it; the definition often adds generic scaffolding such as "questions about")
 * and by how specific the word is.
 */
export interface TopicProfile {
  weights: ReadonlyMap<string, number>;
  /**
   * For partial credit to words that share a long prefix with a stem ("diagnos"/"diagnost"): the six-letter prefix of
   * each stem of six letters or more, with the highest weight among the stems that have it.
   */
  prefixWeights: ReadonlyMap<string, number>;
}

const SOURCE_WEIGHT = { name: 1, definition: 0.7, example: 0.9 } as const;
const PREFIX = 6;
/** Credit for a shared prefix instead of an equal stem. */
const PARTIAL = 0.5;
/** The summed weight at which the lexical score reaches 1 − 1/e. */
const SATURATION = 1.6;

export function topicProfile(topic: TopicConfig): TopicProfile {
  const weights = new Map<string, number>();
  const add = (text: string, source: keyof typeof SOURCE_WEIGHT) => {
    for (const term of contentTerms(text)) {
      if (term.kind === 'number') continue;
      const w = SOURCE_WEIGHT[source] * termSpecificity(term.text.toLowerCase());
      weights.set(term.key, Math.max(weights.get(term.key) ?? 0, w));
    }
  };
  add(topic.name, 'name');
  add(topic.definition, 'definition');
  for (const e of topic.examples ?? []) add(e, 'example');
  const prefixWeights = new Map<string, number>();
  for (const [stem, w] of weights) {
    if (stem.length < PREFIX) continue;
    const prefix = stem.slice(0, PREFIX);
    prefixWeights.set(prefix, Math.max(prefixWeights.get(prefix) ?? 0, w));
  }
  return { weights, prefixWeights };
}

/**
 * 0–1: how much of a topic's specific vocabulary a window uses. Each distinct stem counts once, so repeating a word
 * does not inflate the score, and the sum saturates, so two or three specific words are enough.
 */
export function lexicalTopicScore(profile: TopicProfile, terms: readonly ContentTerm[]): number {
  return lexicalTopicScoreOfDistinct(profile, distinctTopicTerms(terms));
}

/**
 * The terms a topic score reads: numbers left out, each key once (its first occurrence), in order. A window is scored
 * against every topic, so a check finds them once per window rather than once per topic and window.
 */
export function distinctTopicTerms(terms: readonly ContentTerm[]): ContentTerm[] {
  const out: ContentTerm[] = [];
  // A window (at most TOPIC_WINDOW characters) has a few dozen terms: a look back over those chosen finds a repeat
  // without a Set, whose hash table, grown per window, was most of what this allocated. Past SCAN_LIMIT terms a Set
  // takes over, so a long window stays linear.
  let seen: Set<string> | undefined;
  for (const term of terms) {
    if (term.kind === 'number') continue;
    const key = term.key;
    if (seen === undefined) {
      let repeat = false;
      for (let i = 0; i < out.length && !repeat; i++) repeat = out[i]!.key === key;
      if (repeat) continue;
      out.push(term);
      if (out.length >= SCAN_LIMIT) seen = new Set(out.map((t) => t.key));
    } else if (!seen.has(key)) {
      seen.add(key);
      out.push(term);
    }
  }
  return out;
}

const SCAN_LIMIT = 64;

/** `lexicalTopicScore` of terms that `distinctTopicTerms` chose. */
export function lexicalTopicScoreOfDistinct(profile: TopicProfile, terms: readonly ContentTerm[]): number {
  let sum = 0;
  for (const term of terms) {
    const exact = profile.weights.get(term.key);
    if (exact !== undefined) {
      sum += exact;
      continue;
    }
    if (term.key.length < PREFIX) continue;
    sum += PARTIAL * (profile.prefixWeights.get(keyPrefix(term.key, PREFIX)) ?? 0);
  }
  return 1 - Math.exp(-sum / SATURATION);
}
