// A streamed turn on the engine (DESIGN §9): the calls of a recorded stream join the run when
// their arguments close (ExecuteOptions.arrivals), under a policy, on any clock. The record gains
// `stream: { endMs, waitForEndMakespanMs }` and every tool `readyAt`, so one run states what
// dispatch-on-close saved against waiting for the end of the stream.
import { buildGraph } from '../analysis/graph';
import { longestPath } from '../graph';
import { toolDurations } from '../analysis/durations';
import { execute } from '../engine/execute';
import { predictMakespan, simulate, type SimulateOptions } from '../engine/simulate';
import type { ExecuteOptions, RunRecord } from '../engine/types';
import type { Plan, UnclosedCall } from '../plan/types';
import { arrivalsFor, DEFAULT_STREAM_POLICY, type StreamPolicy } from './policy';
import { streamTiming, type StreamTiming, type StreamTimingOptions } from './timing';

/** The `stream` object of `simulate|run --json` on a stream (DESIGN §9, plus the policy and timing used). */
export interface StreamRunInfo {
  /** The stream's end on the run's clock (ms from its first event = the run start). */
  readonly endMs: number;
  /** The makespan the same calls would have had if started at the stream's end (wait-for-end). */
  readonly waitForEndMakespanMs: number;
  readonly policy: StreamPolicy;
  /** `recorded` timestamps, or `token-rate` at `tokensPerSecond`. */
  readonly timing: StreamTiming['source'];
  readonly tokensPerSecond?: number;
  /** Calls whose arguments never closed (plan.stream.unclosed): reported, never run. */
  readonly unclosed?: readonly UnclosedCall[];
}

export type StreamRunRecord = RunRecord & { readonly stream: StreamRunInfo };

export interface StreamOptions {
  /** Default dispatch-on-close. */
  readonly policy?: StreamPolicy;
  readonly timing?: StreamTimingOptions;
}

function info(plan: Plan, timing: StreamTiming, policy: StreamPolicy, waitForEndMakespanMs: number): StreamRunInfo {
  const unclosed = plan.stream?.unclosed;
  return {
    endMs: timing.endMs, waitForEndMakespanMs, policy, timing: timing.source,
    ...(timing.tokensPerSecond !== undefined ? { tokensPerSecond: timing.tokensPerSecond } : {}),
    ...(unclosed && unclosed.length > 0 ? { unclosed } : {}),
  };
}

/**
 * `readyAt` is when a call's arguments closed (DESIGN §9). Under dispatch-on-close that is its
 * arrival; under wait-for-end the calls arrive at the end, but closed earlier.
 */
function closedAt(record: RunRecord, timing: StreamTiming, policy: StreamPolicy): RunRecord {
  if (policy !== 'wait-for-end') return record;
  return { ...record, tools: record.tools.map((t, i) => ({ ...t, readyAt: timing.closeMs[i] ?? t.readyAt })) };
}

/**
 * Puts `stream` after the run's figures and before `tools` in the JSON. A streamed turn cannot end
 * before the stream does, nor a call before its close plus its own time (and its dependencies'):
 * the lower bound says so, as the lesson `streaming-dispatch` teaches (`max(stream end, close + duration)`), rather
 * than the plan's bound alone, which ignored the stream and sat far below any possible makespan.
 */
function withStream(plan: Plan, record: RunRecord, stream: StreamRunInfo, timing: StreamTiming): StreamRunRecord {
  const { tools, ...figures } = record;
  const lowerBoundMs = Math.max(figures.lowerBoundMs, stream.endMs, streamedCriticalPath(plan, record, timing));
  return { ...figures, lowerBoundMs, stream, tools };
}

/** The earliest end with unlimited slots when each call starts no sooner than it closed. */
function streamedCriticalPath(plan: Plan, record: RunRecord, timing: StreamTiming): number {
  const { graph } = buildGraph(plan);
  if (!graph) return 0;
  const took = record.tools.map((t) => (t.startedAt !== null && t.endedAt !== null ? t.endedAt - t.startedAt : 0));
  return longestPath(graph.preds, took, undefined, timing.closeMs);
}

/**
 * The streamed turn on a virtual clock, under `policy`; wait-for-end is simulated too (the same
 * engine and durations, every call arriving at the stream's end), for `waitForEndMakespanMs`.
 */
export async function simulateStream(plan: Plan, options: SimulateOptions & StreamOptions = {}): Promise<StreamRunRecord> {
  const timing = streamTiming(plan, options.timing);
  const policy = options.policy ?? DEFAULT_STREAM_POLICY;
  const { policy: _p, timing: _t, ...sim } = options;
  const record = closedAt(await simulate(plan, { ...sim, arrivals: arrivalsFor(timing, policy) }), timing, policy);
  const wait = policy === 'wait-for-end' ? record : await simulate(plan, { ...sim, clock: undefined, onEvent: undefined, arrivals: arrivalsFor(timing, 'wait-for-end') });
  return withStream(plan, record, info(plan, timing, policy, wait.makespanMs), timing);
}

/**
 * The streamed turn for real (any clock: the calls join as the recording's times come round).
 * `waitForEndMakespanMs` is the stream's end plus the scheduler's makespan for the durations this
 * run measured (a simulation: the calls are not run twice).
 */
export async function executeStream(plan: Plan, options: Omit<ExecuteOptions, 'arrivals'> & StreamOptions): Promise<StreamRunRecord> {
  const timing = streamTiming(plan, options.timing);
  const policy = options.policy ?? DEFAULT_STREAM_POLICY;
  const { policy: _p, timing: _t, ...exec } = options;
  const record = closedAt(await execute(plan, { ...exec, arrivals: arrivalsFor(timing, policy) }), timing, policy);
  if (policy === 'wait-for-end') return withStream(plan, record, info(plan, timing, policy, record.makespanMs), timing);
  return withStream(plan, record, info(plan, timing, policy, timing.endMs + measuredMakespan(plan, record, options)), timing);
}

/** The scheduler's makespan with each tool taking what it took in `record` (its estimate if it never ran). */
function measuredMakespan(plan: Plan, record: RunRecord, options: Pick<ExecuteOptions, 'durations' | 'maxConcurrency'>): number {
  const { graph } = buildGraph(plan);
  if (!graph) return record.makespanMs;
  const planned = options.durations ?? toolDurations(plan.tools);
  const measured = record.tools.map((t, i) => (t.startedAt !== null && t.endedAt !== null ? t.endedAt - t.startedAt : planned[i] ?? 0));
  return predictMakespan(plan, graph, measured, options.maxConcurrency);
}
