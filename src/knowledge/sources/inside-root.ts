import { isAbsolute, relative, sep } from 'node:path';

/** Whether `path` (a real path) is `root` itself or lies under it. Both must be absolute and symlink-free. */
export function insideRoot(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
