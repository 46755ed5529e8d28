// Parts of the host that only some commands need live in bundles of their own beside
// dist/extension.js (scripts/build.mjs: mcpHost.js, lessonsHost.js, auditHost.js) and are required
// on first use, so activation neither loads nor parses them (docs/architecture.md, "Bundles").
import { join } from 'node:path';

/**
 * A loader for `dist/<file>`: required once, on the first call. The path is computed, so esbuild
 * leaves the require alone and the module is read from disk at run time; `T` is the entry's type
 * (`typeof import('./lessonsHost')`), erased from the output.
 */
export function lazyBundle<T>(file: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(join(__dirname, file)) as T;
    return loaded;
  };
}
