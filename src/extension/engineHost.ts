// The one place the extension calls the core engine: real runs on the real clock with the Node
// runners plus the vscode.* ones, simulations on the virtual clock. Bundled on its own
// (dist/engineHost.js) and loaded by plans/engine.ts on the first run or simulation, so the
// engine, the scheduler and the Node runners stay out of dist/extension.js and out of activation.
import type { EstimateTable } from '../core/analysis/durations';
import { createRealClock } from '../core/engine/clock';
import { execute } from '../core/engine/execute';
import { simulate } from '../core/engine/simulate';
import type { RunEvent, RunRecord, Runners, ToolRunner } from '../core/engine/types';
import type { Plan } from '../core/plan/types';
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
}

export async function runPlan(o: RunPlanOptions): Promise<RunRecord> {
  const cap = o.maxConcurrency !== undefined ? { maxConcurrency: o.maxConcurrency } : {};
  if (o.mode === 'simulate') {
    return simulate(o.plan, { ...cap, durations: o.durations, ...(o.estimates ? { estimates: o.estimates } : {}), signal: o.signal, onEvent: o.onEvent });
  }
  // freshModules: the extension host lives on between runs; a function module edited since is reloaded.
  const node = createNodeRunners({ cwd: o.cwd, freshModules: true });
  try {
    return await execute(o.plan, {
      runners: { ...node.runners, ...withEstimatedSimulations(node.runners.simulate, o.durations), ...o.extraRunners },
      clock: createRealClock(),
      durations: o.durations,
      signal: o.signal,
      onEvent: o.onEvent,
      ...cap,
    });
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
