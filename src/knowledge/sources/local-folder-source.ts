import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { notFound } from '../../core/index.js';
import type { Sidecar } from '../parse/sidecar-metadata.js';
import { insideRoot } from './inside-root.js';
import { readFileCapped } from './read-file-capped.js';
import { defaultParseSidecar, isSidecar, MAX_SIDECAR_BYTES, type ParseSidecar, SIDECAR_SUFFIX } from './sidecar.js';
import type { DataSourceReader, SourceEntry } from './source-item.js';

/** Bedrock's per-file limit for knowledge base documents. */
export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface LocalFolderSourceOptions {
  root: string;
  /** Globs over `/`-separated paths relative to the root (picomatch); default every file. */
  include?: string[];
  /** Globs that drop files; one matching a directory drops everything under it. */
  exclude?: string[];
  maxFileBytes?: number;
  /** Follow symbolic links that stay inside the root (default off: they are listed as failures). */
  followSymlinks?: boolean;
  /** List dot-files and walk dot-directories (`.git`, `.cache`); default off. */
  includeHidden?: boolean;
  parseSidecar?: ParseSidecar;
}

/**
 * A folder on the server's disk. Every item's `uri` is the `file://` URL of its path as reached from the root (not of
 * the symlink target), so a document keeps its identity across syncs even when a link is retargeted; `name` is the
 * path relative to the root. The listing is depth-first in code-unit order of names, so it is the same every sync.
 * Nothing resolves outside the root: symlinks leading out, broken links, loops, special files and files over the
 * size cap are failures with a reason; the root itself missing is an error (an empty listing would make an
 * incremental sync delete everything).
 */
export class LocalFolderSource implements DataSourceReader {
  private readonly root: string;
  private readonly included: (path: string) => boolean;
  private readonly excluded: (path: string) => boolean;
  private readonly maxFileBytes: number;
  private readonly followSymlinks: boolean;
  private readonly includeHidden: boolean;
  private readonly parseSidecar: ParseSidecar;

  constructor(options: LocalFolderSourceOptions) {
    this.root = resolve(options.root);
    const glob = { dot: options.includeHidden ?? false };
    this.included = options.include?.length ? picomatch(options.include, glob) : () => true;
    this.excluded = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : () => false;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.followSymlinks = options.followSymlinks ?? false;
    this.includeHidden = options.includeHidden ?? false;
    this.parseSidecar = options.parseSidecar ?? defaultParseSidecar;
  }

  async *list(signal?: AbortSignal): AsyncIterable<SourceEntry> {
    let realRoot: string;
    try {
      realRoot = await realpath(this.root);
      if (!(await stat(realRoot)).isDirectory()) throw new Error('not a directory');
    } catch {
      throw notFound(`The data source folder ${this.root} does not exist or is not a directory`);
    }
    yield* this.walk(this.root, realRoot, '', new Set([realRoot]), new Set([realRoot]), realRoot, signal);
  }

  private async *walk(
    dir: string,
    realDir: string,
    relDir: string,
    ancestors: Set<string>,
    listed: Set<string>,
    realRoot: string,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<SourceEntry> {
    signal?.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      yield failure(dir, `cannot read this folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const names = new Set(entries.map((e) => e.name));
    for (const entry of entries) {
      if (!this.includeHidden && entry.name.startsWith('.')) continue;
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      const path = join(dir, entry.name);
      if (this.excluded(rel)) continue;
      let real = join(realDir, entry.name);
      let st: Stats | undefined;
      if (entry.isSymbolicLink()) {
        // Until it is resolved a link may be a file or a folder; report it when it would have been listed as a file.
        const asFile = this.included(rel) && !isSidecar(entry.name);
        if (!this.followSymlinks) {
          if (asFile) yield failure(path, 'symbolic link not followed (followSymlinks is off)');
          continue;
        }
        try {
          real = await realpath(path);
          st = await stat(real);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'ELOOP') yield failure(path, 'symbolic link loop (the link resolves to itself)');
          else if (asFile) yield failure(path, `broken symbolic link (${code ?? 'unresolvable'})`);
          continue;
        }
        if (!insideRoot(realRoot, real)) {
          if (asFile || st.isDirectory()) yield failure(path, 'symbolic link leads outside the data source folder');
          continue;
        }
      }
      const isDir = st ? st.isDirectory() : entry.isDirectory();
      const isFile = st ? st.isFile() : entry.isFile();
      if (isDir) {
        if (ancestors.has(real)) {
          yield failure(path, 'symbolic link loop (it leads back to a folder that contains it)');
          continue;
        }
        if (listed.has(real)) {
          yield failure(path, 'folder already listed through another path');
          continue;
        }
        listed.add(real);
        yield* this.walk(path, real, rel, new Set([...ancestors, real]), listed, realRoot, signal);
        continue;
      }
      if (isSidecar(entry.name) || !this.included(rel)) continue;
      if (!isFile) {
        yield failure(path, 'not a regular file (device, socket or pipe)');
        continue;
      }
      st ??= await stat(path).catch(() => undefined);
      if (!st) {
        yield failure(path, 'vanished while listing');
        continue;
      }
      if (st.size > this.maxFileBytes) {
        yield failure(path, `file is ${st.size} bytes, over the ${this.maxFileBytes}-byte limit`);
        continue;
      }
      let sidecar: Sidecar | undefined;
      const sidecarName = entry.name + SIDECAR_SUFFIX;
      if (names.has(sidecarName)) {
        try {
          sidecar = this.parseSidecar(await readFileCapped(join(dir, sidecarName), realRoot, MAX_SIDECAR_BYTES, signal), sidecarName);
        } catch (e) {
          if (signal?.aborted) throw e;
          yield failure(path, `metadata file ${sidecarName}: ${(e as Error).message}`);
          continue;
        }
      }
      const maxBytes = this.maxFileBytes;
      yield {
        ok: true,
        uri: pathToFileURL(path).href,
        name: rel,
        size: st.size,
        ...(sidecar ? { metadata: sidecar.metadata, sidecar } : {}),
        read: (s?: AbortSignal) => readFileCapped(path, realRoot, maxBytes, s),
      };
    }
  }
}

function failure(path: string, reason: string): SourceEntry {
  return { ok: false, uri: pathToFileURL(path).href, reason };
}
