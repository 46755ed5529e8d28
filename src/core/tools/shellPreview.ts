// One line saying what a shell tool will do, for run confirmations (VS Code's dialog, the CLI's
// approval prompt): the command as written, where it runs — resolved, and flagged when it leaves
// the plan's folder — and what it gets from the environment beyond the default allow-list.
// Pure path arithmetic (node:path), nothing is read from disk.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { JsonObject } from '../plan/types';
import { REFERENCE_PATTERN } from '../plan/references';

export function describeShellCall(args: JsonObject, baseDir?: string): string {
  const parts = [typeof args.command === 'string' ? args.command : JSON.stringify(args.command ?? '')];
  const where = describeCwd(args.cwd, baseDir);
  if (where) parts.push(where);
  const env = args.env;
  if (env !== null && typeof env === 'object' && !Array.isArray(env)) {
    const names = Object.keys(env);
    if (names.length > 0) parts.push(`(sets ${names.join(', ')})`);
  }
  if (Array.isArray(args.inheritEnv) && args.inheritEnv.length > 0) {
    parts.push(args.inheritEnv.includes('*') ? '(inherits the whole environment)' : `(inherits also ${args.inheritEnv.join(', ')})`);
  }
  return parts.join('  ');
}

function describeCwd(cwd: unknown, baseDir: string | undefined): string | null {
  if (typeof cwd !== 'string') return null;
  if (new RegExp(REFERENCE_PATTERN.source).test(cwd)) return `(in ${cwd}, filled in from an earlier tool's output)`;
  if (baseDir === undefined) return `(in ${cwd})`;
  const abs = resolve(baseDir, cwd);
  const rel = relative(baseDir, abs);
  const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  return outside ? `(in ${abs} — outside the plan's folder)` : `(in ${abs})`;
}
