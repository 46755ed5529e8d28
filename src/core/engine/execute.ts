// The executor: drives the scheduler with real runners on any Clock. Every tool ends in exactly
// one final state and the returned promise never rejects for tool failures, timeouts or
// cancellation (only for a bug in the engine itself).
//
// Choices worth knowing:
// - Dispatch goes through Clock.defer: everything that finishes at one instant is accounted for
//   before the next tools are chosen. On the virtual clock this makes runs match predictMakespan.
// - A tool waiting out a retry backoff keeps its slot (the backoff exists to relieve the resource,
//   so handing the slot to the next call on that resource would defeat it). A tool waiting out a
//   server's Retry-After gives it back instead: its resource is paused as long anyway, so the slot
//   can only serve other resources (README "Rate limits"). A backoff that ends while its resource
//   is over an adaptive limit's cut, or paused, waits for a slot again rather than retry over it.
// - Tools annotated not idempotent, or destructiveHint: true, are retried only after a 429 and never deduped
//   (README "Calls that must not run twice").
// - Cancellation (options.signal): running and backing-off tools become `cancelled`, and so do
//   tools that had not started (they did not fail or depend on a failure: the run was stopped).
//   fail-fast: the failure's running siblings become `cancelled`, the rest `skipped`.
// - Dedupe (plan.dedupe) compares calls AFTER reference resolution (kind + canonical args), so two
//   calls that only look alike before their inputs are known are not merged. The later call holds
//   no slot while it waits for its twin, and shares its outcome.
// - Timeouts are per attempt and end the attempt when they fire, whether or not the runner
//   listens to its signal; a runner that ignores it keeps running in the background, unobserved.
//   On the virtual clock, a tool whose duration equals its timeout times out.
// - Approval (options.approve): a call that needs it waits at a gate once ready, holding no slot,
//   so read-only and approved calls keep the slots busy meanwhile. Everything that became ready at
//   one instant is asked about in one request (pump runs once per instant). A denial is the call's
//   final state (`denied`) and skips its dependents; it does not trigger fail-fast, since nothing
//   failed: the user chose. Calls still waiting when the run is stopped end `cancelled`.
import { setMaxListeners } from 'node:events';
import type { JsonObject, JsonValue, Plan, ToolAnnotations } from '../plan/types';
import { buildGraph } from '../analysis/graph';
import { toolDurations } from '../analysis/durations';
import { planDag, type PlanDag } from './dag';
import type { AdaptiveCap, ApprovalRequest, ApprovalVerdict, Clock, ExecuteOptions, RunCaps, RunEvent, RunnerContext, RunnerNote, RunRecord, RunStatus, ToolRunner } from './types';
import { RunRecordBuilder } from './recordBuilder';
import { Scheduler, ToolState, planCaps, schedulerSpec, type Caps } from './scheduler';
import { choosePriority } from './priority';
import { callKey, resolveArgs } from './resolve';
import { resolveShellArgs } from '../tools/shellReferences';
import { formatWait, rateLimitSignal } from './rateLimit';
import { ResourceControl } from './resourceControl';
import { retryRepeatsEffect } from '../plan/safety';

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
  if (kind === 'mcp') return 'mcp tools need their servers: give them in the plan\'s mcpServers or with --mcp-config.';
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

/**
 * What a dispatched, unfinished tool is doing. One small object per attempt: no AbortController
 * unless the attempt has a timeout (run-wide stops go through one shared controller), because
 * controllers and their listeners dominate the cost of 100k-tool runs.
 */
interface Busy {
  readonly phase: 'attempt' | 'backoff' | 'waiting';
  readonly i: number;
  readonly attempt: number;
  /** When the attempt started (clock time; 0 for backoff and waiting). */
  readonly startedAt: number;
  /** The attempt's own controller (timeouts); absent: the attempt uses the run's signal. */
  readonly ctl?: AbortController;
  /** Cancels the timeout timer or the backoff sleep. */
  readonly timer?: AbortController;
  settled: boolean;
}

interface DedupeEntry {
  readonly leader: number;
  outcome?: Outcome;
  readonly waiters: number[];
}

