// Pieces every subcommand shares: argument errors, help, and printing an invalid plan's
// diagnostics as `file:line:column` lines on stderr.

import { dirname, resolve } from 'node:path';
import { parseArgs, type ArgSpec, type ParsedArgs } from '../args';
import type { CliIO } from '../io';
import type { LoadedPlan } from '../input';
import { formatDiagnostic } from '../../core/render/report';
import { makeStyle } from '../../core/render/style';

/** Parses argv; on an error prints it with the usage (exit 2); on --help prints the usage (exit 0). */
export function parseOrExit(argv: readonly string[], spec: ArgSpec, command: string, usage: string, io: CliIO): ParsedArgs | number {
  const parsed = parseArgs(argv, spec);
  if (!parsed.ok) {
    io.stderr(`fanout ${command}: ${parsed.error}.\n\nUsage: ${usage}\n`);
    return 2;
  }
  if (parsed.args.help) {
    io.stdout(`Usage: ${usage}\n`);
    return 0;
  }
  return parsed.args;
}

/** Every diagnostic of an unusable plan on stderr, one `file:line:column severity code message` each. */
export function printDiagnostics(io: CliIO, loaded: LoadedPlan, onlyErrors = false): void {
  const style = makeStyle(io.isTTY);
  const ds = onlyErrors ? loaded.diagnostics.filter((d) => d.severity === 'error') : loaded.diagnostics;
  const shown = ds.slice(0, 100).map((d) => formatDiagnostic(loaded.displayName, d, style));
  if (ds.length > 100) shown.push(`… ${ds.length - 100} more (run \`fanout analyze --json\` for all)`);
  io.stderr(shown.join('\n') + '\n');
}

/** The plan's directory: shell commands and relative paths run from there, not from the caller's cwd. */
export function planDirectory(io: CliIO, file: string): string {
  if (file === '-') return io.cwd;
  return dirname(resolve(io.cwd, file));
}
