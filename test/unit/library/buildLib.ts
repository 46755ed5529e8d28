// Builds dist/lib (scripts/build-lib.mjs: the package's bundles and declarations) once per mocha
// process, for the tests that use the package as a user does (npm pack, examples/).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
let built = false;

export function buildLibOnce(): void {
  if (built) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-lib.mjs')], { cwd: ROOT, stdio: 'pipe' });
  built = true;
}
