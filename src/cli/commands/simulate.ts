// `fanout simulate FILE [--json] [--max-concurrency N] [--cores N] [--trace OUT.json]`: the real
// scheduler and executor on a virtual clock (instant, deterministic), using each tool's durationMs or
// estimate. `--cores` is the machine to simulate: the `cpu` tools share that many cores (default:
// this machine's), and the analysis judges cpu-oversubscribed on it.

import { simulate } from '../../core/engine/simulate';
import type { CliCommand } from '../io';
import { loadPlanWithMcp, configErrorJson, MCP_CONFIG_FLAG } from '../mcp';
import { checkTracePath, maxConcurrencyFlag, printInvalid, printRecord, writeTrace } from './runShared';
import { writeOtlp } from './otlpOut';
import { parseOrExit } from './shared';
import { simulateStream } from '../../core/stream/run';
import { STREAM_FLAGS, STREAM_USAGE, streamChoice, warnUnclosed } from './streamFlags';

const USAGE = `fanout simulate FILE|- [--json] [--max-concurrency N] [--cores N] [--trace OUT.json] [--otlp OUT.json] [--mcp-config FILE] ${STREAM_USAGE}`;

export const simulateCommand: CliCommand = async (argv, io) => {
  const spec = { flags: { json: 'boolean', 'max-concurrency': 'integer', cores: 'integer', trace: 'string', otlp: 'string', [MCP_CONFIG_FLAG]: 'string', ...STREAM_FLAGS }, positionals: { min: 1, max: 1, names: ['FILE'] } } as const;
  const args = parseOrExit(argv, spec, 'simulate', USAGE, io);
  if (typeof args === 'number') return args;
  const trace = typeof args.flags.trace === 'string' ? args.flags.trace : undefined;
  const otlp = typeof args.flags.otlp === 'string' ? args.flags.otlp : undefined;
  for (const out of [trace, otlp]) {
    if (!out) continue;
    const problem = await checkTracePath(io, out);
    if (problem) {
      io.stderr(`fanout simulate: ${problem}\n`);
      return 2;
    }
  }
  const cores = typeof args.flags.cores === 'number' ? { cores: args.flags.cores } : {};
  const withMcp = await loadPlanWithMcp(args.positionals[0], io, args.flags, cores);
  if (!withMcp.ok) {
    io.stderr(`fanout simulate: ${withMcp.error}\n`);
    if (args.flags.json === true) io.stdout(configErrorJson(String(args.flags[MCP_CONFIG_FLAG]), withMcp.error));
    return 2;
  }
  // The servers were only needed to list their tools: a simulation calls none of them.
  await withMcp.session?.close();
  const { loaded } = withMcp;
  if (!loaded.valid || !loaded.analysis) {
    printInvalid(io, loaded, args.flags.json === true);
    return 2;
  }
  const { plan, durations } = loaded.analysis;
  const streaming = streamChoice(args.flags, plan);
  if (!streaming.ok) {
    io.stderr(`fanout simulate: ${streaming.error}.\n`);
    return 2;
  }
  const startEpochMs = Date.now();
  const record = streaming.stream
    ? await simulateStream(plan, { durations, ...maxConcurrencyFlag(args.flags), ...cores, ...streaming.stream })
    : await simulate(plan, { durations, ...maxConcurrencyFlag(args.flags), ...cores });
  warnUnclosed(io, 'simulate', record);
  printRecord(io, record, plan, args.flags.json === true, 'simulated');
  if (trace) {
    const problem = await writeTrace(io, trace, record, plan);
    if (problem) {
      io.stderr(`fanout simulate: ${problem}\n`);
      return 1;
    }
  }
  if (otlp) {
    const problem = await writeOtlp(io, otlp, record, plan, startEpochMs);
    if (problem) {
      io.stderr(`fanout simulate: ${problem}\n`);
      return 1;
    }
  }
  return 0;
};
