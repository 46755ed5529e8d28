// The host bundle budget (issue 11): dist/extension.js is what VS Code loads and parses at
// activation, so it stays under 400 KB and leaves the parts only some commands need to the lazily
// loaded bundles (src/extension/lazyBundle.ts). Reads dist/bundles.json, which `npm run build`
// writes from esbuild's metafile (scripts/build.mjs). A size, not a timing: safe to assert here.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

interface BundleReport {
  readonly minified: boolean;
  readonly extensionBudgetKB: number;
  readonly bundles: Readonly<Record<string, number>>;
  readonly extensionInputs: readonly string[];
}

function report(): BundleReport {
  const file = join(ROOT, 'dist', 'bundles.json');
  assert.ok(existsSync(file), 'dist/bundles.json is missing: run `npm run build` before the unit tests');
  const r = JSON.parse(readFileSync(file, 'utf8')) as BundleReport;
  assert.ok(r.minified, 'dist/ holds a --dev (unminified) build: run `npm run build` before the unit tests');
  return r;
}

/** Every `lazyBundle<…>('name.js')` in the host's sources. */
function lazyBundleNames(): string[] {
  const names: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/lazyBundle<[^>]*>\('([^']+)'\)/g)) names.push(m[1]);
    }
  };
  walk(join(ROOT, 'src', 'extension'));
  return names;
}

describe('host bundles', () => {
  it('dist/extension.js stays under its 400 KB budget', () => {
    const r = report();
    const bytes = r.bundles['dist/extension.js'];
    assert.equal(bytes, statSync(join(ROOT, 'dist', 'extension.js')).size, 'bundles.json describes the extension.js on disk');
    assert.ok(bytes < r.extensionBudgetKB * 1024, `dist/extension.js is ${(bytes / 1024).toFixed(0)} KB, over ${r.extensionBudgetKB} KB`);
    assert.equal(r.extensionBudgetKB, 400);
  });

  it('activation loads neither markdown-it, the course, the trace audit, the run engine nor the MCP SDK', () => {
    const inputs = report().extensionInputs;
    const forbidden = [
      /node_modules\/markdown-it\//, /node_modules\/entities\//, /node_modules\/@modelcontextprotocol\//, /node_modules\/ajv\//,
      /^src\/extension\/lessons\/(panel|markdown|race|exercises|courseView)\.ts$/, /^src\/core\/lessons\/(parse|grade|validate|load)\.ts$/,
      /^src\/core\/trace\//, /^src\/core\/engine\/(execute|recordBuilder)\.ts$/, /^src\/core\/tools\/(shell|http|cpu)\.ts$/,
    ];
    const found = inputs.filter((i) => forbidden.some((f) => f.test(i)));
    assert.deepEqual(found, [], 'these belong in a lazily loaded bundle');
    assert.ok(inputs.includes('src/extension/extension.ts'), 'the report lists extension.js inputs');
  });

  it('every lazily loaded bundle the host requires is built', () => {
    const r = report();
    const names = lazyBundleNames();
    assert.deepEqual([...new Set(names)].sort(), ['auditHost.js', 'engineHost.js', 'lessonsHost.js', 'mcpHost.js']);
    for (const n of names) assert.ok(r.bundles[`dist/${n}`] > 0 && existsSync(join(ROOT, 'dist', n)), `dist/${n} is required by the host but not built`);
  });
});
