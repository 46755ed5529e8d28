// One line saying what a shell tool will do, for run confirmations (VS Code's dialog, the CLI's
// approval prompt): the command as written, the programs it starts as absolute paths (found on
// PATH from the directory it runs in: programPaths.ts), where it runs — resolved, and flagged when
// it leaves the plan's folder — and what it gets from the environment beyond the allow-list.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { JsonObject } from '../plan/types';
import { REFERENCE_PATTERN } from '../plan/references';
import { commandPrograms, findProgram } from './programPaths';

/**
 * `baseDir`: the plan's folder, where commands run unless `args.cwd` says otherwise. Without it
 * only what is written is shown (nothing is looked up).
 */
export function describeShellCall(args: JsonObject, baseDir?: string): string {
  const command = typeof args.command === 'string' ? args.command : JSON.stringify(args.command ?? '');
  const parts = [command];
  const runs = baseDir === undefined ? null : describePrograms(command, args, baseDir);
  if (runs) parts.push(runs);
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

/** `(runs /usr/bin/ls, /usr/bin/grep)`; a program that is not found is named as written. */
function describePrograms(command: string, args: JsonObject, baseDir: string): string | null {
  const names = commandPrograms(command);
  if (names.length === 0) return null;
  const cwd = typeof args.cwd === 'string' && !new RegExp(REFERENCE_PATTERN.source).test(args.cwd) ? resolve(baseDir, args.cwd) : baseDir;
  const env = args.env !== null && typeof args.env === 'object' && !Array.isArray(args.env) ? (args.env as JsonObject) : undefined;
  // The command sees args.env's PATH when it sets one.
  const path = typeof env?.PATH === 'string' ? env.PATH : process.env.PATH;
  const shown = names.map((n) => findProgram(n, cwd, path) ?? (n.includes('/') ? `${n} (not found)` : `${n} (not on PATH)`));
  return `(runs ${shown.join(', ')})`;
}

function describeCwd(cwd: unknown, baseDir: string | undefined): string | null {
  // The directory is always shown once it is known: a command's meaning depends on it.
  if (typeof cwd !== 'string') return baseDir === undefined ? null : `(in ${baseDir})`;
  if (new RegExp(REFERENCE_PATTERN.source).test(cwd)) return `(in ${cwd}, filled in from an earlier tool's output)`;
  if (baseDir === undefined) return `(in ${cwd})`;
  const abs = resolve(baseDir, cwd);
  const rel = relative(baseDir, abs);
  const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  return outside ? `(in ${abs} — outside the plan's folder)` : `(in ${abs})`;
}
