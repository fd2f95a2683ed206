/**
 * Bytes too large or too opaque for a table row: uploaded documents, model files, batch inputs and outputs. The
 * default is a directory under the data dir; a shared filesystem path or an S3-compatible bucket serves replicas.
 * Keys are `/`-separated relative paths; implementations must refuse keys that escape their root.
 */
export interface BlobStore {
  put(key: string, bytes: Uint8Array, opts?: { contentType?: string }): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix, in key order. */
  list(prefix: string): AsyncIterable<{ key: string; size: number }>;
}
