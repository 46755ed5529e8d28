// Builds one bundle per runtime (host, CLI, worker, webviews), as vscode-markdown-mermaid does.
// Entry points that do not exist yet are skipped so the build grows with the code.
import { build } from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const dist = join(root, 'dist');
mkdirSync(join(dist, 'webview'), { recursive: true });

// mainFields: jsonc-parser's UMD entry hides its requires from bundlers; its ESM build bundles cleanly.
const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', mainFields: ['module', 'main'] };
const jobs = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['src/core/tools/cpuWorker.ts'], outfile: 'dist/cpuWorker.js' },
  // The MCP SDK and Ajv, required by the host only when a run calls MCP servers (src/extension/runners/mcp.ts).
  { ...node, entryPoints: ['src/extension/mcpHost.ts'], outfile: 'dist/mcpHost.js' },
];
const webviewDir = join(root, 'src/webview');
if (existsSync(webviewDir)) {
  for (const f of readdirSync(webviewDir)) {
    if (!f.endsWith('.entry.ts')) continue;
    jobs.push({ bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: true, logLevel: 'warning',
      entryPoints: [`src/webview/${f}`], outfile: `dist/webview/${basename(f, '.entry.ts')}.js` });
  }
}
const present = jobs.filter((j) => existsSync(join(root, j.entryPoints[0])));
await Promise.all(present.map((j) => build({ ...j, absWorkingDir: root })));

// Mermaid ships a self-contained browser build; the webview loads it as its own script.
const mermaid = join(root, 'node_modules/mermaid/dist/mermaid.min.js');
if (existsSync(mermaid)) copyFileSync(mermaid, join(dist, 'webview/mermaid.min.js'));

// The JSON Schema is generated from the core so editor validation and the parser share one source.
const schemaModule = join(root, 'src/core/plan/schema.ts');
if (existsSync(schemaModule)) {
  const out = join(dist, 'schema-gen.cjs');
  await build({ ...node, sourcemap: false, entryPoints: [schemaModule], outfile: out, absWorkingDir: root });
  const { toolPlanSchema } = (await import(out)).default ?? (await import(out));
  writeFileSync(join(dist, 'toolplan.schema.json'), JSON.stringify(toolPlanSchema, null, 2) + '\n');
}
if (watch) console.log('watch mode is not implemented; rerun npm run build');
console.log(`built ${present.length} bundles`);
