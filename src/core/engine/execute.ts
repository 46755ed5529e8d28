// The executor: drives the scheduler with real runners on any Clock. Every tool ends in exactly
// one final state and the returned promise never rejects for tool failures, timeouts or
// cancellation (only for a bug in the engine itself).
//
// Choices worth knowing:
// - Dispatch goes through Clock.defer: everything that finishes at one instant is accounted for
//   before the next tools are chosen. On the virtual clock this makes runs match predictMakespan.
// - A tool waiting out a retry backoff keeps its slot (the backoff exists to relieve the resource,
//   so handing the slot to the next call on that resource would defeat it).
// - Cancellation (options.signal): running and backing-off tools become `cancelled`, and so do
//   tools that had not started (they did not fail or depend on a failure: the run was stopped).
//   fail-fast: the failure's running siblings become `cancelled`, the rest `skipped`.
// - Dedupe (plan.dedupe) compares calls AFTER reference resolution (kind + canonical args), so two
//   calls that only look alike before their inputs are known are not merged. The later call holds
//   no slot while it waits for its twin, and shares its outcome.
import type { JsonObject, JsonValue, Plan, ToolSpec } from '../plan/types';
import { buildGraph } from '../analysis/graph';
import { toolDurations } from '../analysis/durations';
import type { Graph } from '../analysis/types';
import type { Clock, ExecuteOptions, RunEvent, RunRecord, RunStatus, ToolRunner } from './types';
import { RunRecordBuilder } from './recordBuilder';
import { Scheduler, ToolState, planCaps, schedulerSpec, type Caps } from './scheduler';
import { choosePriority } from './priority';
import { callKey, hasReferences, resolveArgs } from './resolve';

export const DEFAULT_RETRY_DELAY_MS = 100;
/** Backoff never grows past this, however many retries a plan asks for. */
export const MAX_RETRY_DELAY_MS = 60_000;

/** The abort reason of an attempt that ran out of time. */
export class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/** The abort reason when the run (not the attempt) is stopped: cancellation or fail-fast. */
export class RunStoppedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunStoppedError';
  }
}

export function execute(plan: Plan, options: ExecuteOptions): Promise<RunRecord> {
  return new Promise<RunRecord>((resolve, reject) => {
    try {
      new Run(plan, options, resolve, reject).start();
    } catch (e) {
      reject(e);
    }
  });
}

/** Message for a tool whose kind has no runner in this host. */
export function missingRunnerMessage(kind: string): string {
  if (kind === 'vscode.lm' || kind === 'vscode.command') return `${kind} tools only run inside VS Code.`;
  return `No runner for '${kind}' tools in this host.`;
}

/**
 * The delay before retry number `retry` (1-based): exponential backoff with "equal jitter", i.e.
 * half the exponential step plus a random part of the other half. Jitter spreads out retries of
 * calls that failed together, so they do not hit a recovering service all at once.
 */
export function retryDelay(baseMs: number, retry: number, random: () => number): number {
  const step = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** (retry - 1));
  return step / 2 + (step / 2) * random();
}

type Outcome =
  | { readonly kind: 'succeeded'; readonly output: JsonValue }
  | { readonly kind: 'failed' | 'timed-out'; readonly error: string };

interface Active {
  /** Aborts the current attempt (or the backoff wait). */
  ctl: AbortController;
  /** Set while this tool waits for an identical call (dedupe). */
  waitingFor?: number;
}

interface DedupeEntry {
  readonly leader: number;
  outcome?: Outcome;
  readonly waiters: number[];
}

class Run {
  private readonly clock: Clock;
  private readonly t0: number;
  private readonly builder: RunRecordBuilder;
  private readonly graph?: Graph;
  private readonly caps: Caps;
  private readonly sched?: Scheduler;
  private readonly outputs: (JsonValue | undefined)[];
  private readonly active = new Map<number, Active>();
  private readonly hasRefs: Uint8Array;
  private readonly dedupe = new Map<string, DedupeEntry>();
  private readonly dedupeKeyOf = new Map<number, string>();
  private readonly random: () => number;
  private readonly opaque: (id: string) => boolean;
  private pumpScheduled = false;
  private halted: { readonly status: RunStatus; readonly reason: string } | null = null;
  private anyUnsuccessful = false;
  private ended = false;
  private onAbort?: () => void;

