// Builds one bundle per runtime (host, CLI, webviews, the host's lazily loaded parts), as
// vscode-markdown-mermaid does. `npm run build` is the production build: minified and tree-shaken,
// with source maps beside the bundles for tests and debugging (.vscodeignore keeps them out of the
// VSIX). `--dev` skips minification; `--watch` rebuilds on change with esbuild's context API.
import { build, context } from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const dev = watch || process.argv.includes('--dev');
const dist = join(root, 'dist');
mkdirSync(join(dist, 'webview'), { recursive: true });

const production = { minify: !dev, treeShaking: true, legalComments: 'eof' };
// mainFields: jsonc-parser's UMD entry hides its requires from bundlers; its ESM build bundles cleanly.
const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', mainFields: ['module', 'main'], ...production };
const jobs = [
  // Banner and footer stamp when the bundle starts and ends evaluating, for the activation figure
  // (extension.ts). The banner repeats "use strict": a directive only counts before any statement.
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'],
    banner: { js: '"use strict";var __fanoutLoadEnd,__fanoutLoadStart=require("perf_hooks").performance.now();' },
    footer: { js: '__fanoutLoadEnd=require("perf_hooks").performance.now();' } },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // Host parts only some commands need, required on first use (src/extension/lazyBundle.ts):
  // the engine and Node runners on the first run or simulation (plans/engine.ts), the MCP SDK and
  // Ajv when a run calls MCP servers (runners/mcp.ts), markdown-it and the course
  // when the lessons open (lessons/host.ts), the trace audit when a trace is audited (audit/).
  { ...node, entryPoints: ['src/extension/engineHost.ts'], outfile: 'dist/engineHost.js' },
  { ...node, entryPoints: ['src/extension/mcpHost.ts'], outfile: 'dist/mcpHost.js' },
  { ...node, entryPoints: ['src/extension/lessonsHost.ts'], outfile: 'dist/lessonsHost.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/extension/auditHost.ts'], outfile: 'dist/auditHost.js' },
];
const webviewDir = join(root, 'src/webview');
if (existsSync(webviewDir)) {
  for (const f of readdirSync(webviewDir)) {
    if (!f.endsWith('.entry.ts')) continue;
    jobs.push({ bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: true, logLevel: 'warning', ...production,
      entryPoints: [`src/webview/${f}`], outfile: `dist/webview/${basename(f, '.entry.ts')}.js` });
  }
}
const missing = jobs.filter((j) => !existsSync(join(root, j.entryPoints[0])));
if (missing.length > 0) throw new Error(`build: entry points missing: ${missing.map((j) => j.entryPoints[0]).join(', ')}`);
if (watch) {
  // One context per bundle; each rebuilds on its own inputs' changes and reports errors without exiting.
  const contexts = await Promise.all(jobs.map((j) => context({ ...j, absWorkingDir: root, logLevel: 'info' })));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${contexts.length} bundles (Ctrl+C to stop)`);
  const stop = async () => {
    await Promise.all(contexts.map((c) => c.dispose()));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  const results = await Promise.all(jobs.map((j) => build({ ...j, absWorkingDir: root, metafile: j.outfile.startsWith('dist/') && j.platform === 'node' })));
  reportHostBundles(jobs, results);
}

/**
 * The host's bundle sizes, printed on every build, and dist/bundles.json for the unit test that
 * holds the budget (test/unit/extension/bundles.test.ts): dist/extension.js is what activation
 * loads and parses, so it must stay under EXTENSION_BUDGET_KB; the lazily loaded parts are listed
 * with the inputs extension.js must not contain. A production build above the budget fails.
 */
function reportHostBundles(list, results) {
  const EXTENSION_BUDGET_KB = 400;
  const host = list.map((j, i) => ({ j, meta: results[i].metafile })).filter(({ j, meta }) => meta && j.outfile !== 'dist/cli.js');
  const bundles = {};
  let extensionInputs = [];
  for (const { j, meta } of host) {
    const out = meta.outputs[j.outfile];
    bundles[j.outfile] = out.bytes;
    if (j.outfile === 'dist/extension.js') extensionInputs = Object.keys(out.inputs).sort();
  }
  writeFileSync(join(dist, 'bundles.json'), JSON.stringify({ minified: !dev, extensionBudgetKB: EXTENSION_BUDGET_KB, bundles, extensionInputs }, null, 2) + '\n');
  const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
  console.log(`host bundles: ${Object.entries(bundles).map(([f, b]) => `${basename(f)} ${kb(b)}`).join(', ')} (extension.js budget ${EXTENSION_BUDGET_KB} KB)`);
  const ext = bundles['dist/extension.js'];
  if (!dev && ext > EXTENSION_BUDGET_KB * 1024) {
    console.error(`build: dist/extension.js is ${kb(ext)}, over its ${EXTENSION_BUDGET_KB} KB budget: move what only some commands need into a lazily loaded bundle (src/extension/lazyBundle.ts)`);
    process.exitCode = 1;
  }
}

// Mermaid's self-contained browser build, for the tests and the bench that render the CLI's
// flowchart text in Chromium, and for the plan view's Mermaid view (loaded when the reader asks).
const mermaid = join(root, 'node_modules/mermaid/dist/mermaid.min.js');
if (existsSync(mermaid)) copyFileSync(mermaid, join(dist, 'webview/mermaid.min.js'));

// The JSON Schema is generated from the core so editor validation and the parser share one source.
const schemaModule = join(root, 'src/core/plan/schema.ts');
if (existsSync(schemaModule)) {
  const out = join(dist, 'schema-gen.cjs');
  await build({ ...node, sourcemap: false, minify: false, legalComments: 'none', entryPoints: [schemaModule], outfile: out, absWorkingDir: root });
  const { toolPlanSchema } = (await import(out)).default ?? (await import(out));
  writeFileSync(join(dist, 'toolplan.schema.json'), JSON.stringify(toolPlanSchema, null, 2) + '\n');
}
if (!watch) console.log(`built ${jobs.length} bundles${dev ? ' (dev: not minified)' : ''}`);
