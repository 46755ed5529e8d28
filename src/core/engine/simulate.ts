// Simulation: the real executor and scheduler on a virtual clock, with every tool kind stood in
// for by a wait of its duration. `predictMakespan` is the synchronous twin used by analysis: the
// same scheduler, priority and CPU sharing, no failures, no event stream.
import { availableParallelism } from 'node:os';
import type { Plan, ToolKind } from '../plan/types';
import { TOOL_KINDS } from '../plan/types';
import { toolDurations, type EstimateTable } from '../analysis/durations';
import type { Graph } from '../analysis/types';
import { simulateRunner } from '../tools/simulate';
import { VirtualClock } from './clock';
import { CpuShare } from './cpuShare';
import { execute } from './execute';
import { choosePriority } from './priority';
import { planCaps, schedulerSpec, simulateSchedule, type CpuContention } from './scheduler';
import type { RunEvent, RunRecord, Runners, SharedCores, ToolRunner } from './types';
import { seededRandom } from '../random';

export { seededRandom };

export interface SimulateOptions {
  /** Overrides plan.maxConcurrency. */
  maxConcurrency?: number;
  /** Duration per tool in plan order; default toolDurations(plan.tools, { estimates }). */
  durations?: readonly number[];
  /** Learned estimates for tools without durationMs (history.ts). */
  estimates?: EstimateTable;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
  /** Retry jitter source. Default: a fixed-seed generator, so simulations are reproducible. */
  random?: () => number;
  /** The clock to run on (e.g. to read its time afterwards). Default: a fresh VirtualClock. */
  clock?: VirtualClock;
  /** A growing plan: each tool's arrival in ms from the start (ExecuteOptions.arrivals). */
  arrivals?: readonly number[];
  /**
   * Cores the `cpu` tools share (cpuShare.ts): past this many at once they time-slice, each at
   * cores / n of a core. Default: this machine's, as analyze()'s cpu-oversubscribed check.
   */
  cores?: number;
}

/**
 * Runs the plan on a virtual clock. Every kind takes its duration; `simulate` tools also honour
 * `result`, `failTimes` and `error`; `cpu` tools share `options.cores` cores, so more of them at
 * once than cores each take longer (a duration is work on one whole core). Timeouts, retries, failure policy, limits and dedupe apply
 * exactly as in a real run. References to the output of non-simulate tools (which has no real
 * value here) are left as text rather than failing the dependent.
 */
export function simulate(plan: Plan, options: SimulateOptions = {}): Promise<RunRecord> {
  const durations = options.durations ?? toolDurations(plan.tools, options.estimates ? { estimates: options.estimates } : {});
  const clock = options.clock ?? new VirtualClock();
  const cpu = plan.tools.some((t) => t.kind === 'cpu') ? new CpuShare(clock, Math.max(1, Math.floor(options.cores ?? availableParallelism()))) : undefined;
  // The record counts a time-sliced cpu tool's own work, not its stretched wall time.
  const origin = clock.now(); // the run's start: record times are relative to it
  const shared: SharedCores | undefined = cpu
    ? { cores: cpu.cores, isCpu: Uint8Array.from(plan.tools, (t) => (t.kind === 'cpu' ? 1 : 0)), workBetween: (from, to) => cpu.workBetween(origin + from, origin + to) }
    : undefined;
  const stand: ToolRunner = {
    async run(ctx) {
      const d = durations[ctx.tool.index] ?? 0;
      if (ctx.tool.kind === 'simulate') return simulateRunner.run({ ...ctx, args: { ...ctx.args, durationMs: d } });
      if (ctx.tool.kind === 'cpu' && cpu) await cpu.compute(d, ctx.signal);
      else if (d > 0) await ctx.clock.sleep(d, ctx.signal);
      return null;
    },
  };
  const runners = Object.fromEntries(TOOL_KINDS.map((k) => [k, stand])) as Record<ToolKind, ToolRunner>;
  return execute(plan, {
    runners: runners as Runners,
    clock,
    durations,
    random: options.random ?? seededRandom(1),
    opaqueOutput: (t) => t.kind !== 'simulate',
    ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.arrivals ? { arrivals: options.arrivals } : {}),
    ...(shared ? { cpuShare: shared } : {}),
  });
}

/**
 * The makespan the scheduler achieves when every tool takes exactly its duration and succeeds.
 * Synchronous and deterministic; agrees with simulate() on such plans. With `cores`, the `cpu`
 * tools share that many cores as in simulate() (the same processor-sharing arithmetic,
 * processorSharing.ts), so 8 × 400 ms cpu tools on 4 cores predict 800 ms; without it no tool
 * is slowed by another (right for durations that were measured, contention included).
 * Pluggable as analyze()'s options.predictMakespan, which passes the cores it analyses for.
 */
export function predictMakespan(plan: Plan, graph: Graph, given: readonly number[], maxConcurrency?: number, cores?: number): number {
  const durations = cleanDurations(given, plan.tools.length);
  const base = schedulerSpec(graph, planCaps(plan, maxConcurrency), new Int32Array(0));
  const choice = choosePriority(base, durations);
  const cpu = cpuContention(plan, durations, base.maxConcurrency, cores);
  // The executor dispatches in choice.rank with contention charged on top, so the prediction does too.
  if (!cpu && !Number.isNaN(choice.makespan)) return choice.makespan;
  return simulateSchedule({ ...base, rank: choice.rank }, durations, false, cpu).makespan;
}

/** Start and end times per tool (plan order) of the predicted schedule: a Gantt chart without running. */
export function predictSchedule(plan: Plan, graph: Graph, given: readonly number[], maxConcurrency?: number, cores?: number): { makespan: number; start: Float64Array; end: Float64Array } {
  const durations = cleanDurations(given, plan.tools.length);
  const base = schedulerSpec(graph, planCaps(plan, maxConcurrency), new Int32Array(0));
  const choice = choosePriority(base, durations);
  return simulateSchedule({ ...base, rank: choice.rank }, durations, true, cpuContention(plan, durations, base.maxConcurrency, cores));
}

/**
 * The cpu tools that can contend on `cores` cores, or undefined when they never can (no cores
 * given, or no more of them with work than cores, even before the global cap): then
 * contention changes nothing and the plain schedule is exact.
 */
function cpuContention(plan: Plan, durations: Float64Array, cap: number, cores: number | undefined): CpuContention | undefined {
  if (cores === undefined || !(cores < Infinity)) return undefined;
  const c = Math.max(1, Math.floor(cores));
  const isCpu = new Uint8Array(plan.tools.length);
  let n = 0;
  for (const t of plan.tools) {
    if (t.kind !== 'cpu' || !(durations[t.index] > 0)) continue;
    isCpu[t.index] = 1;
    n++;
  }
  return Math.min(n, cap) > c ? { cores: c, isCpu } : undefined;
}

/** Durations the scheduler can use: missing, negative or non-finite entries count as 0. */
function cleanDurations(given: readonly number[], n: number): Float64Array {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = given[i];
    d[i] = Number.isFinite(x) && x > 0 ? x : 0;
  }
  return d;
}

