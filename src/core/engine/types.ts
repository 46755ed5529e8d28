import type { JsonObject, JsonValue, ToolKind, ToolSpec } from '../plan/types';

export type ToolStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'timed-out' | 'denied';
export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

/** Everything the executor reports, with times in ms from the run start (high resolution). */
export type RunEvent =
  | { readonly type: 'run-started'; readonly at: number; readonly tools: readonly string[] }
  | { readonly type: 'queued'; readonly at: number; readonly id: string }
  // A tool of a growing plan joined the run (its arguments closed in the model's stream:
  // ExecuteOptions.arrivals, README "Streaming dispatch"); it can be queued from now on.
  | { readonly type: 'arrived'; readonly at: number; readonly id: string }
  | { readonly type: 'started'; readonly at: number; readonly id: string; readonly attempt: number }
  | { readonly type: 'attempt-failed'; readonly at: number; readonly id: string; readonly attempt: number; readonly error: string; readonly timedOut: boolean }
  // `attempt` is the attempt about to start after `delayMs` of backoff. `retryAfterMs`: the wait
  // is the one the server asked for (a 429/503 with Retry-After, README "Rate limits"); the call
  // gave its slot back meanwhile and its resource is paused as long.
  | { readonly type: 'retrying'; readonly at: number; readonly id: string; readonly attempt: number; readonly delayMs: number; readonly retryAfterMs?: number }
  // `dedupedFrom`: with plan.dedupe, the id of the identical call whose result this tool shares
  // (it never started an attempt of its own, so it has no 'started' event).
  | { readonly type: 'succeeded'; readonly at: number; readonly id: string; readonly output: JsonValue; readonly dedupedFrom?: string }
  | { readonly type: 'failed'; readonly at: number; readonly id: string; readonly error: string; readonly dedupedFrom?: string }
  | { readonly type: 'timed-out'; readonly at: number; readonly id: string; readonly error: string; readonly dedupedFrom?: string }
  | { readonly type: 'skipped'; readonly at: number; readonly id: string; readonly reason: string }
  | { readonly type: 'cancelled'; readonly at: number; readonly id: string; readonly reason: string }
  // Approval lanes (ExecuteOptions.approve, README "Approval"): a ready call that needs approval
  // waits without holding a slot; one request asks for every call that became ready together.
  // `approved` lets it be dispatched; `denied` is its final state (it never starts).
  | { readonly type: 'awaiting-approval'; readonly at: number; readonly id: string }
  | { readonly type: 'approved'; readonly at: number; readonly id: string }
  | { readonly type: 'denied'; readonly at: number; readonly id: string; readonly reason: string }
  | { readonly type: 'run-ended'; readonly at: number; readonly status: RunStatus }
  // An adaptive limit (ExecuteOptions.adaptiveLimits, README "Adaptive limits") changed: cut on
  // a 429/503 ('rate-limited') or grown by one after a window of successes ('successes').
  | { readonly type: 'limit-changed'; readonly at: number; readonly resource: string; readonly limit: number; readonly previous: number; readonly why: 'rate-limited' | 'successes' }
  // Real-tool notes from runners (RunnerContext.report): an MCP progress notification on a call,
  // and the connection to an MCP server that this call waited for (`ms` before `at`).
  | { readonly type: 'progress'; readonly at: number; readonly id: string; readonly attempt: number; readonly progress: number; readonly total?: number; readonly message?: string }
  | { readonly type: 'connected'; readonly at: number; readonly id: string; readonly server: string; readonly transport: string; readonly ms: number; readonly error?: string };

