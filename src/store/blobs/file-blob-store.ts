import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { validation } from '../../core/index.js';
import { blobKeySegments, TEMP_SUFFIX } from './blob-key.js';
import type { BlobStore } from './blob-store.js';

const errno = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;

/**
 * Blobs as files under a root directory, the embedded default (a shared filesystem serves replicas). A write goes to a
 * temporary file beside its target and is renamed over it, so a reader sees the old bytes or the new, never half, and
 * a crash leaves at most a temporary file that listings skip. The content type is not kept: callers store it with
 * their own record.
 */
export class FileBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    const p = join(this.root, ...blobKeySegments(key));
    // The key checks already exclude escapes; this is the belt to their braces.
    if (!p.startsWith(this.root + sep)) throw validation(`Blob key ${JSON.stringify(key)} resolves outside the store`);
    return p;
  }

  async put(key: string, bytes: Uint8Array, _opts?: { contentType?: string }): Promise<void> {
    if (!(bytes instanceof Uint8Array)) throw validation('Blob contents must be bytes (a Uint8Array)');
    const target = this.path(key);
    const dir = join(target, '..');
    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      if (errno(e) === 'ENOTDIR' || errno(e) === 'EEXIST') throw validation(`Blob key ${JSON.stringify(key)} runs through an existing blob`, e);
      throw e;
    }
    const temp = `${target}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
    try {
      const file = await open(temp, 'wx');
      try {
        await file.writeFile(bytes);
        // Durable before it becomes visible: a rename that survives a power cut must not point at empty blocks.
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      if (errno(e) === 'EISDIR') throw validation(`Blob key ${JSON.stringify(key)} names a folder of other blobs`, e);
      throw e;
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (e) {
      // A key running through a blob (ENOTDIR) or naming a folder (EISDIR) is as absent as a missing one.
      if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errno(e) ?? '')) return undefined;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.path(key));
    } catch (e) {
      if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errno(e) ?? '')) return;
      throw e;
    }
  }

  /** Walks only the folder the prefix points into; `prefix` is a string prefix of keys, not necessarily a folder. */
  async *list(prefix: string): AsyncIterable<{ key: string; size: number }> {
    const segments = blobKeySegments(prefix, 'prefix');
    // The last segment is a partial name unless the prefix ends with a separator ('docs/', 'docs/.'): 'docs/re' lists
    // docs/readme and docs/reports/x.
    const folder = /(^|\/)\.?$/.test(prefix);
    const dirSegments = folder ? segments : segments.slice(0, -1);
    const normalised = segments.join('/') + (folder && segments.length ? '/' : '');
    const base = dirSegments.join('/');
    yield* this.walk(join(this.root, ...dirSegments), base ? `${base}/` : '', normalised);
  }

  private async *walk(dir: string, keyPrefix: string, wanted: string): AsyncGenerator<{ key: string; size: number }> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return;
      throw e;
    }
    // Key order is code-unit order of whole keys. A folder's keys all start with "name/", so sorting folders by
    // "name/" and files by "name" and walking depth-first yields every key in order without collecting them.
    const sorted = entries
      .filter((d) => d.isDirectory() || (d.isFile() && !d.name.endsWith(TEMP_SUFFIX)))
      .map((d) => ({ d, sortKey: d.isDirectory() ? `${d.name}/` : d.name }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const { d, sortKey } of sorted) {
      const key = keyPrefix + sortKey;
      if (d.isDirectory()) {
        // Only descend where some key could start with the prefix (and the prefix could start with this folder).
        if (key.startsWith(wanted) || wanted.startsWith(key)) yield* this.walk(join(dir, d.name), key, wanted);
      } else if (key.startsWith(wanted)) {
        const s = await stat(join(dir, d.name)).catch(() => undefined);
        if (s) yield { key, size: s.size };
      }
    }
  }
}
