// The library build (DESIGN §8, README "Use it in your agent"): src/core/index.ts as a CommonJS and
// an ES module bundle plus type declarations, in dist/lib/ — the files package.json `exports`
// points at. Separate from scripts/build.mjs so the extension's `main` and bundles are untouched.
// Everything the library imports is bundled, so an installed tarball needs none of its dependencies.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/lib');
rmSync(out, { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', absWorkingDir: root, entryPoints: ['src/core/index.ts'], mainFields: ['module', 'main'] };
await Promise.all([
  build({ ...common, format: 'cjs', outfile: join(out, 'index.cjs') }),
  // Bundled CommonJS dependencies may call require(): give the ES module one.
  build({ ...common, format: 'esm', outfile: join(out, 'index.mjs'), banner: { js: "import { createRequire as __fanoutCreateRequire } from 'node:module'; const require = __fanoutCreateRequire(import.meta.url);" } }),
]);
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'src/core/tsconfig.lib.json')], { stdio: 'inherit' });
// One declaration entry for both conditions; the .d.mts twin keeps TypeScript's node16 resolution happy for `import`.
writeFileSync(join(out, 'index.d.ts'), "export * from './types/index';\n");
writeFileSync(join(out, 'index.d.mts'), "export * from './types/index.js';\n");
