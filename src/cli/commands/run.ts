// `fanout run FILE [--json] [--max-concurrency N] [--trace OUT.json]`: executes the plan for real.
// Shell commands run from the plan file's directory. SIGINT cancels the run; the record (and the
// trace) are still written with every tool's final state. Exit 0 when every tool succeeded, 1 when
// any failed, timed out, was skipped or cancelled, 2 for an invalid plan.

import { createRealClock } from '../../core/engine/clock';
import { execute } from '../../core/engine/execute';
import { createNodeRunners } from '../../core/tools';
import type { CliCommand } from '../io';
import { loadPlan } from '../input';
import { checkTracePath, maxConcurrencyFlag, printInvalid, printRecord, progressReporter, writeTrace } from './runShared';
import { parseOrExit, planDirectory } from './shared';

const USAGE = 'fanout run FILE|- [--json] [--max-concurrency N] [--trace OUT.json]';

export const runCommand: CliCommand = async (argv, io) => {
  const spec = { flags: { json: 'boolean', 'max-concurrency': 'integer', trace: 'string' }, positionals: { min: 1, max: 1, names: ['FILE'] } } as const;
  const args = parseOrExit(argv, spec, 'run', USAGE, io);
  if (typeof args === 'number') return args;
  const file = args.positionals[0];
  const trace = typeof args.flags.trace === 'string' ? args.flags.trace : undefined;
  if (trace) {
    const problem = await checkTracePath(io, trace);
    if (problem) {
      io.stderr(`fanout run: ${problem}\n`);
      return 2;
    }
  }
  const loaded = await loadPlan(file, io);
  if (!loaded.valid || !loaded.analysis) {
    printInvalid(io, loaded, args.flags.json === true);
    return 2;
  }
  const { plan, durations } = loaded.analysis;

  const stop = new AbortController();
  let interrupted = false;
  void io.interrupted.then(() => {
    interrupted = true;
    stop.abort(new Error('interrupted (SIGINT)'));
  });
  const progress = progressReporter(io, plan.tools.length);
  const { runners, dispose } = createNodeRunners({ cwd: planDirectory(io, file) });
  let record;
  try {
    record = await execute(plan, {
      runners, clock: createRealClock(), durations, signal: stop.signal, onEvent: progress.onEvent, ...maxConcurrencyFlag(args.flags),
    });
  } finally {
    progress.done();
    await dispose();
  }
  if (interrupted) io.stderr('fanout run: interrupted; running tools were cancelled.\n');
  printRecord(io, record, plan, args.flags.json === true, 'run');
  let code = record.tools.every((t) => t.status === 'succeeded') ? 0 : 1;
  if (trace) {
    const problem = await writeTrace(io, trace, record, plan);
    if (problem) {
      io.stderr(`fanout run: ${problem}\n`);
      code = 1;
    }
  }
  return code;
};
