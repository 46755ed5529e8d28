// `fanout show RUN [--json]`: prints a saved run — a file written by runToolCalls({ recordFile })
// (*.fanoutrun.json) or the output of `fanout run --json` / `simulate --json` — as the terminal
// timeline with its summary, or with --json as the checked record. Exit 0 when the file was read,
// 2 when it could not be, with the line and column of the problem (README "Run records").
import { readRunFile } from '../../core/library/runFile';
import { renderTimeline } from '../../core/render/timeline';
import type { CliCommand } from '../io';
import { readInput } from '../input';
import { parseOrExit } from './shared';

const USAGE = 'fanout show RUN|- [--json]';
/** Run files hold every tool's output: allow more than a plan, less than a trace. */
const MAX_RUN_FILE_BYTES = 256 * 1024 * 1024;

export const showCommand: CliCommand = async (argv, io) => {
  const spec = { flags: { json: 'boolean' }, positionals: { min: 1, max: 1, names: ['RUN'] } } as const;
  const args = parseOrExit(argv, spec, 'show', USAGE, io);
  if (typeof args === 'number') return args;
  const json = args.flags.json === true;
  const input = await readInput(args.positionals[0], io, MAX_RUN_FILE_BYTES);
  const fail = (file: string, errors: readonly { message: string; line: number; column: number }[]): number => {
    for (const e of errors) io.stderr(`${file}:${e.line}:${e.column} error parse-error ${e.message}\n`);
    if (json) {
      const diagnostics = errors.map((e) => ({ code: 'parse-error', severity: 'error', message: e.message, tools: [], line: e.line, column: e.column, endLine: e.line, endColumn: e.column }));
      io.stdout(JSON.stringify({ file, valid: false, diagnostics }, null, 2) + '\n');
    }
    return 2;
  };
  if (!input.ok) {
    const message = input.message
      .replace('plans are limited', 'run files are limited').replace(' Split the plan into smaller plans.', '')
      .replace(/a plan file \([^)]*\)/, 'a run file (*.fanoutrun.json)');
    return fail(input.displayName, [{ message, line: 1, column: 1 }]);
  }
  const read = readRunFile(input.text);
  if (!read.ok) return fail(input.displayName, read.errors);
  const run = read.run;
  if (json) {
    io.stdout(JSON.stringify(run, null, run.tools.length > 5000 ? undefined : 2) + '\n');
    return 0;
  }
  const labels = new Map(run.tools.flatMap((t) => {
    const label = [t.label, t.callId].filter((x) => x !== undefined && x !== t.id).join(' ');
    return label ? [[t.id, label] as const] : [];
  }));
  if (run.recordedAt) io.stdout(`${input.displayName} · recorded ${run.recordedAt}\n`);
  io.stdout(renderTimeline(run, { width: io.columns ?? 100, color: io.isTTY, title: run.name ?? input.displayName, mode: 'run', labels }));
  return 0;
};
