// The one place the extension calls the core engine: real runs on the real clock with the Node
// runners plus the vscode.* ones, simulations on the virtual clock. Bundled on its own
// (dist/engineHost.js) and loaded by plans/engine.ts on the first run or simulation, so the
// engine, the scheduler and the Node runners stay out of dist/extension.js and out of activation.
import type { EstimateTable } from '../core/analysis/durations';
import { createRealClock } from '../core/engine/clock';
import { execute } from '../core/engine/execute';
import { simulate } from '../core/engine/simulate';
import type { ApprovalGate, RunEvent, RunRecord, Runners, ToolRunner } from '../core/engine/types';
import type { Plan } from '../core/plan/types';
import { executeStream, simulateStream } from '../core/stream/run';
import { isStreamable } from '../core/stream/timing';
import type { StreamPolicy } from '../core/stream/policy';
import { createNodeRunners } from '../core/tools';
import type { RunMode } from './runBus';

export interface RunPlanOptions {
  readonly plan: Plan;
  readonly mode: RunMode;
  /** Per-tool durations from the analysis (learned estimates included), in plan order. */
  readonly durations: readonly number[];
  readonly estimates?: EstimateTable;
  readonly cwd: string;
  readonly extraRunners: Runners;
  readonly maxConcurrency?: number;
  readonly signal: AbortSignal;
  readonly onEvent: (e: RunEvent) => void;
  /** Streamed plans (DESIGN §9): when their calls start (the fanout.streamPolicy setting). */
  readonly streamPolicy?: StreamPolicy;
  /** Real runs: the approval lanes (runController gives the quick pick's approver). */
  readonly approve?: ApprovalGate;
}

/**
 * A streamed plan's predicted turn for the plan view's summary (plans/planSession.ts): the stream
 * on the virtual clock under `policy`, with the analysis's durations, as a simulation would run it.
 */
export async function predictStream(o: { readonly plan: Plan; readonly durations: readonly number[]; readonly maxConcurrency: number | undefined; readonly policy: StreamPolicy }): Promise<{ policy: StreamPolicy; makespanMs: number; waitForEndMakespanMs: number }> {
  const r = await simulateStream(o.plan, { durations: o.durations, policy: o.policy, ...(o.maxConcurrency !== undefined ? { maxConcurrency: o.maxConcurrency } : {}) });
  return { policy: o.policy, makespanMs: r.makespanMs, waitForEndMakespanMs: r.stream.waitForEndMakespanMs };
}

export async function runPlan(o: RunPlanOptions): Promise<RunRecord> {
  const cap = o.maxConcurrency !== undefined ? { maxConcurrency: o.maxConcurrency } : {};
  // A streamed plan's calls arrive as their arguments close (README "Streaming dispatch").
  const streamed = isStreamable(o.plan) ? { policy: o.streamPolicy ?? 'dispatch-on-close' } : undefined;
  if (o.mode === 'simulate') {
    const options = { ...cap, durations: o.durations, ...(o.estimates ? { estimates: o.estimates } : {}), signal: o.signal, onEvent: o.onEvent };
    return streamed ? simulateStream(o.plan, { ...options, ...streamed }) : simulate(o.plan, options);
  }
  // freshModules: the extension host lives on between runs; a function module edited since is reloaded.
  const node = createNodeRunners({ cwd: o.cwd, freshModules: true });
  try {
    const options = {
      runners: { ...node.runners, ...withEstimatedSimulations(node.runners.simulate, o.durations), ...o.extraRunners },
      clock: createRealClock(),
      durations: o.durations,
      signal: o.signal,
      onEvent: o.onEvent,
      ...cap,
      ...(o.approve ? { approve: o.approve } : {}),
    };
    return await (streamed ? executeStream(o.plan, { ...options, ...streamed }) : execute(o.plan, options));
  } finally {
    await node.dispose();
  }
}

/**
 * Imported calls are `simulate` tools without a durationMs (they carry an estimate instead). In a
 * real run they are simulated for their estimated duration, as `simulate()` does on the virtual
 * clock, rather than failing for a missing durationMs.
 */
function withEstimatedSimulations(base: ToolRunner | undefined, durations: readonly number[]): Runners {
  if (!base) return {};
  const simulate: ToolRunner = {
    run: (ctx) => (ctx.args.durationMs !== undefined
      ? base.run(ctx)
      : base.run({ ...ctx, args: { ...ctx.args, durationMs: durations[ctx.tool.index] ?? 0 } })),
  };
  return { simulate };
}
