import type { Metadata, MetadataValue } from '../metadata.js';
import type { RecordStructure } from './parsed-document.js';

/** A value longer than this is prose, not an attribute to filter on; by default it stays content only. */
export const MAX_METADATA_VALUE_LENGTH = 256;

/** Which fields of a record (CSV row, JSON object) make its text and which its metadata. */
export interface RecordFields {
  /** Fields whose values form the text, in order; undefined for every field. */
  content?: string[];
  isMetadata(field: string, defaultEligible: boolean): boolean;
}

/**
 * Bedrock's rules for `recordBasedStructureMetadata`: include wins over everything, exclude removes, and with neither
 * every field other than the content fields is metadata. Quarry's own default, when no content field is named either,
 * is every field as content and every short scalar field also as metadata (`defaultEligible`).
 */
export function recordFields(structure: RecordStructure | undefined): RecordFields {
  const content = nonEmpty(structure?.contentFields);
  const include = nonEmpty(structure?.metadataFieldsToInclude);
  const exclude = new Set(structure?.metadataFieldsToExclude ?? []);
  const contentSet = new Set(content ?? []);
  return {
    content,
    isMetadata(field, defaultEligible) {
      if (exclude.has(field)) return false;
      if (include) return include.includes(field);
      if (content) return !contentSet.has(field);
      return defaultEligible;
    },
  };
}

/**
 * A record's text: one named content field is its value as is; otherwise "field: value" lines, so the field names
 * are embedded with the values they explain. Empty values are left out.
 */
export function recordText(pairs: readonly (readonly [string, string])[], single: boolean): string {
  if (single) return (pairs[0]?.[1] ?? '').trim();
  return pairs
    .filter(([, value]) => value.trim() !== '')
    .map(([field, value]) => `${field}: ${value.trim()}`)
    .join('\n');
}

/** Every field named in the structure; a CSV must have them all as columns. */
export function namedFields(structure: RecordStructure | undefined): string[] {
  return [
    ...(structure?.contentFields ?? []),
    ...(structure?.metadataFieldsToInclude ?? []),
    ...(structure?.metadataFieldsToExclude ?? []),
  ];
}

function nonEmpty(list: string[] | undefined): string[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

/** Sets a key that came from a file: `metadata[key] = value` with a key of `__proto__` would set the prototype instead. */
export function setMetadata(metadata: Metadata, key: string, value: MetadataValue): void {
  Object.defineProperty(metadata, key, { value, enumerable: true, writable: true, configurable: true });
}