class Run {
  private readonly clock: Clock;
  /** Run start on the clock: set when the run starts, after planning (graph, priority). */
  private t0 = 0;
  private readonly builder: RunRecordBuilder;
  private readonly graph: PlanDag | null;
  private readonly caps: Caps;
  private readonly sched?: Scheduler;
  /**
   * Outputs a dependent has still to receive: an output is kept from its tool's end until every
   * dependent that references it has resolved its arguments (or ended without starting), then
   * dropped, so a run of many large outputs holds only those still to be passed on (the record
   * keeps its own bounded copy: recordBuilder.ts). README "Input limits".
   */
  private readonly outputs: (JsonValue | undefined)[];
  /** Per tool: dependents with references that have not resolved their arguments yet. */
  private readers: Int32Array = new Int32Array(0);
  /** Per tool with references: its dependencies' readers were counted down already. */
  private readersDone: Uint8Array = new Uint8Array(0);
  private readonly busy: (Busy | undefined)[];
  private busyCount = 0;
  /** Aborted when the run stops (cancel, fail-fast): the signal of attempts without a timeout. */
  private readonly stopper = new AbortController();
  private readonly hasRefs: Uint8Array = new Uint8Array(0);
  private readonly resolvedArgs: (JsonObject | undefined)[];
  private readonly dedupe = new Map<string, DedupeEntry>();
  private readonly dedupeKeyOf = new Map<number, string>();
  private readonly waitingFor = new Map<number, number>();
  private readonly random: () => number;
  private readonly opaque: (id: string) => boolean;
  private pumpScheduled = false;
  private halted: { readonly status: RunStatus; readonly reason: string } | null = null;
  private anyUnsuccessful = false;
  private ended = false;
  private onAbort?: () => void;
  /**
   * Cancels the clock waits for tools still to arrive, when the run ends. Made only for a run with
   * timed arrivals: aborting a controller builds a DOMException and dispatches an event, ~10% of
   * a ten-call runToolCalls batch's CPU when every run made and aborted one (docs/library.md
   * "What a record costs").
   */
  private arrivalStop?: AbortController;
  /** Rate-limit pauses of resources (made on the first 429/503 that says Retry-After). */
  private control?: ResourceControl;
  /**
   * Tools waiting out a Retry-After without a slot (held in the scheduler): the timer of the wait,
   * and the attempt due when the scheduler hands the tool out again.
   */
  private rateWaits?: Map<number, AbortController>;
  private nextAttempt?: Map<number, number>;
  /** Adaptive limits: the plan's (`limits: { api: { max, adaptive: true } }`) and the caller's. */
  private readonly adaptive?: Readonly<Record<string, { readonly min?: number }>>;

  constructor(
    private readonly plan: Plan,
    private readonly options: ExecuteOptions,
    private readonly resolve: (r: RunRecord) => void,
    private readonly reject: (e: unknown) => void,
  ) {
    this.clock = options.clock;
    // Every attempt without a timeout shares this signal, so runners' listeners pile up on it
    // legitimately: no "possible memory leak" warning.
    setMaxListeners(0, this.stopper.signal);
    this.random = options.random ?? Math.random;
    const fromPlan = plan.adaptiveLimits;
    const given = options.adaptiveLimits;
    this.adaptive = fromPlan && given ? Object.assign(Object.create(null) as Record<string, { min?: number }>, fromPlan, given) : fromPlan ?? given;
    const n = plan.tools.length;
    this.outputs = new Array<JsonValue | undefined>(n);
    this.busy = new Array<Busy | undefined>(n);
    this.resolvedArgs = new Array<JsonObject | undefined>(n);
    this.caps = planCaps(plan, options.maxConcurrency);
    const graph = planDag(plan);
    this.graph = graph;
    this.builder = new RunRecordBuilder({
      ids: plan.tools.map((t) => t.id), maxConcurrency: this.caps.maxConcurrency, group: this.caps.group, groupCaps: this.caps.groupCaps,
      caps: runCaps(plan, this.caps.maxConcurrency, this.adaptive),
      ...(graph ? { preds: graph.preds, succs: graph.succs, order: graph.order } : {}),
      ...(options.cpuShare ? { cpuShare: options.cpuShare } : {}),
    });
    const opaqueOutput = options.opaqueOutput;
    const indexOf = graph?.indexOf;
    this.opaque = opaqueOutput && indexOf
      ? (id) => {
          const i = indexOf.get(id);
          return i !== undefined && opaqueOutput(plan.tools[i]);
        }
      : () => false;
    if (!graph) return;
    this.hasRefs = graph.hasRefs;
    this.readers = new Int32Array(n);
    this.readersDone = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (graph.hasRefs[i]) for (const j of graph.preds[i]) this.readers[j]++;
    const durations = usableDurations(plan, options.durations);
    const base = schedulerSpec(graph, this.caps, new Int32Array(0));
    const { rank } = choosePriority(base, durations, { order: graph.order, ...(options.priorityBudget !== undefined ? { budget: options.priorityBudget } : {}) });
    const gate = options.approve;
    this.sched = new Scheduler({ ...base, rank }, true, heldTools(options.arrivals, n), gate ? plan.tools.map((t) => gate.needs(t)) : undefined);
  }

