import { isAbsolute, join, relative, resolve } from 'node:path';
import { validation } from '../../core/errors.js';

/** Suffix of a download in progress; the finished file is renamed onto its final name only after it verified. */
export const PARTIAL_SUFFIX = '.partial';

/** Where local text models live: the folder that the local engine scans and `pullModel` writes to. */
export function modelsDir(dataDir: string): string {
  return resolve(dataDir, 'models');
}

/**
 * Refuses names that could address anything but a plain file directly inside the models folder. The name comes from
 * URLs and from API callers, so `..`, separators and hidden names are rejected before any path is built.
 */
export function assertSafeModelName(name: string): void {
  const problem =
    name.length === 0
      ? 'is empty'
      : name.length > 255
        ? 'is longer than 255 characters'
        : /[/\\]/.test(name)
          ? 'contains a path separator'
          : name.includes('\0')
            ? 'contains a NUL byte'
            : name.startsWith('.')
              ? 'starts with a dot'
              : name.endsWith(PARTIAL_SUFFIX)
                ? `ends with ${PARTIAL_SUFFIX}, which is reserved for downloads in progress`
                : undefined;
  if (problem) throw validation(`The model file name ${JSON.stringify(name)} ${problem}; use a plain file name such as model.gguf.`);
}

/** Absolute path of `name` inside the models folder; throws when the result would escape it. */
export function modelFilePath(dataDir: string, name: string): string {
  assertSafeModelName(name);
  const dir = modelsDir(dataDir);
  const path = join(dir, name);
  // Belt and braces: the name check above should make this unreachable, but a path outside the folder must never be
  // written or deleted whatever the name check misses (e.g. a platform with other separators).
  const rel = relative(dir, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw validation(`The model file name ${JSON.stringify(name)} points outside ${dir}.`);
  }
  return path;
}