/** An MCP progress notification as recorded on its tool (README "MCP servers"). */
export interface ProgressRecord {
  readonly at: number;
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

/** A connection to an MCP server made during the run: a phase of its own on the timeline. */
export interface ConnectionRecord {
  readonly server: string;
  readonly transport: string;
  /**
   * The tool whose call opened the connection (the others on that server waited for it too);
   * absent for a connection opened before the run (to list the server's tools for analysis),
   * whose times are then negative: before the run's start.
   */
  readonly id?: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly error: string | null;
}

/** What a runner may report while an attempt runs (RunnerContext.report). */
export type RunnerNote =
  | { readonly kind: 'progress'; readonly progress: number; readonly total?: number; readonly message?: string }
  | { readonly kind: 'connected'; readonly server: string; readonly transport: string; readonly ms: number; readonly error?: string };

export interface AttemptRecord {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly error: string | null;
  /** Present (true) when this attempt ended by its timeout; the live `attempt-failed.timedOut` flag, kept in the record. */
  readonly timedOut?: true;
}

export interface ToolRecord {
  readonly id: string;
  readonly status: ToolStatus;
  readonly queuedAt: number | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly attempts: readonly AttemptRecord[];
  readonly output: JsonValue;
  readonly error: string | null;
  /** With plan.dedupe: the identical call this tool shared its result with (no attempts of its own). */
  readonly dedupedFrom?: string;
  /** MCP progress notifications received during the tool's attempts, in order. */
  readonly progress?: readonly ProgressRecord[];
  /** Runs with arrivals (streamed calls, DESIGN §9): when the tool joined the run — its arguments closed. */
  readonly readyAt?: number;
  /**
   * Present (true) when `output` is a marked truncation (valueSize.ts MAX_RECORD_OUTPUT_CHARS):
   * the record keeps a bounded amount of output; dependents received the whole output.
   */
  readonly outputTruncated?: true;
  /** Calls that waited for approval: when they were asked about and answered (null: never answered, the run stopped first). */
  readonly approval?: ApprovalRecord;
}

export interface ApprovalRecord {
  readonly askedAt: number;
  readonly answeredAt: number | null;
}

/** The contract object of `fanout simulate --json` / `fanout run --json` (DESIGN.md §3). */
export interface RunRecord {
  readonly status: RunStatus;
  readonly makespanMs: number;
  readonly sequentialMs: number;
  readonly criticalPathMs: number;
  readonly lowerBoundMs: number;
  readonly maxObservedConcurrency: number;
  /**
   * The caps the run ran under (README "Run records"), so a record read later (Open Run Record,
   * `fanout show`) can say what bounded it. Absent in records written before it existed.
   */
  readonly caps?: RunCaps;
  /** In plan order, whatever the finish order. */
  readonly tools: readonly ToolRecord[];
  /** MCP server connections opened during the run (absent when there were none). */
  readonly connections?: readonly ConnectionRecord[];
}

/** RunRecord.caps: the global cap and every per-resource limit of the run, as given. */
export interface RunCaps {
  /** The global cap in force (the run's option over the plan's `maxConcurrency`); null: unbounded. */
  readonly maxConcurrency: number | null;
  /**
   * Each limit of the plan (or of runToolCalls' `limits`): a number, or for an adaptive one the
   * range it moved in (`max` is where it started). Null-prototype: resource names are plan text.
   */
  readonly limits: Readonly<Record<string, number | AdaptiveCap>>;
}

export interface AdaptiveCap {
  readonly max: number;
  readonly adaptive: true;
  readonly min: number;
}

// ---- The executor's API. Shared by the CLI, the extension host and the benchmarks. ----

/** Time source for the scheduler. The virtual clock makes simulation instant and deterministic. */
export interface Clock {
  /** Milliseconds since the clock's origin (high resolution on the real clock). */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted (and clears its timer). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Runs `fn` once everything due at the current instant has settled. The executor dispatches
   * through it so that all tools finishing at the same instant are accounted for before the next
   * ones are chosen (the virtual clock runs it before time advances; the real clock runs it as a
   * microtask). Optional: without it the executor uses queueMicrotask.
   */
  defer?(fn: () => void): void;
}

/** What a runner receives for one attempt of one tool. */
export interface RunnerContext {
  readonly tool: ToolSpec;
  /** `tool.args` with every `${id.output…}` reference resolved against finished dependencies. */
  readonly args: JsonObject;
  /** 1-based attempt number. */
  readonly attempt: number;
  /** Aborted on timeout, fail-fast or cancellation. A runner must stop promptly when it fires. */
  readonly signal: AbortSignal;
  /** The run's clock: simulated work sleeps on it so it is instant on the virtual clock. */
  readonly clock: Clock;
  /** A line for the run log (output channel / CLI verbose). */
  readonly log?: (line: string) => void;
  /** Progress and connection notes, recorded as run events (given to runners with `reports`). */
  readonly report?: (note: RunnerNote) => void;
}

/** One runner per tool kind. Resolves with the tool's output; rejects (an Error) on failure. */
export interface ToolRunner {
  run(ctx: RunnerContext): Promise<JsonValue>;
  /** The runner reports progress/connection notes: its contexts get `report`. */
  readonly reports?: boolean;
}

export type Runners = Readonly<Partial<Record<ToolKind, ToolRunner>>>;

/** One call in an approval request: its arguments with references to finished tools resolved. */
export interface ApprovalRequest {
  readonly tool: ToolSpec;
  readonly args: JsonObject;
}

/** The answer for one call: allowed, or denied (with the reason recorded as its error). */
export type ApprovalVerdict = boolean | { readonly allowed: false; readonly reason: string };

/**
 * The approval gate (README "Approval"). Calls for which `needs` is true wait, once ready, for a
 * verdict without holding a slot while the others run; the calls that become ready together are
 * asked about in one `decide` call (one prompt), whose verdicts come in the same order — all at
 * once, or one promise per call when each call is decided on its own (the library's approve(call)).
 * A denied call ends `denied` and its dependents are skipped; a `decide` that throws or rejects
 * denies its batch. `signal` fires when the run stops (cancel, fail-fast): close the prompt.
 */
export interface ApprovalGate {
  needs(tool: ToolSpec): boolean;
  decide(batch: readonly ApprovalRequest[], signal: AbortSignal): readonly (ApprovalVerdict | Promise<ApprovalVerdict>)[] | Promise<readonly ApprovalVerdict[]>;
}

export interface ExecuteOptions {
  readonly runners: Runners;
  readonly clock: Clock;
  /** Overrides plan.maxConcurrency (CLI --max-concurrency). */
  readonly maxConcurrency?: number;
  /** Per-tool duration estimates in plan order (priority and sequential/critical-path figures). */
  readonly durations?: readonly number[];
  /** Cancels the whole run; every tool still gets a final state. */
  readonly signal?: AbortSignal;
  /** Every event, in order, as it happens. */
  readonly onEvent?: (event: RunEvent) => void;
  /** Random source for retry jitter (tests pass a seeded one). Default Math.random. */
  readonly random?: () => number;
  /** Receives runners' log lines (RunnerContext.log), tagged with the tool id. */
  readonly log?: (id: string, line: string) => void;
  /**
   * Tools whose output does not really exist (simulated non-simulate tools): references to them
   * are left as text instead of failing the dependent. Used by simulate().
   */
  readonly opaqueOutput?: (tool: ToolSpec) => boolean;
  /** Simulation budget for choosing the dispatch priority (see engine/priority.ts). */
  readonly priorityBudget?: number;
  /**
   * A plan that grows (DESIGN §9): the instant, in ms from the run start, at which each tool (plan
   * order) joins the run — a streamed call's arguments closing. A tool is not queued before its
   * arrival, and otherwise scheduled like any other. Arrivals are waited for on `clock`, so the
   * virtual and the real clock behave alike. Each tool then gets `readyAt` in the record.
   * Dependencies must be on tools that arrive no later (src/core/stream builds these).
   */
  readonly arrivals?: readonly number[];
  /**
   * The longest Retry-After (README "Rate limits") a run waits before retrying; a call told to
   * wait longer fails at once with the server's wait in its error. Default 60 000 ms.
   */
  readonly maxRetryAfterMs?: number;
  /**
   * Resources whose limit (plan.limits) adapts to the service, AIMD (README "Adaptive limits"):
   * halved on a 429/503, one more after a window of successes, never below `min` (default 1)
   * nor above the plan's limit, where it starts.
   */
  readonly adaptiveLimits?: Readonly<Record<string, { readonly min?: number }>>;
  /** Approval lanes: which calls wait for approval and who decides (see ApprovalGate). */
  readonly approve?: ApprovalGate;
  /**
   * Simulated CPU sharing (simulate() with `cpu` tools, cpuShare.ts): the record's sequential
   * figure, critical path and lower bound then count each tool's own work, not its time-sliced
   * wall time, and the lower bound includes the cpu work over the cores.
   */
  readonly cpuShare?: SharedCores;
}

/** The cores `cpu` tools shared in a simulation, and what the sharing cost each tool. */
export interface SharedCores {
  readonly cores: number;
  /** 1 for a tool whose work is charged on the shared cores, per tool in plan order. */
  readonly isCpu: ArrayLike<number>;
  /**
   * The work (ms of one core) a `cpu` tool computing from `fromMs` to `toMs` (ms from the run
   * start) got done: less than the wall time while more tools computed than there were cores.
   */
  workBetween(fromMs: number, toMs: number): number;
}
