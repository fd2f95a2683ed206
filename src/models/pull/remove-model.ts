import { lstat, rm } from 'node:fs/promises';
import { QuarryError, notFound } from '../../core/errors.js';
import { PARTIAL_SUFFIX, modelFilePath, modelsDir } from './models-dir.js';

/**
 * Deletes a pulled model file and any partial download of it. `name` is a plain file name inside the models folder;
 * anything that could reach outside it is refused before a path is built. Returns the paths deleted.
 */
export async function removeModel(name: string, dataDir: string): Promise<string[]> {
  const path = modelFilePath(dataDir, name);
  const removed: string[] = [];
  for (const p of [path, path + PARTIAL_SUFFIX]) {
    // lstat, not stat: a symlink in the folder is removed itself and its target is left alone.
    const s = await lstat(p).catch(() => undefined);
    if (!s || s.isDirectory()) continue;
    try {
      await rm(p);
      removed.push(p);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT') continue;
      throw new QuarryError('InternalServerException', `Could not delete ${p} (${code ?? 'error'}).`, { cause: e });
    }
  }
  if (removed.length === 0) throw notFound(`There is no model file named ${name} in ${modelsDir(dataDir)}.`);
  return removed;
}
