// `fanout audit TRACE [--json] [--max-concurrency N]`: what an agent's trace shows (DESIGN §10).
// Exit 0 when the trace was read (whatever was found), 2 when it could not be read, with the
// position of the problem.
import { auditJson, auditTrace, writeAuditJson } from '../../core/trace/audit';
import { MAX_TRACE_BYTES } from '../../core/trace/read';
import { TraceError } from '../../core/trace/model';
import { renderAuditReport } from '../../core/trace/report';
import type { CliCommand } from '../io';
import { readInput } from '../readText';
import { parseOrExit } from './shared';

const USAGE = 'fanout audit TRACE|- [--json] [--max-concurrency N]';

/**
 * FANOUT_AUDIT_TIMES=1: one line on stderr with the milliseconds since the process started at
 * which each stage ended (start = this command began, input = the file read and decoded, then
 * auditTrace's stages, output = the report written), so the bench can account for a whole
 * process's time, not only the in-process stages (docs/audit.md, "Cost").
 */
function stageClock(io: Parameters<CliCommand>[1]): { mark(stage: string): void; report(): void } | undefined {
  if (process.env.FANOUT_AUDIT_TIMES !== '1') return undefined;
  const marks: string[] = [];
  const mark = (stage: string): void => {
    marks.push(`${stage}=${performance.now().toFixed(1)}`);
  };
  mark('start');
  return { mark, report: () => io.stderr(`fanout-audit-times ${marks.join(' ')}\n`) };
}

export const auditCommand: CliCommand = async (argv, io) => {
  const clock = stageClock(io);
  const spec = { flags: { json: 'boolean', 'max-concurrency': 'integer' }, positionals: { min: 1, max: 1, names: ['TRACE'] } } as const;
  const args = parseOrExit(argv, spec, 'audit', USAGE, io);
  if (typeof args === 'number') return args;
  const json = args.flags.json === true;
  const input = await readInput(args.positionals[0], io, MAX_TRACE_BYTES);
  clock?.mark('input');
  const fail = (file: string, message: string, line = 1, column = 1): number => {
    io.stderr(`${file}:${line}:${column} error parse-error ${message}\n`);
    if (json) {
      io.stdout(JSON.stringify({ file, valid: false, diagnostics: [{ code: 'parse-error', severity: 'error', message, tools: [], line, column, endLine: line, endColumn: column, lesson: 'plan-format' }] }, null, 2) + '\n');
    }
    return 2;
  };
  if (!input.ok) return fail(input.displayName, input.message.replace('plans are limited', 'traces are limited').replace('Split the plan into smaller plans.', 'Export fewer spans.'));
  let result;
  try {
    const cap = args.flags['max-concurrency'];
    result = auditTrace(input.text, { ...(typeof cap === 'number' ? { maxConcurrency: cap } : {}), ...(clock ? { onStage: clock.mark } : {}) });
  } catch (err) {
    if (err instanceof TraceError) return fail(input.displayName, err.message, err.line, err.column);
    throw err;
  }
  // Indented like the other commands' JSON, except for very large traces, where indentation
  // doubles the output and its cost; those are written in pieces, never held whole (the same text).
  if (json && result.rebuilt.tools.length > 5000) {
    writeAuditJson(input.displayName, result, io.stdout);
    io.stdout('\n');
  } else if (json) io.stdout(JSON.stringify(auditJson(input.displayName, result), null, 2) + '\n');
  else io.stdout(renderAuditReport(input.displayName, result, { color: io.isTTY, width: io.columns ?? 100 }));
  clock?.mark('output');
  clock?.report();
  return 0;
};
