// Bundles the extension-host suite (test/vscode) into out/test/vscode with esbuild:
//   index.js            the extensionTestsPath module (mocha itself stays in node_modules)
//   suite/*.test.js     tests for the trusted workspace
//   untrusted/*.test.js tests for the untrusted workspace (a second launch)
//   scenarios/*.js      Playwright workbench scenarios (run by the runner in Node, not in the host)
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './install.mjs';

export const OUT = join(ROOT, 'out', 'test', 'vscode');

const common = {
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline', logLevel: 'warning',
  mainFields: ['module', 'main'], absWorkingDir: ROOT,
  external: ['vscode', 'mocha', 'playwright-core'],
};

function entries(dir) {
  const abs = join(ROOT, 'test', 'vscode', dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).filter((f) => f.endsWith('.ts')).map((f) => `test/vscode/${dir}/${f}`);
}

export async function buildSuite() {
  rmSync(OUT, { recursive: true, force: true });
  const jobs = [build({ ...common, entryPoints: ['test/vscode/index.ts'], outfile: join(OUT, 'index.js') })];
  for (const dir of ['suite', 'untrusted', 'scenarios']) {
    const list = entries(dir);
    if (list.length > 0) jobs.push(build({ ...common, entryPoints: list, outdir: join(OUT, dir) }));
  }
  await Promise.all(jobs);
}
