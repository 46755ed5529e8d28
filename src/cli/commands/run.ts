// `fanout run FILE [--json] [--max-concurrency N] [--trace OUT.json]`: executes the plan for real.
// Shell commands run from the plan file's directory. SIGINT cancels the run; the record (and the
// trace) are still written with every tool's final state. Exit 0 when every tool succeeded, 1 when
// any failed, timed out, was skipped, cancelled or denied, 2 for an invalid plan (or a run refused
// because calls need approval and there is no terminal to ask on: README "Approval").

import { createRealClock } from '../../core/engine/clock';
import { execute } from '../../core/engine/execute';
import { createNodeRunners } from '../../core/tools';
import { createMcpRunner } from '../../core/tools/mcp/runner';
import { createFunctionRunner, withFunctionAnnotations } from '../../core/tools/function';
import type { CliCommand, StopSignal } from '../io';
import { performance } from 'node:perf_hooks';
import type { RunEvent } from '../../core/engine/types';
import { createSession, loadPlanWithMcp, configErrorJson, MCP_CONFIG_FLAG, needsSession, withEarlyConnections, withServerAnnotations } from '../mcp';
import { checkTracePath, maxConcurrencyFlag, printInvalid, printRecord, progressReporter, writeTrace } from './runShared';
import { writeOtlp } from './otlpOut';
import { parseOrExit, planDirectory } from './shared';
import { envPatternProblem } from '../../core/tools/shellEnv';
import { executeStream } from '../../core/stream/run';
import { STREAM_FLAGS, STREAM_USAGE, streamChoice, warnUnclosed } from './streamFlags';
import { APPROVE_FLAG, NEEDS_APPROVAL_FLAG, mcpApprovalDependsOnAnnotations, setupApproval } from '../approval';

/** `--inherit-env AWS_PROFILE,AWS_*`: more host variables for shell tools (README "Shell environment"). */
function inheritEnvFlag(v: unknown): readonly string[] | string {
  if (v === undefined) return [];
  const list = String(v).split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of list) {
    const problem = envPatternProblem(p);
    if (problem) return `--inherit-env: ${problem}.`;
  }
  return list;
}

const USAGE = `fanout run FILE|- [--json] [--max-concurrency N] [--trace OUT.json] [--otlp OUT.json] [--mcp-config FILE] [--inherit-env NAMES] ${STREAM_USAGE} [--approve all|read-only|prompt] [--needs-approval KINDS]`;

