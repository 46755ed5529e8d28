#!/usr/bin/env node
// Packages the extension as a user's clone would: the tracked and untracked-but-not-ignored files
// are copied into a fresh folder with no .git (so no remote), node_modules is linked in, and
// `npm run package` (vsce, after `npm run build` as vscode:prepublish) writes the VSIX there.
// Used by test/unit/extension/vsix.test.ts and `node scripts/vscode-test/run.mjs --vsix`.
//   node scripts/package-vsix.mjs [--out FILE]   prints the VSIX's path
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SKIP = new Set(['.git', 'node_modules', 'dist', 'out', '.test-host', 'test-results', '.vscode-test', '.fanout', '.scratch']);

/** The source files a clone would have: git's view when ROOT is a work tree, else a walk. */
function sourceFiles() {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)));
  } catch {
    const files = [];
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        if (SKIP.has(name) || name.endsWith('.vsix')) continue;
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(relative(ROOT, p));
      }
    };
    walk(ROOT);
    return files;
  }
}

/** Copies the source tree to a fresh folder and packages it there; returns the VSIX's path. */
export function packageVsix({ out } = {}) {
  const tree = mkdtempSync(join(tmpdir(), 'fanout-vsix-'));
  for (const f of sourceFiles()) {
    mkdirSync(dirname(join(tree, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(tree, f));
  }
  // Read-only use: the build and vsce need esbuild and vsce, not an install.
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'package'], { cwd: tree, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const vsix = join(tree, 'fanout.vsix');
  if (!existsSync(vsix)) throw new Error(`npm run package wrote no fanout.vsix in ${tree}`);
  if (out) {
    copyFileSync(vsix, out);
    return out;
  }
  return vsix;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--out');
  try {
    console.log(packageVsix(i > 0 ? { out: process.argv[i + 1] } : {}));
  } catch (e) {
    const err = /** @type {{ stdout?: string, stderr?: string, message: string }} */ (e);
    console.error(`package-vsix: FAILED: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    process.exit(1);
  }
}