  constructor(
    private readonly plan: Plan,
    private readonly options: ExecuteOptions,
    private readonly resolve: (r: RunRecord) => void,
    private readonly reject: (e: unknown) => void,
  ) {
    this.clock = options.clock;
    this.t0 = this.clock.now();
    this.random = options.random ?? Math.random;
    const n = plan.tools.length;
    this.outputs = new Array<JsonValue | undefined>(n);
    this.hasRefs = new Uint8Array(n);
    this.caps = planCaps(plan, options.maxConcurrency);
    const { graph } = buildGraph(plan);
    this.graph = graph;
    this.builder = new RunRecordBuilder({ ids: plan.tools.map((t) => t.id), preds: graph?.preds, maxConcurrency: this.caps.maxConcurrency });
    const opaqueOutput = options.opaqueOutput;
    const indexOf = graph?.indexOf;
    this.opaque = opaqueOutput && indexOf
      ? (id) => {
          const i = indexOf.get(id);
          return i !== undefined && opaqueOutput(plan.tools[i]);
        }
      : () => false;
    if (!graph) return;
    for (let i = 0; i < n; i++) if (hasReferences(plan.tools[i].args)) this.hasRefs[i] = 1;
    const durations = options.durations ?? toolDurations(plan.tools);
    const base = schedulerSpec(graph, this.caps, new Int32Array(0));
    const { rank } = choosePriority(base, durations, options.priorityBudget !== undefined ? { budget: options.priorityBudget } : {});
    this.sched = new Scheduler({ ...base, rank });
  }

  private at(): number {
    return this.clock.now() - this.t0;
  }

  private emit(e: RunEvent): void {
    this.builder.add(e);
    const listener = this.options.onEvent;
    if (listener) {
      try {
        listener(e);
      } catch {
        // A broken listener (UI, log) must not break the run or lose tool states.
      }
    }
  }

