import type { Metadata } from '../metadata.js';
import { flattenJson, JsonDepthError } from './flatten-json.js';
import type { ParseContext } from './parse-context.js';
import type { ParsedDocument, ParseInput } from './parsed-document.js';
import { decodeInput } from './parse-text.js';
import { MAX_METADATA_VALUE_LENGTH, recordFields, setMetadata } from './record-fields.js';

/**
 * JSON as flattened "path: value" text. An object is a record: besides its text, its short top-level scalars (and
 * lists of short strings) are metadata, and a string `title` is the title. A top-level array whose every element is
 * an object is a table in all but name: one document per element, `part` its 1-based position, as CSV rows are.
 * Anything else (a scalar, a mixed array) is one document of text. `ctx.records` picks content and metadata fields as
 * for CSV.
 */
export async function parseJson(input: ParseInput, ctx: ParseContext): Promise<ParsedDocument[]> {
  const value = parseOrFail(decodeInput(input, ctx), ctx, 'invalid JSON');
  if (Array.isArray(value) && value.length > 0 && value.every(isObject)) {
    return value.map((element, i) => recordDocument(element, ctx, String(i + 1)));
  }
  return [isObject(value) ? recordDocument(value, ctx) : { text: flatten(value, ctx), metadata: {} }];
}

/** JSON Lines: one document per non-empty line, `part` its line number; a line that is not JSON is skipped. */
export async function parseJsonLines(input: ParseInput, ctx: ParseContext): Promise<ParsedDocument[]> {
  const lines = decodeInput(input, ctx).split('\n');
  const docs: ParsedDocument[] = [];
  const bad: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    ctx.signal?.throwIfAborted();
    if (lines[i].trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(lines[i]);
    } catch {
      bad.push(i + 1);
      continue;
    }
    const part = String(i + 1);
    docs.push(isObject(value) ? recordDocument(value, ctx, part) : { text: flatten(value, ctx), metadata: {}, part });
  }
  if (bad.length > 0) {
    if (docs.length === 0) throw ctx.fail(`invalid JSON Lines: line ${bad[0]} is not JSON`);
    ctx.warn(`skipped ${bad.length} line(s) that are not JSON, the first at line ${bad[0]}`);
  }
  return docs.filter((d) => d.text !== '');
}

function recordDocument(obj: Record<string, unknown>, ctx: ParseContext, part?: string): ParsedDocument {
  const fields = recordFields(ctx.records);
  let text: string;
  const single = fields.content?.length === 1 ? own(obj, fields.content[0]) : undefined;
  if (typeof single === 'string') {
    text = single.trim();
    ctx.count(text.length);
  } else if (fields.content) {
    text = flatten(Object.fromEntries(fields.content.filter((f) => Object.hasOwn(obj, f)).map((f) => [f, obj[f]])), ctx);
  } else {
    text = flatten(obj, ctx);
  }
  const metadata: Metadata = {};
  for (const [key, value] of Object.entries(obj)) {
    const v = metadataValue(value);
    if (v !== undefined && fields.isMetadata(key, v.short)) setMetadata(metadata, key, v.value);
  }
  const rawTitle = own(obj, 'title');
  const title = typeof rawTitle === 'string' && rawTitle.trim() ? rawTitle.trim().slice(0, 512) : undefined;
  return { text, title, metadata, ...(part === undefined ? {} : { part }) };
}

/** The value as metadata when JSON can say it as one (a scalar or a list of strings), and whether it is short. */
function metadataValue(value: unknown): { value: string | number | boolean | string[]; short: boolean } | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? { value, short: true } : undefined;
  if (typeof value === 'boolean') return { value, short: true };
  if (typeof value === 'string') {
    const v = value.trim();
    return v === '' ? undefined : { value: v, short: v.length <= MAX_METADATA_VALUE_LENGTH && !v.includes('\n') };
  }
  if (Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'string')) {
    return { value, short: value.every((x) => x.length <= MAX_METADATA_VALUE_LENGTH) };
  }
  return undefined;
}

function flatten(value: unknown, ctx: ParseContext): string {
  try {
    return flattenJson(value, (n) => ctx.count(n + 1));
  } catch (e) {
    if (e instanceof JsonDepthError) throw ctx.fail(e.message, e);
    throw e;
  }
}

function parseOrFail(text: string, ctx: ParseContext, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8 reports a too-deep document as a RangeError from the same call.
    throw ctx.fail(`${what}: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
