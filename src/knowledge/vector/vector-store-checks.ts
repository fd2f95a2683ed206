import { QuarryError, validation } from '../../core/errors.js';
import type { Metadata, MetadataFilter } from '../metadata.js';
import { parseMetadataFilter } from './metadata-filter-schema.js';
import type { ChunkInput, VectorIndexSpec } from './vector-store.js';

/**
 * The argument checks every store makes the same way, so the conformance suite can hold them all to one behaviour: a bad
 * argument is a ValidationException naming what is wrong, never a driver error or a crash in native code.
 */

/** Beyond Bedrock's 100 results per Retrieve, with room for hybrid search's candidate lists. */
export const MAX_K = 1000;
export const MAX_DIMENSIONS = 16_000;
const INDEX_ID = /^[a-z0-9][a-z0-9-]{0,47}$/;

export function checkIndexSpec(spec: VectorIndexSpec): void {
  if (typeof spec.indexId !== 'string' || !INDEX_ID.test(spec.indexId)) {
    throw validation(`Vector index id ${JSON.stringify(spec.indexId)} must be 1-48 characters of a-z, 0-9 and '-', starting with a letter or digit.`);
  }
  if (!Number.isInteger(spec.dimensions) || spec.dimensions < 1 || spec.dimensions > MAX_DIMENSIONS) {
    throw validation(`Vector index ${spec.indexId}: dimensions must be an integer from 1 to ${MAX_DIMENSIONS} (got ${spec.dimensions}).`);
  }
}

export function dimensionMismatch(indexId: string, stored: number, requested: number): QuarryError {
  return validation(
    `Vector index ${indexId} holds ${stored}-dimensional vectors, not ${requested}; an embedding model change needs a new index (re-sync the knowledge base).`,
  );
}

export function checkVector(dimensions: number, v: unknown, what: string): Float32Array {
  if (!(v instanceof Float32Array)) throw validation(`${what} must be a Float32Array.`);
  if (v.length !== dimensions) throw validation(`${what} has ${v.length} dimensions; this index holds ${dimensions}-dimensional vectors.`);
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) throw validation(`${what} has a non-finite component at ${i}.`);
    norm += v[i] * v[i];
  }
  // Cosine similarity is undefined for a zero vector; ANN libraries return arbitrary neighbours for it.
  if (norm === 0) throw validation(`${what} is all zeros; cosine similarity is undefined for it.`);
  return v;
}

export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw validation(`k must be an integer from 1 to ${MAX_K} (got ${k}).`);
}

export function checkFilter(filter: MetadataFilter | undefined): MetadataFilter | undefined {
  return filter === undefined ? undefined : parseMetadataFilter(filter);
}

export function checkDocumentId(documentId: string): void {
  if (typeof documentId !== 'string' || documentId === '' || documentId.length > 2048) {
    throw validation('documentId must be a non-empty string of at most 2048 characters.');
  }
}

/** Validates one document's chunks before any write, so a bad chunk never leaves a document half-replaced. */
export function checkChunks(dimensions: number, documentId: string, chunks: ChunkInput[]): void {
  checkDocumentId(documentId);
  if (!Array.isArray(chunks)) throw validation('chunks must be a list.');
  const seen = new Set<string>();
  chunks.forEach((c, i) => {
    const what = `Document ${documentId}, chunk ${i}`;
    if (typeof c.id !== 'string' || c.id === '' || c.id.length > 2048) throw validation(`${what}: id must be a non-empty string of at most 2048 characters.`);
    if (seen.has(c.id)) throw validation(`${what}: chunk id ${c.id} appears twice.`);
    seen.add(c.id);
    if (typeof c.text !== 'string') throw validation(`${what}: text must be a string.`);
    if (c.parentText !== undefined && typeof c.parentText !== 'string') throw validation(`${what}: parentText must be a string.`);
    // PostgreSQL's text and jsonb cannot hold U+0000; refusing it everywhere keeps the stores interchangeable.
    if (hasNul(c.id) || hasNul(c.text) || hasNul(c.parentText ?? '')) throw validation(`${what}: text contains a NUL character (U+0000).`);
    checkVector(dimensions, c.vector, `${what}: vector`);
    checkMetadata(c.metadata, what);
    if (typeof c.location !== 'object' || c.location === null || typeof c.location.uri !== 'string') {
      throw validation(`${what}: location must be an object with a uri.`);
    }
    if (hasNul(c.location.uri)) throw validation(`${what}: location.uri contains a NUL character (U+0000).`);
  });
}

function checkMetadata(metadata: Metadata, what: string): void {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw validation(`${what}: metadata must be an object.`);
  for (const [key, value] of Object.entries(metadata)) {
    const ok =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (Array.isArray(value) && value.every((m) => typeof m === 'string'));
    if (!ok) throw validation(`${what}: metadata ${JSON.stringify(key)} must be a string, a finite number, a boolean or a list of strings.`);
    if (hasNul(key) || (Array.isArray(value) ? value.some(hasNul) : typeof value === 'string' && hasNul(value))) throw validation(`${what}: metadata ${JSON.stringify(key)} contains a NUL character (U+0000).`);
  }
}

function hasNul(s: string): boolean {
  return s.includes('\u0000');
}

export function chunkIdTaken(chunkId: string, owner: string): QuarryError {
  return new QuarryError('ConflictException', `Chunk id ${chunkId} already belongs to document ${owner}; chunk ids are unique within an index.`);
}

export function storeClosed(indexId: string, dropped: boolean): QuarryError {
  return dropped
    ? new QuarryError('ResourceNotFoundException', `Vector index ${indexId} was dropped.`)
    : new QuarryError('InternalServerException', `Vector index ${indexId} is closed.`, { retryable: false });
}