export const runCommand: CliCommand = async (argv, io) => {
  const spec = { flags: { json: 'boolean', 'max-concurrency': 'integer', trace: 'string', otlp: 'string', [MCP_CONFIG_FLAG]: 'string', 'inherit-env': 'string', [APPROVE_FLAG]: 'string', [NEEDS_APPROVAL_FLAG]: 'string', ...STREAM_FLAGS }, positionals: { min: 1, max: 1, names: ['FILE'] } } as const;
  const args = parseOrExit(argv, spec, 'run', USAGE, io);
  if (typeof args === 'number') return args;
  const file = args.positionals[0];
  const trace = typeof args.flags.trace === 'string' ? args.flags.trace : undefined;
  const otlp = typeof args.flags.otlp === 'string' ? args.flags.otlp : undefined;
  const inheritEnv = inheritEnvFlag(args.flags['inherit-env']);
  if (typeof inheritEnv === 'string') {
    io.stderr(`fanout run: ${inheritEnv}\n`);
    return 2;
  }
  for (const out of [trace, otlp]) {
    if (!out) continue;
    const problem = await checkTracePath(io, out);
    if (problem) {
      io.stderr(`fanout run: ${problem}\n`);
      return 2;
    }
  }
  // Listening before the plan is loaded: with --mcp-config, servers start while it is analysed.
  const stop = new AbortController();
  let interrupted: StopSignal | undefined;
  void io.interrupted.then((signal) => {
    interrupted = signal;
    stop.abort(new Error(`interrupted (${signal})`));
  });
  const withMcp = await loadPlanWithMcp(file, io, args.flags);
  if (!withMcp.ok) {
    io.stderr(`fanout run: ${withMcp.error}\n`);
    if (args.flags.json === true) io.stdout(configErrorJson(String(args.flags[MCP_CONFIG_FLAG]), withMcp.error));
    return 2;
  }
  const { loaded } = withMcp;
  if (!loaded.valid || !loaded.analysis) {
    await withMcp.session?.close();
    printInvalid(io, loaded, args.flags.json === true);
    return 2;
  }
  const { durations } = loaded.analysis;
  const streaming = streamChoice(args.flags, loaded.analysis.plan);
  if (!streaming.ok) {
    await withMcp.session?.close();
    io.stderr(`fanout run: ${streaming.error}.\n`);
    return 2;
  }
  const cwd = planDirectory(io, file);
  // Functions may state their safety (fn.annotations): it counts for serialWrites in this run.
  let plan = await withFunctionAnnotations(loaded.analysis.plan, createFunctionRunner({ baseDir: cwd }));
  let session = withMcp.session;
  if (!session && needsSession(plan, undefined)) {
    session = createSession(plan, undefined, cwd);
    // serialWrites locks, and approval holds or denies, every call not known to be read-only:
    // list the plan's servers first, on the session the calls then use (one client per server),
    // so the servers' annotations free the read-only ones (those connections are recorded before
    // the run). A call is read-only only when the server (or the plan) says so.
    const unknown = plan.tools.some((t) => t.kind === 'mcp' && t.annotations?.readOnlyHint === undefined);
    if (unknown && (plan.serialWrites || mcpApprovalDependsOnAnnotations(args.flags))) {
      plan = await withServerAnnotations(plan, session);
    }
  }

  // Approval before anything runs: refused here (exit 2) when calls need it and nobody can be asked.
  // While a question is on the terminal the progress line stays quiet, so it does not overwrite it.
  let asking = false;
  const ask = io.ask;
  const approval = setupApproval(
    args.flags, plan,
    ask ? async (q, signal) => {
      asking = true;
      try {
        return await ask(q, signal);
      } finally {
        asking = false;
      }
    } : undefined,
    (text) => io.stderr(text),
  );
  if (!approval.ok) {
    await session?.close();
    io.stderr(`fanout run: ${approval.error}\n`);
    return 2;
  }
  const progressIo = io.progress ? { ...io, progress: (line: string) => { if (!asking) io.progress?.(line); } } : io;
  const progress = progressReporter(progressIo, plan.tools.length);
  const { runners, dispose } = createNodeRunners({ cwd, inheritEnv, ...(session ? { mcp: { runner: createMcpRunner(session), close: () => session.close() } } : {}) });
  let record;
  let runStartWall = performance.now();
  const onEvent = (e: RunEvent): void => {
    if (e.type === 'run-started') runStartWall = performance.now();
    progress.onEvent(e);
  };
  const startEpochMs = Date.now();
  try {
    const options = {
      runners, clock: createRealClock(), durations, signal: stop.signal, onEvent, ...maxConcurrencyFlag(args.flags),
      ...(approval.approve ? { approve: approval.approve } : {}),
    };
    record = streaming.stream ? await executeStream(plan, { ...options, ...streaming.stream }) : await execute(plan, options);
  } finally {
    progress.done();
    await dispose();
  }
  if (session) record = withEarlyConnections(record, session, runStartWall);
  warnUnclosed(io, 'run', record);
  if (interrupted) io.stderr(`fanout run: interrupted (${interrupted}); running tools were cancelled.\n`);
  printRecord(io, record, plan, args.flags.json === true, 'run');
  let code = record.tools.every((t) => t.status === 'succeeded') ? 0 : 1;
  if (trace) {
    const problem = await writeTrace(io, trace, record, plan);
    if (problem) {
      io.stderr(`fanout run: ${problem}\n`);
      code = 1;
    }
  }
  if (otlp) {
    const problem = await writeOtlp(io, otlp, record, plan, startEpochMs);
    if (problem) {
      io.stderr(`fanout run: ${problem}\n`);
      code = 1;
    }
  }
  // The record and trace are written. A run a signal stopped has cancelled tools: exit 1, as
  // DESIGN §3 says of any cancelled run (README "The CLI").
  return interrupted ? 1 : code;
};
