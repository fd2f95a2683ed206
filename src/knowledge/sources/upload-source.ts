import { QuarryError } from '../../core/index.js';
import type { BlobStore } from '../../store/blobs/blob-store.js';
import type { Sidecar } from '../parse/sidecar-metadata.js';
import { DEFAULT_MAX_FILE_BYTES } from './local-folder-source.js';
import { defaultParseSidecar, isSidecar, MAX_SIDECAR_BYTES, type ParseSidecar, SIDECAR_SUFFIX } from './sidecar.js';
import type { DataSourceReader, SourceEntry } from './source-item.js';

export interface UploadSourceOptions {
  blobs: BlobStore;
  /** Where this data source's uploads live, e.g. `knowledge-bases/<kb>/data-sources/<ds>/`. */
  prefix: string;
  maxFileBytes?: number;
  parseSidecar?: ParseSidecar;
}

/**
 * Files uploaded to a data source through the API, kept in the blob store under one prefix. Items are in key order;
 * `uri` is `upload:///` + the key below the prefix (segments percent-encoded), stable for as long as the upload
 * exists; `name` is that relative key. `<key>.metadata.json` uploads attach to `<key>` as its metadata.
 */
export class UploadSource implements DataSourceReader {
  private readonly blobs: BlobStore;
  private readonly prefix: string;
  private readonly maxFileBytes: number;
  private readonly parseSidecar: ParseSidecar;

  constructor(options: UploadSourceOptions) {
    this.blobs = options.blobs;
    this.prefix = options.prefix === '' || options.prefix.endsWith('/') ? options.prefix : `${options.prefix}/`;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.parseSidecar = options.parseSidecar ?? defaultParseSidecar;
  }

  async *list(signal?: AbortSignal): AsyncIterable<SourceEntry> {
    // Keys only (no bytes): a sidecar sorts after its document, possibly far after, so all keys are needed first.
    const listed: Array<{ key: string; size: number }> = [];
    for await (const entry of this.blobs.list(this.prefix)) {
      signal?.throwIfAborted();
      listed.push(entry);
    }
    const keys = new Set(listed.map((e) => e.key));
    for (const { key, size } of listed) {
      signal?.throwIfAborted();
      const name = key.slice(this.prefix.length);
      if (!name || isSidecar(name)) continue;
      const uri = `upload:///${name.split('/').map(encodeURIComponent).join('/')}`;
      if (size > this.maxFileBytes) {
        yield { ok: false, uri, reason: `upload is ${size} bytes, over the ${this.maxFileBytes}-byte limit` };
        continue;
      }
      let sidecar: Sidecar | undefined;
      if (keys.has(key + SIDECAR_SUFFIX)) {
        try {
          const bytes = await this.blobs.get(key + SIDECAR_SUFFIX);
          if (!bytes) throw new Error('it was deleted while listing');
          if (bytes.byteLength > MAX_SIDECAR_BYTES) throw new Error(`it is over the ${MAX_SIDECAR_BYTES}-byte limit`);
          sidecar = this.parseSidecar(bytes, name + SIDECAR_SUFFIX);
        } catch (e) {
          yield { ok: false, uri, reason: `metadata file ${name}${SIDECAR_SUFFIX}: ${(e as Error).message}` };
          continue;
        }
      }
      yield {
        ok: true,
        uri,
        name,
        size,
        ...(sidecar ? { metadata: sidecar.metadata, sidecar } : {}),
        read: (s?: AbortSignal) => this.read(key, s),
      };
    }
  }

  private async read(key: string, signal?: AbortSignal): Promise<Uint8Array> {
    signal?.throwIfAborted();
    const bytes = await this.blobs.get(key);
    if (!bytes) throw new QuarryError('ResourceNotFoundException', `The upload ${key} was deleted before it was ingested`);
    if (bytes.byteLength > this.maxFileBytes) {
      throw new QuarryError('RequestEntityTooLargeException', `The upload ${key} is ${bytes.byteLength} bytes, over the ${this.maxFileBytes}-byte limit`);
    }
    return bytes;
  }
}
