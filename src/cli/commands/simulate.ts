// `fanout simulate FILE [--json] [--max-concurrency N] [--trace OUT.json]`: the real scheduler and
// executor on a virtual clock (instant, deterministic), using each tool's durationMs or estimate.

import { simulate } from '../../core/engine/simulate';
import type { CliCommand } from '../io';
import { loadPlan } from '../input';
import { checkTracePath, maxConcurrencyFlag, printInvalid, printRecord, writeTrace } from './runShared';
import { parseOrExit } from './shared';

const USAGE = 'fanout simulate FILE|- [--json] [--max-concurrency N] [--trace OUT.json]';

export const simulateCommand: CliCommand = async (argv, io) => {
  const spec = { flags: { json: 'boolean', 'max-concurrency': 'integer', trace: 'string' }, positionals: { min: 1, max: 1, names: ['FILE'] } } as const;
  const args = parseOrExit(argv, spec, 'simulate', USAGE, io);
  if (typeof args === 'number') return args;
  const trace = typeof args.flags.trace === 'string' ? args.flags.trace : undefined;
  if (trace) {
    const problem = await checkTracePath(io, trace);
    if (problem) {
      io.stderr(`fanout simulate: ${problem}\n`);
      return 2;
    }
  }
  const loaded = await loadPlan(args.positionals[0], io);
  if (!loaded.valid || !loaded.analysis) {
    printInvalid(io, loaded, args.flags.json === true);
    return 2;
  }
  const { plan, durations } = loaded.analysis;
  const record = await simulate(plan, { durations, ...maxConcurrencyFlag(args.flags) });
  printRecord(io, record, plan, args.flags.json === true, 'simulated');
  if (trace) {
    const problem = await writeTrace(io, trace, record, plan);
    if (problem) {
      io.stderr(`fanout simulate: ${problem}\n`);
      return 1;
    }
  }
  return 0;
};
