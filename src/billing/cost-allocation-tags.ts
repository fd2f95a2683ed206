import { validation } from '../core/index.js';

/** The header any API accepts cost-allocation tags in: `x-quarry-tags: team=search,env=prod`. */
export const TAGS_HEADER = 'x-quarry-tags';

export type CostAllocationTags = Record<string, string>;

// Bounds as Bedrock's requestMetadata and OpenAI's metadata have them (16 pairs each); a request may use both, so
// the merged set is capped at twice that. Values are as long as OpenAI allows, keys as long as AWS tag keys.
export const MAX_TAGS_PER_SOURCE = 16;
export const MAX_TAGS = 32;
export const MAX_TAG_KEY = 128;
export const MAX_TAG_VALUE = 512;
// Tags end up in reports, CSV exports and log lines: control and invisible formatting characters (bidi overrides,
// zero-width joiners) would let one tag pass for another there.
const HIDDEN = /[\p{Cc}\p{Cf}]/u;
// The header's own separators cannot be part of a key written in it; `aws:` is reserved, as on AWS.
const HEADER_KEY = /^[\p{L}\p{N} _.:/+\-@]+$/u;

/**
 * The tags of one invocation: the request's metadata (Bedrock Converse `requestMetadata`, OpenAI `metadata`,
 * Anthropic `metadata.user_id`) merged with the header's, the header winning where both name a key. Undefined when
 * there are none. Throws ValidationException, naming the problem, for anything past the bounds.
 */
export function costAllocationTags(header: string | undefined, requestMetadata: Record<string, string> | undefined): CostAllocationTags | undefined {
  const fromBody = requestMetadata ? checked(Object.entries(requestMetadata), 'requestMetadata') : undefined;
  const fromHeader = header === undefined ? undefined : parseTagsHeader(header);
  if (!fromBody && !fromHeader) return undefined;
  const merged: CostAllocationTags = { ...fromBody, ...fromHeader };
  const n = Object.keys(merged).length;
  if (n > MAX_TAGS) throw validation(`A request may carry at most ${MAX_TAGS} cost-allocation tags (requestMetadata and ${TAGS_HEADER} together); it has ${n}.`);
  return n ? merged : undefined;
}

/** `team=search, env=prod` → { team: 'search', env: 'prod' }. Empty values are allowed (`owner=`), empty keys not. */
export function parseTagsHeader(text: string): CostAllocationTags {
  if (text.length > MAX_TAGS_PER_SOURCE * (MAX_TAG_KEY + MAX_TAG_VALUE + 2)) throw validation(`The ${TAGS_HEADER} header is too long.`);
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  for (const item of text.split(',')) {
    if (!item.trim()) continue;
    const eq = item.indexOf('=');
    if (eq < 0) throw validation(`${TAGS_HEADER}: "${preview(item)}" is not key=value; write tags as key=value pairs separated by commas.`);
    const k = item.slice(0, eq).trim();
    const v = item.slice(eq + 1).trim();
    if (k && !HEADER_KEY.test(k)) throw validation(`${TAGS_HEADER}: the key "${preview(k)}" may use letters, digits, spaces and _ . : / + - @ only.`);
    if (seen.has(k)) throw validation(`${TAGS_HEADER}: the key "${preview(k)}" is given twice.`);
    seen.add(k);
    pairs.push([k, v]);
  }
  return checked(pairs, TAGS_HEADER);
}

function checked(pairs: [string, string][], source: string): CostAllocationTags {
  if (pairs.length > MAX_TAGS_PER_SOURCE) throw validation(`${source}: at most ${MAX_TAGS_PER_SOURCE} tags are allowed; got ${pairs.length}.`);
  const out: CostAllocationTags = {};
  for (const [k, v] of pairs) {
    if (typeof k !== 'string' || typeof v !== 'string') throw validation(`${source}: tag keys and values must be strings.`);
    if (!k.trim()) throw validation(`${source}: a tag key must not be empty.`);
    if (k.length > MAX_TAG_KEY) throw validation(`${source}: the tag key "${preview(k)}" is longer than ${MAX_TAG_KEY} characters.`);
    if (v.length > MAX_TAG_VALUE) throw validation(`${source}: the value of tag "${preview(k)}" is longer than ${MAX_TAG_VALUE} characters.`);
    if (HIDDEN.test(k) || HIDDEN.test(v)) throw validation(`${source}: tag "${preview(k)}" contains control or invisible formatting characters.`);
    if (/^aws:/i.test(k)) throw validation(`${source}: tag keys starting with "aws:" are reserved.`);
    // Object keys like __proto__ would not survive a plain object; defineProperty keeps them as data.
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A bounded, printable excerpt of hostile input for an error message. */
function preview(s: string): string {
  const clean = s.replace(/[\p{Cc}\p{Cf}]/gu, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