  private at(): number {
    return this.clock.now() - this.t0;
  }

  private emit(e: RunEvent, index?: number): void {
    this.builder.add(e, index);
    if (index !== undefined && this.hasRefs[index] && isFinal(e)) this.doneReading(index);
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
    this.t0 = this.clock.now();
    this.emit({ type: 'run-started', at: this.at(), tools: this.plan.tools.map((t) => t.id) });
    const sched = this.sched;
    if (!sched) {
      const { diagnostics } = buildGraph(this.plan);
      const why = diagnostics.find((d) => d.severity === 'error')?.message ?? 'its dependencies cannot be resolved';
      this.plan.tools.forEach((t, i) => this.emit({ type: 'skipped', at: this.at(), id: t.id, reason: `the plan is invalid: ${why}` }, i));
      this.end('failed');
      return;
    }
    if (this.adaptive) this.resources();
    this.scheduleArrivals();
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

  /**
   * A growing plan (options.arrivals): tools arriving at 0 join now, the others on the clock at
   * their instant, all arriving together in one callback (so they are queued at the same instant).
   */
  private scheduleArrivals(): void {
    const arrivals = this.options.arrivals;
    if (!arrivals) return;
    const sched = this.sched as Scheduler;
    const byTime = new Map<number, number[]>();
    this.plan.tools.forEach((_, i) => {
      const t = arrivalOf(arrivals, i);
      const list = byTime.get(t);
      if (list) list.push(i);
      else byTime.set(t, [i]);
    });
    const arrive = (list: readonly number[]): void => {
      const at = this.at();
      for (const i of list) {
        this.emit({ type: 'arrived', at, id: this.plan.tools[i].id }, i);
        sched.arrive(i);
      }
    };
    for (const [t, list] of byTime) {
      if (t <= 0) {
        arrive(list);
        continue;
      }
      if (!this.arrivalStop) {
        this.arrivalStop = new AbortController();
        setMaxListeners(0, this.arrivalStop.signal);
      }
      this.clock.sleep(t, this.arrivalStop.signal).then(
        () => this.guard(() => {
          if (this.ended) return;
          arrive(list);
          this.emitQueued();
          this.schedulePump();
          this.checkEnd();
        }),
        () => undefined, // the run ended first
      );
    }
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
    if (!sched.anyNewlyReady) return;
    const fresh = sched.takeNewlyReady();
    const at = this.at();
    for (const i of fresh) this.emit({ type: 'queued', at, id: this.plan.tools[i].id }, i);
  }

  private readonly pumpNow = (): void => this.guard(() => this.pump());

  private schedulePump(): void {
    if (this.pumpScheduled || this.halted) return;
    this.pumpScheduled = true;
    if (this.clock.defer) this.clock.defer(this.pumpNow);
    else queueMicrotask(this.pumpNow);
  }

  private pump(): void {
    this.pumpScheduled = false;
    const sched = this.sched as Scheduler;
    if (sched.anyAtGate && !this.halted) this.askApproval(sched.takeAtGate());
    while (!this.halted) {
      const i = sched.next();
      if (i < 0) break;
      this.startTool(i);
    }
    this.checkEnd();
  }

  /** One approval request for the calls that reached their gate at this instant. */
  private askApproval(list: readonly number[]): void {
    const gate = this.options.approve;
    if (!gate) return;
    const at = this.at();
    const tools = this.plan.tools;
    const batch: ApprovalRequest[] = list.map((i) => {
      this.emit({ type: 'awaiting-approval', at, id: tools[i].id }, i);
      return { tool: tools[i], args: this.previewArgs(i) };
    });
    const failed = (e: unknown): ApprovalVerdict => ({ allowed: false, reason: `the approval prompt failed: ${errorMessage(e)}` });
    let answer: ReturnType<typeof gate.decide>;
    try {
      answer = gate.decide(batch, this.stopper.signal);
    } catch (e) {
      answer = Promise.reject(e);
    }
    if (Array.isArray(answer)) {
      // Verdicts one by one: each call goes on as soon as its own answer is in.
      const now: number[] = [];
      const nowVerdicts: ApprovalVerdict[] = [];
      list.forEach((i, k) => {
        const v = answer[k];
        if (v instanceof Promise) {
          v.then((x: ApprovalVerdict) => this.guard(() => this.approvalAnswered([i], [x])), (e: unknown) => this.guard(() => this.approvalAnswered([i], [failed(e)])));
        } else {
          now.push(i);
          nowVerdicts.push(v);
        }
      });
      if (now.length > 0) Promise.resolve().then(() => this.guard(() => this.approvalAnswered(now, nowVerdicts)));
      return;
    }
    Promise.resolve(answer as Promise<readonly ApprovalVerdict[]>).then(
      (verdicts) => this.guard(() => this.approvalAnswered(list, verdicts)),
      (e: unknown) => this.guard(() => this.approvalAnswered(list, list.map(() => failed(e)))),
    );
  }

  /** The arguments a call would start with now (the prompt shows them); unresolvable ones as written. */
  private previewArgs(i: number): JsonObject {
    const tool = this.plan.tools[i];
    if (!this.hasRefs[i]) return tool.args;
    const r = (tool.kind === 'shell' ? resolveShellArgs : resolveArgs)(tool.args, (id) => {
      const j = this.graph?.indexOf.get(id);
      const v = j === undefined ? undefined : this.outputs[j];
      return v === undefined ? { found: false } : { found: true, value: v };
    }, this.opaque);
    return r.ok ? r.args : tool.args;
  }

  private approvalAnswered(list: readonly number[], verdicts: readonly ApprovalVerdict[]): void {
    if (this.ended) return;
    const sched = this.sched as Scheduler;
    const tools = this.plan.tools;
    const at = this.at();
    list.forEach((i, k) => {
      // A call the run already stopped (cancel, fail-fast) keeps the state halt() gave it.
      if (sched.stateOf(i) !== ToolState.Ready) return;
      const v = Array.isArray(verdicts) ? verdicts[k] : undefined;
      if (v === true) {
        this.emit({ type: 'approved', at, id: tools[i].id }, i);
        sched.openGate(i);
        return;
      }
      const reason = typeof v === 'object' && v !== null && typeof v.reason === 'string' && v.reason !== ''
        ? v.reason
        : v === false ? 'approval refused' : 'approval refused (the approver gave no answer for this call)';
      sched.remove(i);
      this.emit({ type: 'denied', at, id: tools[i].id, reason }, i);
      this.anyUnsuccessful = true;
      this.skipDependents(i, 'was denied');
    });
    this.schedulePump();
    this.checkEnd();
  }

  private setBusy(i: number, b: Busy | undefined): void {
    const had = this.busy[i] !== undefined;
    this.busy[i] = b;
    this.busyCount += (b !== undefined ? 1 : 0) - (had ? 1 : 0);
  }

  private startTool(i: number): void {
    const tool = this.plan.tools[i];
    const runner = this.options.runners[tool.kind];
    if (!runner) {
      this.finish(i, { kind: 'failed', error: missingRunnerMessage(tool.kind) });
      return;
    }
    if (this.nextAttempt !== undefined) {
      // Back from a Retry-After wait: the next attempt, with the arguments resolved before.
      const again = this.nextAttempt.get(i);
      if (again !== undefined) {
        this.nextAttempt.delete(i);
        this.attempt(i, runner, again);
        return;
      }
    }
    let args = tool.args;
    if (this.hasRefs[i]) {
      // Shell commands get references as environment variables, never as pasted text (README
      // "Shell commands and tool outputs").
      const r = (tool.kind === 'shell' ? resolveShellArgs : resolveArgs)(tool.args, (id) => {
        const j = this.graph?.indexOf.get(id);
        const v = j === undefined ? undefined : this.outputs[j];
        return v === undefined ? { found: false } : { found: true, value: v };
      }, this.opaque);
      this.doneReading(i);
      if (!r.ok) {
        this.finish(i, { kind: 'failed', error: `cannot resolve arguments: ${r.error}` });
        return;
      }
      args = r.args;
      this.resolvedArgs[i] = args;
    }
    // A call that is not idempotent (or destructive) by its annotations is never merged with its
    // twin: the model may mean both (two emails), and sharing one outcome would hide that.
    if (this.plan.dedupe && !retryRepeatsEffect(tool.annotations)) {
      // Simulated and cpu tools stand for work named by their label, and teaching plans give many
      // the same `{ durationMs }`: they are one call only when the label matches too, as the
      // analyzer's duplicate-call rule decides (analysis/rules/duplicates.ts).
      const key = callKey(tool.kind === 'simulate' || tool.kind === 'cpu' ? `${tool.kind}\u0000${tool.label}` : tool.kind, args);
      const entry = this.dedupe.get(key);
      if (entry) {
        const leader = this.plan.tools[entry.leader].id;
        if (entry.outcome) {
          this.finish(i, shared(entry.outcome, leader), leader);
        } else {
          (this.sched as Scheduler).release(i);
          entry.waiters.push(i);
          this.waitingFor.set(i, entry.leader);
          this.setBusy(i, { phase: 'waiting', i, attempt: 0, startedAt: 0, settled: false });
          this.schedulePump();
        }
        return;
      }
      this.dedupe.set(key, { leader: i, waiters: [] });
      this.dedupeKeyOf.set(i, key);
    }
    this.attempt(i, runner, 1);
  }

  private attempt(i: number, runner: ToolRunner, attempt: number): void {
    const tool = this.plan.tools[i];
    const timeoutMs = tool.timeoutMs ?? this.plan.defaults.timeoutMs;
    const timed = timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0;
    const ctl = timed ? new AbortController() : undefined;
    const timer = timed ? new AbortController() : undefined;
    const startedAt = this.clock.now();
    const b: Busy = { phase: 'attempt', i, attempt, startedAt, ctl, timer, settled: false };
    this.setBusy(i, b);
    this.emit({ type: 'started', at: startedAt - this.t0, id: tool.id, attempt }, i);
    if (ctl && timer) {
      // The abort listener ends the attempt at once, so a runner that ignores its signal cannot
      // hold up the run: its eventual result is ignored.
      ctl.signal.addEventListener('abort', () => this.settle(b, false, null, ctl.signal.reason), { once: true });
      this.clock.sleep(timeoutMs as number, timer.signal).then(() => ctl.abort(new TimeoutError(timeoutMs as number)), () => undefined);
    }
    let promise: Promise<JsonValue>;
    try {
      // One object literal per case, never a spread: this runs once per attempt, and copying the
      // context to add `report` cost about as much as the rest of the attempt (bench: mcp).
      const log = this.options.log;
      const args = this.resolvedArgs[i] ?? tool.args;
      const signal = (ctl ?? this.stopper).signal;
      const clock = this.clock;
      const report = runner.reports ? (note: RunnerNote): void => this.guard(() => this.note(b, note)) : undefined;
      const ctx: RunnerContext = log
        ? (report
            ? { tool, args, attempt, signal, clock, log: (line: string) => log(tool.id, line), report }
            : { tool, args, attempt, signal, clock, log: (line: string) => log(tool.id, line) })
        : (report ? { tool, args, attempt, signal, clock, report } : { tool, args, attempt, signal, clock });
      promise = runner.run(ctx);
    } catch (e) {
      promise = Promise.reject(e);
    }
    Promise.resolve(promise).then(
      (value) => this.settle(b, true, value === undefined ? null : value, undefined),
      (error: unknown) => this.settle(b, false, null, error),
    );
  }

  /** A runner's progress/connection note, while its attempt is still the tool's current one. */
  private note(b: Busy, n: RunnerNote): void {
    if (b.settled || this.ended) return;
    const id = this.plan.tools[b.i].id;
    const at = this.at();
    if (n.kind === 'progress') {
      this.emit({
        type: 'progress', at, id, attempt: b.attempt, progress: n.progress,
        ...(n.total !== undefined ? { total: n.total } : {}), ...(n.message !== undefined ? { message: n.message } : {}),
      }, b.i);
    } else {
      this.emit({ type: 'connected', at, id, server: n.server, transport: n.transport, ms: n.ms, ...(n.error !== undefined ? { error: n.error } : {}) }, b.i);
    }
  }

  // ok/value/error as separate arguments rather than a result object: this runs once per attempt.
  private settle(b: Busy, ok: boolean, value: JsonValue, error: unknown): void {
    if (b.settled) return;
    b.settled = true;
    b.timer?.abort();
    // guard() without a closure per attempt.
    try {
      this.attemptEnded(b, ok, value, error);
    } catch (e) {
      if (!this.ended) {
        this.ended = true;
        this.detach();
        this.reject(e);
      }
    }
  }

  private attemptEnded(b: Busy, ok: boolean, value: JsonValue, err: unknown): void {
    if (this.ended) return;
    const { i, attempt } = b;
    const tool = this.plan.tools[i];
    if (ok) {
      if (this.control?.adapts) this.control.succeeded(i);
      this.finish(i, { kind: 'succeeded', output: value });
      return;
    }
    if (err instanceof RunStoppedError) {
      this.cancelBusy(i, err.message);
      return;
    }
    const timedOut = err instanceof TimeoutError;
    const message = errorMessage(err);
    this.emit({ type: 'attempt-failed', at: this.at(), id: tool.id, attempt, error: message, timedOut }, i);
    const retries = Math.max(0, Math.floor(tool.retries ?? this.plan.defaults.retries ?? 0));
    const limited = timedOut ? undefined : rateLimitSignal(err);
    if (limited && this.control?.adapts) this.control.limited(i, b.startedAt);
    // Not idempotent (or destructive) by its annotations: a failed or timed-out attempt may have
    // taken effect, so a retry could do it twice. Only a 429 (refused before it ran) is retried.
    const unsafe = limited?.status !== 429 && attempt <= retries && retryRepeatsEffect(tool.annotations);
    if (limited?.retryAfterMs !== undefined) {
      const wait = limited.retryAfterMs;
      const max = this.options.maxRetryAfterMs ?? MAX_RETRY_DELAY_MS;
      if (wait > max) {
        this.finish(i, { kind: 'failed', error: `${message} (the server asked to wait ${formatWait(wait)} before retrying, longer than this run waits: maxRetryAfterMs ${max} ms; not retried)` });
        return;
      }
      this.resources().pause(i, wait);
      if (attempt <= retries && !this.halted && !unsafe) {
        this.waitRetryAfter(i, attempt, wait);
        return;
      }
    }
    if (attempt > retries || this.halted) {
      // A timeout does not say whether the call ran: for a call that must not run twice the
      // model has to hear that, retries or not (docs/library.md "Calls that must not run twice").
      const error = timedOut && retryRepeatsEffect(tool.annotations) ? outcomeUnknownMessage(message, tool.label, tool.annotations) : message;
      this.finish(i, { kind: timedOut ? 'timed-out' : 'failed', error });
      return;
    }
    if (unsafe) {
      this.finish(i, { kind: timedOut ? 'timed-out' : 'failed', error: notRetriedMessage(message, timedOut, tool.label, tool.annotations, retries) });
      return;
    }
    const base = tool.retryDelayMs ?? this.plan.defaults.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    const delayMs = retryDelay(Math.max(0, base), attempt, this.random);
    this.emit({ type: 'retrying', at: this.at(), id: tool.id, attempt: attempt + 1, delayMs }, i);
    const timer = new AbortController();
    const wait: Busy = { phase: 'backoff', i, attempt, startedAt: 0, timer, settled: false };
    this.setBusy(i, wait);
    this.clock.sleep(delayMs, timer.signal).then(
      () => this.guard(() => {
        if (this.ended || this.busy[i] !== wait) return;
        const sched = this.sched as Scheduler;
        if (this.control && sched.overLimit(i)) {
          // Its resource's limit was cut (adaptive) or paused while it backed off: the retry
          // waits for a slot under the limit as it stands, instead of retrying over it.
          this.setBusy(i, undefined);
          sched.hold(i);
          (this.nextAttempt ??= new Map()).set(i, attempt + 1);
          sched.arrive(i, false);
          this.schedulePump();
          return;
        }
        const runner = this.options.runners[tool.kind] as ToolRunner;
        this.attempt(i, runner, attempt + 1);
      }),
      () => undefined, // the wait was cut short by halt(), which already gave the tool its state
    );
  }

  private resources(): ResourceControl {
    return (this.control ??= new ResourceControl(this.plan, this.sched as Scheduler, this.clock, () => this.guard(() => {
      if (this.ended) return;
      this.schedulePump();
    }), (e) => this.emit(e), () => this.t0, this.adaptive));
  }

  /**
   * The server said when to come back (Retry-After): the call gives its slot back (other calls,
   * on other resources, use it meanwhile) and rejoins the ready set after `wait`; its resource is
   * paused as long (ResourceControl), so the call's siblings do not hit the limit meanwhile.
   */
  private waitRetryAfter(i: number, attempt: number, wait: number): void {
    const sched = this.sched as Scheduler;
    this.emit({ type: 'retrying', at: this.at(), id: this.plan.tools[i].id, attempt: attempt + 1, delayMs: wait, retryAfterMs: wait }, i);
    this.setBusy(i, undefined);
    sched.hold(i);
    const timer = new AbortController();
    (this.rateWaits ??= new Map()).set(i, timer);
    (this.nextAttempt ??= new Map()).set(i, attempt + 1);
    this.clock.sleep(wait, timer.signal).then(
      () => this.guard(() => {
        if (this.ended || this.rateWaits?.get(i) !== timer) return;
        this.rateWaits.delete(i);
        sched.arrive(i, false);
        this.schedulePump();
      }),
      () => undefined, // the run stopped first (halt gave the tool its state)
    );
    this.schedulePump(); // the slot it gave back
  }

  /** A tool that was running, backing off or waiting for its twin is stopped with the run. */
  private cancelBusy(i: number, reason: string): void {
    const b = this.busy[i];
    if (b) {
      b.settled = true;
      b.timer?.abort();
    }
    this.setBusy(i, undefined);
    this.emit({ type: 'cancelled', at: this.at(), id: this.plan.tools[i].id, reason }, i);
    this.anyUnsuccessful = true;
    (this.sched as Scheduler).complete(i, false);
    this.checkEnd();
  }

  /** Final state of a tool that was dispatched (holds or held a slot). */
  private finish(i: number, outcome: Outcome, dedupedFrom?: string): void {
    const sched = this.sched as Scheduler;
    const id = this.plan.tools[i].id;
    this.setBusy(i, undefined);
    this.resolvedArgs[i] = undefined;
    const at = this.at();
    if (outcome.kind === 'succeeded') {
      if (this.readers[i] > 0) this.outputs[i] = outcome.output;
      this.emit(dedupedFrom !== undefined ? { type: 'succeeded', at, id, output: outcome.output, dedupedFrom } : { type: 'succeeded', at, id, output: outcome.output }, i);
    } else {
      this.emit(dedupedFrom !== undefined ? { type: outcome.kind, at, id, error: outcome.error, dedupedFrom } : { type: outcome.kind, at, id, error: outcome.error }, i);
      this.anyUnsuccessful = true;
    }
    sched.complete(i, outcome.kind === 'succeeded');
    if (this.plan.dedupe) this.releaseWaiters(i, outcome);
    if (outcome.kind !== 'succeeded') {
      if (this.plan.failurePolicy === 'fail-fast') {
        this.halt('failed', `fail-fast: '${id}' ${outcome.kind === 'timed-out' ? 'timed out' : 'failed'}`);
      } else {
        this.skipDependents(i, outcome.kind === 'timed-out' ? 'timed out' : 'failed');
      }
    }
    this.emitQueued();
    // Nothing ready (the other tools all running or done: a batch's calls ending one by one): a
    // pump would find nothing, and each costs a microtask turn (docs/library.md "What a record costs").
    if (sched.mayDispatch) this.schedulePump();
    this.checkEnd();
  }

  /** Tool i has what it needs from its dependencies' outputs (or will never need them). */
  private doneReading(i: number): void {
    if (this.readersDone[i]) return;
    this.readersDone[i] = 1;
    const preds = (this.graph as PlanDag).preds[i];
    for (const j of preds) if (--this.readers[j] === 0) this.outputs[j] = undefined;
  }

  private releaseWaiters(i: number, outcome: Outcome): void {
    const key = this.dedupeKeyOf.get(i);
    if (key === undefined) return;
    const entry = this.dedupe.get(key) as DedupeEntry;
    entry.outcome = outcome;
    const leader = this.plan.tools[i].id;
    for (const w of entry.waiters.splice(0)) {
      if (this.busy[w]?.phase === 'waiting' && this.waitingFor.get(w) === i) this.finish(w, shared(outcome, leader), leader);
    }
  }

  private skipDependents(i: number, verb: string): void {
    const tools = this.plan.tools;
    const root = tools[i].id;
    const at = this.at();
    (this.sched as Scheduler).removeDependents(i, (s, via) => {
      const reason = via === i ? `dependency '${root}' ${verb}` : `dependency '${tools[via].id}' was skipped ('${root}' ${verb})`;
      this.emit({ type: 'skipped', at, id: tools[s].id, reason }, s);
      this.anyUnsuccessful = true;
    });
  }

  /**
   * Stops the run: no more dispatch; busy tools end `cancelled` at once (runners are told through
   * their signal but not waited for), the others `cancelled` (run cancelled) or `skipped` (fail-fast).
   */
  private halt(status: RunStatus, reason: string): void {
    if (this.halted || this.ended) return;
    this.halted = { status, reason };
    const sched = this.sched as Scheduler;
    const stop = new RunStoppedError(reason);
    this.stopper.abort(stop);
    for (let i = 0; i < this.plan.tools.length; i++) {
      const st = sched.stateOf(i);
      if (st === ToolState.Running) {
        const b = this.busy[i];
        if (b?.ctl) b.ctl.abort(stop); // settles synchronously through its listener
        if (this.busy[i] === b && b && !b.settled) this.cancelBusy(i, reason);
      } else if (sched.remove(i)) {
        const id = this.plan.tools[i].id;
        this.anyUnsuccessful = true;
        // A call between attempts (waiting out a Retry-After) was started: it is cancelled, as a
        // call backing off with its slot is.
        const between = this.nextAttempt?.has(i) === true;
        if (between) {
          this.rateWaits?.get(i)?.abort();
          this.rateWaits?.delete(i);
        }
        if (status === 'cancelled' || between) this.emit({ type: 'cancelled', at: this.at(), id, reason }, i);
        else this.emit({ type: 'skipped', at: this.at(), id, reason }, i);
      }
    }
  }

  private checkEnd(): void {
    if (this.ended || !this.sched || !this.sched.finished || this.busyCount > 0) return;
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
    this.arrivalStop?.abort();
    this.control?.stop();
    if (this.rateWaits) for (const t of this.rateWaits.values()) t.abort();
    if (this.onAbort) this.options.signal?.removeEventListener('abort', this.onAbort);
  }
}

/** Which tools wait for an arrival after the run starts (undefined: none). */
function heldTools(arrivals: readonly number[] | undefined, n: number): boolean[] | undefined {
  if (!arrivals) return undefined;
  const held = new Array<boolean>(n);
  for (let i = 0; i < n; i++) held[i] = true;
  return held;
}

/** A tool's arrival in ms from the run start: missing, negative or non-finite values mean at once. */
function arrivalOf(arrivals: readonly number[], i: number): number {
  const t = arrivals[i];
  return t !== undefined && Number.isFinite(t) && t > 0 ? t : 0;
}

/** The given durations where they are usable numbers, else the plan's own (priority only). */
function usableDurations(plan: Plan, given: readonly number[] | undefined): number[] {
  const own = given && given.length === plan.tools.length ? undefined : toolDurations(plan.tools);
  return plan.tools.map((_, i) => {
    const d = given?.[i] ?? own?.[i] ?? 0;
    return Number.isFinite(d) && d > 0 ? d : 0;
  });
}

/**
 * Why a call must not run twice, as its annotations say. `idempotentHint: true` with
 * `destructiveHint: true` is idempotent by MCP's definition (a repeat has no additional effect),
 * so such a call is named destructive, never "not idempotent": Fanout's reading of the hints is
 * the cautious one, a call that says `destructiveHint: true` is not retried either (docs/library.md
 * "Calls that must not run twice").
 */
function mustNotRunTwice(a: ToolAnnotations | undefined): string {
  return a?.idempotentHint === true ? 'destructive' : 'not idempotent';
}

function outcomeUnknownMessage(message: string, name: string, a: ToolAnnotations | undefined): string {
  return `${message}; outcome unknown: the call may have taken effect ('${name}' is ${mustNotRunTwice(a)} by its annotations: check before calling it again)`;
}

function notRetriedMessage(message: string, timedOut: boolean, name: string, a: ToolAnnotations | undefined, retries: number): string {
  const why = `'${name}' is ${mustNotRunTwice(a)} (its annotations), so it is not retried (retries: ${retries} applies only after a 429)`;
  return timedOut
    ? `${message}; outcome unknown: the call may have taken effect. ${why}`
    : `${message} (${why})`;
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

/** RunRecord.caps: what bounded this run, as the plan and the caller gave it. */
function runCaps(plan: Plan, maxConcurrency: number, adaptive: Readonly<Record<string, { readonly min?: number }>> | undefined): RunCaps {
  const limits = Object.create(null) as Record<string, number | AdaptiveCap>;
  for (const [resource, max] of Object.entries(plan.limits)) {
    const a = adaptive && Object.prototype.hasOwnProperty.call(adaptive, resource) ? adaptive[resource] : undefined;
    // The same floor ResourceControl applies.
    limits[resource] = a ? { max, adaptive: true, min: Math.min(max, Math.max(1, Math.floor(a.min ?? 1))) } : max;
  }
  return { maxConcurrency: Number.isFinite(maxConcurrency) ? maxConcurrency : null, limits };
}

function isFinal(e: RunEvent): boolean {
  switch (e.type) {
    case 'succeeded': case 'failed': case 'timed-out': case 'skipped': case 'cancelled': case 'denied':
      return true;
    default:
      return false;
  }
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