  start(): void {
    this.emit({ type: 'run-started', at: this.at(), tools: this.plan.tools.map((t) => t.id) });
    const sched = this.sched;
    if (!sched) {
      const { diagnostics } = buildGraph(this.plan);
      const why = diagnostics.find((d) => d.severity === 'error')?.message ?? 'its dependencies cannot be resolved';
      for (const t of this.plan.tools) this.emit({ type: 'skipped', at: this.at(), id: t.id, reason: `the plan is invalid: ${why}` });
      this.end('failed');
      return;
    }
    this.emitQueued();
    const signal = this.options.signal;
    if (signal) {
      if (signal.aborted) {
        this.halt('cancelled', runCancelledReason(signal));
        this.checkEnd();
        return;
      }
      this.onAbort = () => this.guard(() => {
        this.halt('cancelled', runCancelledReason(signal));
        this.checkEnd();
      });
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
    this.schedulePump();
    this.checkEnd();
  }

  /** Runs engine code from a callback; an engine bug rejects the run instead of hanging it. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (!this.ended) {
        this.ended = true;
        this.detach();
        this.reject(e);
      }
    }
  }

  private emitQueued(): void {
    const sched = this.sched as Scheduler;
    const fresh = sched.takeNewlyReady();
    if (fresh.length === 0) return;
    const at = this.at();
    for (const i of fresh) this.emit({ type: 'queued', at, id: this.plan.tools[i].id });
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.halted) return;
    this.pumpScheduled = true;
    const run = (): void => this.guard(() => this.pump());
    if (this.clock.defer) this.clock.defer(run);
    else queueMicrotask(run);
  }

  private pump(): void {
    this.pumpScheduled = false;
    const sched = this.sched as Scheduler;
    while (!this.halted) {
      const i = sched.next();
      if (i < 0) break;
      this.startTool(i);
    }
    this.checkEnd();
  }

  private startTool(i: number): void {
    const tool = this.plan.tools[i];
    const runner = this.options.runners[tool.kind];
    if (!runner) {
      this.finish(i, { kind: 'failed', error: missingRunnerMessage(tool.kind) });
      return;
    }
    let args = tool.args;
    if (this.hasRefs[i]) {
      const r = resolveArgs(tool.args, (id) => {
        const j = this.graph?.indexOf.get(id);
        const v = j === undefined ? undefined : this.outputs[j];
        return v === undefined ? { found: false } : { found: true, value: v };
      }, this.opaque);
      if (!r.ok) {
        this.finish(i, { kind: 'failed', error: `cannot resolve arguments: ${r.error}` });
        return;
      }
      args = r.args;
    }
    if (this.plan.dedupe) {
      const key = callKey(tool.kind, args);
      const entry = this.dedupe.get(key);
      if (entry) {
        const leader = this.plan.tools[entry.leader].id;
        if (entry.outcome) {
          this.finish(i, shared(entry.outcome, leader), leader);
        } else {
          (this.sched as Scheduler).release(i);
          entry.waiters.push(i);
          this.active.set(i, { ctl: new AbortController(), waitingFor: entry.leader });
          this.schedulePump();
        }
        return;
      }
      this.dedupe.set(key, { leader: i, waiters: [] });
      this.dedupeKeyOf.set(i, key);
    }
    this.attempt(i, tool, runner, args, 1);
  }

  private attempt(i: number, tool: ToolSpec, runner: ToolRunner, args: JsonObject, attempt: number): void {
    const ctl = new AbortController();
    this.active.set(i, { ctl });
    this.emit({ type: 'started', at: this.at(), id: tool.id, attempt });
    const timeoutMs = tool.timeoutMs ?? this.plan.defaults.timeoutMs;
    let timer: AbortController | undefined;
    let settled = false;
    const settle = (result: { ok: true; value: JsonValue } | { ok: false; error: unknown }): void => {
      if (settled) return;
      settled = true;
      timer?.abort();
      this.guard(() => this.attemptEnded(i, tool, runner, args, attempt, result));
    };
    // The abort listener ends the attempt at once, so a runner that ignores its signal cannot
    // hold up the run: its eventual result is ignored.
    ctl.signal.addEventListener('abort', () => settle({ ok: false, error: ctl.signal.reason }), { once: true });
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0) {
      timer = new AbortController();
      this.clock.sleep(timeoutMs, timer.signal).then(() => ctl.abort(new TimeoutError(timeoutMs)), () => undefined);
    }
    let promise: Promise<JsonValue>;
    try {
      promise = runner.run({
        tool, args, attempt, signal: ctl.signal, clock: this.clock,
        ...(this.options.log ? { log: (line: string) => this.options.log?.(tool.id, line) } : {}),
      });
    } catch (e) {
      promise = Promise.reject(e);
    }
    Promise.resolve(promise).then(
      (value) => settle({ ok: true, value: value === undefined ? null : value }),
      (error: unknown) => settle({ ok: false, error }),
    );
  }

  private attemptEnded(
    i: number, tool: ToolSpec, runner: ToolRunner, args: JsonObject, attempt: number,
    result: { ok: true; value: JsonValue } | { ok: false; error: unknown },
  ): void {
    if (this.ended) return;
    if (result.ok) {
      this.finish(i, { kind: 'succeeded', output: result.value });
      return;
    }
    const err = result.error;
    if (err instanceof RunStoppedError) {
      this.cancelActive(i, err.message);
      return;
    }
    const timedOut = err instanceof TimeoutError;
    const message = errorMessage(err);
    this.emit({ type: 'attempt-failed', at: this.at(), id: tool.id, attempt, error: message, timedOut });
    const retries = Math.max(0, Math.floor(tool.retries ?? this.plan.defaults.retries ?? 0));
    if (attempt > retries || this.halted) {
      this.finish(i, { kind: timedOut ? 'timed-out' : 'failed', error: message });
      return;
    }
    const base = tool.retryDelayMs ?? this.plan.defaults.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    const delayMs = retryDelay(Math.max(0, base), attempt, this.random);
    this.emit({ type: 'retrying', at: this.at(), id: tool.id, attempt: attempt + 1, delayMs });
    const wait = new AbortController();
    this.active.set(i, { ctl: wait });
    this.clock.sleep(delayMs, wait.signal).then(
      () => this.guard(() => {
        if (!this.ended && this.active.get(i)?.ctl === wait) this.attempt(i, tool, runner, args, attempt + 1);
      }),
      () => this.guard(() => {
        if (!this.ended && this.active.get(i)?.ctl === wait) this.cancelActive(i, errorMessage(wait.signal.reason));
      }),
    );
  }

  /** A tool that was running, backing off or waiting for its twin is stopped with the run. */
  private cancelActive(i: number, reason: string): void {
    this.active.delete(i);
    this.emit({ type: 'cancelled', at: this.at(), id: this.plan.tools[i].id, reason });
    this.anyUnsuccessful = true;
    (this.sched as Scheduler).complete(i, false);
    this.checkEnd();
  }

  /** Final state of a tool that was dispatched (holds or held a slot). */
  private finish(i: number, outcome: Outcome, dedupedFrom?: string): void {
    const sched = this.sched as Scheduler;
    const id = this.plan.tools[i].id;
    this.active.delete(i);
    const at = this.at();
    const extra = dedupedFrom !== undefined ? { dedupedFrom } : {};
    if (outcome.kind === 'succeeded') {
      this.outputs[i] = outcome.output;
      this.emit({ type: 'succeeded', at, id, output: outcome.output, ...extra });
    } else {
      this.emit({ type: outcome.kind, at, id, error: outcome.error, ...extra });
      this.anyUnsuccessful = true;
    }
    sched.complete(i, outcome.kind === 'succeeded');
    this.releaseWaiters(i, outcome);
    if (outcome.kind !== 'succeeded') {
      if (this.plan.failurePolicy === 'fail-fast') {
        this.halt('failed', `fail-fast: '${id}' ${outcome.kind === 'timed-out' ? 'timed out' : 'failed'}`);
      } else {
        this.skipDependents(i, outcome.kind === 'timed-out' ? 'timed out' : 'failed');
      }
    }
    this.emitQueued();
    this.schedulePump();
    this.checkEnd();
  }

  private releaseWaiters(i: number, outcome: Outcome): void {
    const key = this.dedupeKeyOf.get(i);
    if (key === undefined) return;
    const entry = this.dedupe.get(key) as DedupeEntry;
    entry.outcome = outcome;
    const leader = this.plan.tools[i].id;
    for (const w of entry.waiters.splice(0)) {
      if (this.active.get(w)?.waitingFor === i) this.finish(w, shared(outcome, leader), leader);
    }
  }

  private skipDependents(i: number, verb: string): void {
    const tools = this.plan.tools;
    const root = tools[i].id;
    const at = this.at();
    (this.sched as Scheduler).removeDependents(i, (s, via) => {
      const reason = via === i ? `dependency '${root}' ${verb}` : `dependency '${tools[via].id}' was skipped ('${root}' ${verb})`;
      this.emit({ type: 'skipped', at, id: tools[s].id, reason });
      this.anyUnsuccessful = true;
    });
  }

  /** Stops the run: no more dispatch; active tools are aborted, the rest get a final state. */
  private halt(status: RunStatus, reason: string): void {
    if (this.halted || this.ended) return;
    this.halted = { status, reason };
    const sched = this.sched as Scheduler;
    const stop = new RunStoppedError(reason);
    for (let i = 0; i < this.plan.tools.length; i++) {
      const st = sched.stateOf(i);
      if (st === ToolState.Running) {
        const a = this.active.get(i);
        // Aborting settles the attempt synchronously (cancelled event, slot released).
        if (a && a.waitingFor === undefined) a.ctl.abort(stop);
        else if (a) this.cancelActive(i, reason);
      } else if (sched.remove(i)) {
        const id = this.plan.tools[i].id;
        this.anyUnsuccessful = true;
        if (status === 'cancelled') this.emit({ type: 'cancelled', at: this.at(), id, reason });
        else this.emit({ type: 'skipped', at: this.at(), id, reason });
      }
    }
  }

  private checkEnd(): void {
    if (this.ended || !this.sched || !this.sched.finished || this.active.size > 0) return;
    const status: RunStatus = this.halted?.status ?? (this.anyUnsuccessful ? 'failed' : 'succeeded');
    this.end(status);
  }

  private end(status: RunStatus): void {
    if (this.ended) return;
    this.ended = true;
    this.emit({ type: 'run-ended', at: this.at(), status });
    this.detach();
    this.resolve(this.builder.build());
  }

  private detach(): void {
    if (this.onAbort) this.options.signal?.removeEventListener('abort', this.onAbort);
  }
}

function shared(outcome: Outcome, leader: string): Outcome {
  if (outcome.kind === 'succeeded') return outcome;
  return { kind: outcome.kind, error: `same call as '${leader}', which ${outcome.kind === 'timed-out' ? 'timed out' : 'failed'}: ${outcome.error}` };
}

function runCancelledReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (r instanceof Error && r.name !== 'AbortError') return `run cancelled: ${r.message}`;
  if (typeof r === 'string' && r !== '') return `run cancelled: ${r}`;
  return 'run cancelled';
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e) ?? String(e);
  } catch {
    return String(e);
  }
}
