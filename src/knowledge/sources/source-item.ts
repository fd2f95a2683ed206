import type { Metadata } from '../metadata.js';
import type { Sidecar } from '../parse/sidecar-metadata.js';

/**
 * One document a data source offers to ingestion. `uri` identifies it across syncs (the incremental sync compares
 * content hashes per uri); `read` is lazy so a listing of a large folder holds no file contents.
 */
export interface SourceItem {
  uri: string;
  /** File name or URL path, for choosing the parser. */
  name: string;
  contentType?: string;
  size?: number;
  read(signal?: AbortSignal): Promise<Uint8Array>;
  /** From a `<file>.metadata.json` sidecar (`metadataAttributes`), when the source has one. */
  metadata?: Metadata;
  /** The whole sidecar when there is one: beside the attributes, which to embed and a CSV's record structure. */
  sidecar?: Sidecar;
}

/** A document the source found but cannot offer (path escapes the root, symlink loop, too large, blocked URL). */
export interface SourceFailure {
  uri: string;
  reason: string;
}

export type SourceEntry = ({ ok: true } & SourceItem) | ({ ok: false } & SourceFailure);

export interface DataSourceReader {
  /** Everything the source holds now; failures are entries, never exceptions, so one bad file does not stop a sync. */
  list(signal?: AbortSignal): AsyncIterable<SourceEntry>;
}
