import { validation } from '../../core/errors.js';
import { type CompiledCustomRegex, type CustomRegex, compileCustomRegex } from './custom-regex.js';
import { normalizeForDetection } from './normalize-for-detection.js';
import { isPiiEntityType, type PiiEntityType } from './pii-entity-type.js';
import { CUSTOM_REGEX_TYPE, type PiiMatch } from './pii-match.js';
import { ALL_RECOGNIZERS } from './recognizers/all-recognizers.js';
import { resolveOverlaps } from './resolve-overlaps.js';

export interface DetectPiiOptions {
  /** Entity types to look for; all of Bedrock's when absent. */
  types?: readonly PiiEntityType[];
  /** The guardrail's own patterns, run by the bounded engine on the normalised text; a match scores 1. */
  customRegexes?: readonly (CustomRegex | CompiledCustomRegex)[];
  /** Candidates scoring below this are dropped (default 0.5). */
  minScore?: number;
}

export const DEFAULT_MIN_SCORE = 0.5;

/**
 * When two readings of the same span tie on score, the one whose recognizer validated more wins: a checksum beats a
 * shape, a shape beats a context guess.
 */
const PRIORITY: Partial<Record<PiiMatch['type'], number>> = {
  REGEX: 20,
  EMAIL: 12,
  AWS_ACCESS_KEY: 12,
  INTERNATIONAL_BANK_ACCOUNT_NUMBER: 11,
  CREDIT_DEBIT_CARD_NUMBER: 11,
  US_SOCIAL_SECURITY_NUMBER: 10,
  US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER: 10,
  VEHICLE_IDENTIFICATION_NUMBER: 10,
  URL: 9,
  IP_ADDRESS: 9,
  MAC_ADDRESS: 9,
  PHONE: 7,
  ADDRESS: 5,
  NAME: 4,
};

/**
 * Finds Bedrock's PII entity types (and custom regex matches) in `text`: non-overlapping, sorted by position, with
 * offsets into `text` as given. Nothing is truncated: each recognizer scans the whole text with bounded, linear-time
 * regexes (the name recognizer, which holds one object per word, works through 64 KB windows cut at line or sentence
 * ends). Recognizers and custom regexes read a normalised copy (see `normalizeForDetection`), so zero-width characters,
 * full-width digits and look-alike letters cannot hide an entity.
 */
export function detectPii(text: string, options: DetectPiiOptions = {}): PiiMatch[] {
  if (typeof text !== 'string') throw validation('PII detection needs text (a string).');
  const wanted = options.types === undefined ? undefined : new Set<string>(options.types);
  if (wanted) {
    for (const t of wanted) if (!isPiiEntityType(t)) throw validation(`Unknown PII entity type: ${t}`);
  }
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  if (!(minScore >= 0 && minScore <= 1)) throw validation('minScore must be between 0 and 1.');
  const regexes = (options.customRegexes ?? []).map((r) => ('regex' in r ? r : compileCustomRegex(r)));
  if (text.length === 0) return [];

  const normalized = normalizeForDetection(text);
  type Found = { type: PiiMatch['type']; regexName?: string; start: number; end: number; score: number };
  const found: Found[] = [];
  for (const recognizer of ALL_RECOGNIZERS) {
    if (wanted && !recognizer.types.some((t) => wanted.has(t))) continue;
    for (const c of recognizer.find(normalized.text)) {
      if (c.score >= minScore && (!wanted || wanted.has(c.type))) found.push(c);
    }
  }
  for (const { name, regex } of regexes) {
    for (const [start, end] of regex.findAll(normalized.text)) {
      found.push({ type: CUSTOM_REGEX_TYPE, regexName: name, start, end, score: 1 });
    }
  }

  return resolveOverlaps(dropNamesInsideAddresses(found), (f) => PRIORITY[f.type] ?? 0).map((f) => {
    const [start, end] = normalized.toOriginal(f.start, f.end);
    const match: PiiMatch = { type: f.type, start, end, text: text.slice(start, end), score: round(f.score) };
    if (f.regexName !== undefined) match.regexName = f.regexName;
    return match;
  });
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Bedrock: "Jane Doe Street" is an address, not a name. A name wholly inside an address span (a street named after a
 * person, a city that is also a surname) is dropped before overlaps are settled by score.
 */
function dropNamesInsideAddresses<T extends { type: string; start: number; end: number }>(found: T[]): T[] {
  const addresses = found.filter((f) => f.type === 'ADDRESS').sort((a, b) => a.start - b.start);
  if (addresses.length === 0) return found;
  // Longest reach so far, so one binary search answers "does any address starting at or before here cover it".
  const reach: number[] = [];
  for (const a of addresses) reach.push(Math.max(a.end, reach.at(-1) ?? 0));
  const inside = (f: T): boolean => {
    let lo = 0;
    let hi = addresses.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (addresses[mid]!.start <= f.start) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && reach[lo - 1]! >= f.end;
  };
  return found.filter((f) => f.type !== 'NAME' || !inside(f));
}
