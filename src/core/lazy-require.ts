import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A package's CommonJS build, loaded the first time the returned function is called. For large packages that only
 * some requests need and whose callers are synchronous (a dynamic import would make them async): loaded at import
 * time, they cost every server start, and every test process that starts a server, whether or not they are used.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded === undefined) loaded = require(specifier) as T;
    return loaded;
  };
}
