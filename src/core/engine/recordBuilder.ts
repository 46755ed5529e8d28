// Folds the event stream into the RunRecord (DESIGN §3). The record is derived from events only,
// so a consumer that saw every event (the extension's live view, a trace writer) can rebuild
// exactly the same record.
import type { JsonValue } from '../plan/types';
import { longestPath } from '../graph';
import type { ApprovalRecord, AttemptRecord, ConnectionRecord, ProgressRecord, RunCaps, RunEvent, RunRecord, RunStatus, SharedCores, ToolRecord, ToolStatus } from './types';
import { MAX_RECORD_OUTPUT_CHARS, boundOutput } from './valueSize';

export interface RecordShape {
  /** Tool ids in plan order. */
  readonly ids: readonly string[];
  /** Dependencies per tool (indices), for the critical path; absent when the plan had no graph. */
  readonly preds?: readonly (readonly number[])[];
  /** Optional: the successors and a topological order, when the caller already has them. */
  readonly succs?: readonly (readonly number[])[];
  readonly order?: Int32Array;
  /** Global slots (Infinity = unbounded), for the lower bound. */
  readonly maxConcurrency: number;
  /** Limited-resource group per tool (-1: none) and each group's cap, for the lower bound. */
  readonly group?: Int32Array;
  readonly groupCaps?: readonly number[];
  /** What the record states the run ran under (RunRecord.caps). */
  readonly caps?: RunCaps;
  /**
   * A simulation's CPU sharing: known to the simulator, not in the events (the one exception to
   * "derived from events only"; it changes only the figures, never a tool's times).
   */
  readonly cpuShare?: SharedCores;
}

/** Tool statuses by code (0 = not final yet), so per-tool state lives in typed arrays. */
const STATUSES: readonly (ToolStatus | null)[] = [null, 'succeeded', 'failed', 'skipped', 'cancelled', 'timed-out', 'denied'];
const CODE: Readonly<Record<ToolStatus, number>> = { succeeded: 1, failed: 2, skipped: 3, cancelled: 4, 'timed-out': 5, denied: 6 };

// Which of a tool's times are set (a time can be any number, so "unset" is a flag, not a value).
const QUEUED = 1;
const STARTED = 2;
const ENDED = 4;
const IN_ATTEMPT = 8;
const ARRIVED = 16;

/**
 * Per-tool state is kept in typed arrays and sparse lists rather than one object per tool: a
 * 100k-tool run then allocates its tool records once, in build(), instead of twice.
 */
export class RunRecordBuilder {
  private readonly n: number;
  private indexOf: Map<string, number> | undefined;
  private readonly flags: Uint8Array;
  private readonly statusCode: Uint8Array;
  private readonly queuedAt: Float64Array;
  private readonly startedAt: Float64Array;
  private readonly endedAt: Float64Array;
  private readonly attemptStart: Float64Array;
  /** Sparse: only runs with arrivals (a growing plan) have readyAt. */
  private readyAt: Float64Array | undefined;
  private readonly attempts: (AttemptRecord[] | undefined)[];
  /** Outputs as the record keeps them: bounded as they arrive (MAX_RECORD_OUTPUT_CHARS in all). */
  private readonly outputs: JsonValue[];
  /** Sparse: tools whose kept output is a marked truncation. */
  private truncated: Set<number> | undefined;
  /** Characters of outputs the record may still keep. */
  private outputBudget = MAX_RECORD_OUTPUT_CHARS;
  private readonly errors: (string | null)[];
  private readonly dedupedFrom: (string | undefined)[];
  /** Sparse: only tools whose runner reported progress. */
  private progress: Map<number, ProgressRecord[]> | undefined;
  private connections: ConnectionRecord[] | undefined;
  /** Sparse: only calls that waited for approval. */
  private approvals: Map<number, { askedAt: number; answeredAt: number | null }> | undefined;
  private running = 0;
  private maxRunning = 0;
  private status: RunStatus | null = null;
  private runEndedAt = 0;

  constructor(private readonly shape: RecordShape) {
    const n = shape.ids.length;
    this.n = n;
    this.flags = new Uint8Array(n);
    this.statusCode = new Uint8Array(n);
    this.queuedAt = new Float64Array(n);
    this.startedAt = new Float64Array(n);
    this.endedAt = new Float64Array(n);
    this.attemptStart = new Float64Array(n);
    this.attempts = new Array<AttemptRecord[] | undefined>(n);
    this.outputs = new Array<JsonValue>(n);
    this.errors = new Array<string | null>(n);
    this.dedupedFrom = new Array<string | undefined>(n);
  }

  private lookup(id: string): number | undefined {
    if (!this.indexOf) {
      const m = new Map<string, number>();
      this.shape.ids.forEach((x, i) => m.set(x, i));
      this.indexOf = m;
    }
    return this.indexOf.get(id);
  }

  /** Folds one event in. `index` (the tool's plan index) saves an id lookup when the caller knows it. */
  add(e: RunEvent, index?: number): void {
    if (e.type === 'run-started' || e.type === 'limit-changed') return;
    if (e.type === 'run-ended') {
      this.status = e.status;
      this.runEndedAt = e.at;
      return;
    }
    const i = index ?? this.lookup(e.id);
    if (i === undefined) return;
    switch (e.type) {
      case 'arrived':
        (this.readyAt ??= new Float64Array(this.n))[i] = e.at;
        this.flags[i] |= ARRIVED;
        return;
      case 'queued':
        this.queuedAt[i] = e.at;
        this.flags[i] |= QUEUED;
        return;
      case 'started':
        if (!(this.flags[i] & STARTED)) {
          this.startedAt[i] = e.at;
          this.flags[i] |= STARTED;
        }
        this.attemptStart[i] = e.at;
        this.flags[i] |= IN_ATTEMPT;
        if (++this.running > this.maxRunning) this.maxRunning = this.running;
        return;
      case 'attempt-failed':
        this.endAttempt(i, e.at, e.error, e.timedOut);
        return;
      case 'retrying':
        return;
      case 'progress': {
        const p: ProgressRecord = {
          at: e.at, progress: e.progress, ...(e.total !== undefined ? { total: e.total } : {}), ...(e.message !== undefined ? { message: e.message } : {}),
        };
        const map = (this.progress ??= new Map());
        const list = map.get(i);
        if (list) list.push(p);
        else map.set(i, [p]);
        return;
      }
      case 'connected':
        (this.connections ??= []).push({ server: e.server, transport: e.transport, id: e.id, startedAt: Math.max(0, e.at - e.ms), endedAt: e.at, error: e.error ?? null });
        return;
      case 'succeeded':
        this.endAttempt(i, e.at, null);
        this.finish(i, 'succeeded', e.at, null, e.dedupedFrom);
        this.keepOutput(i, e.output);
        return;
      case 'failed':
      case 'timed-out':
        this.endAttempt(i, e.at, e.error, e.type === 'timed-out');
        this.finish(i, e.type, e.at, e.error, e.dedupedFrom);
        return;
      case 'skipped':
        this.finish(i, 'skipped', e.at, e.reason);
        return;
      case 'awaiting-approval':
        (this.approvals ??= new Map()).set(i, { askedAt: e.at, answeredAt: null });
        return;
      case 'approved':
      case 'denied': {
        const a = this.approvals?.get(i);
        if (a) a.answeredAt = e.at;
        if (e.type === 'denied') this.finish(i, 'denied', e.at, e.reason);
        return;
      }
      case 'cancelled':
        this.endAttempt(i, e.at, e.reason);
        this.finish(i, 'cancelled', e.at, e.reason);
        return;
    }
  }

  /**
   * Outputs are bounded as they arrive, in the order tools finish, so that the builder never
   * holds more than the record keeps: 200 tools of 1 MiB each cost 64 Mi characters here, not
   * 200 (README "Input limits"). Dependents got the whole output from the executor.
   */
  private keepOutput(i: number, output: JsonValue): void {
    const bounded = boundOutput(output, this.outputBudget);
    this.outputs[i] = bounded.value;
    this.outputBudget = Math.max(0, this.outputBudget - bounded.chars);
    if (bounded.truncated) (this.truncated ??= new Set()).add(i);
  }

  private endAttempt(i: number, at: number, error: string | null, timedOut = false): void {
    if (!(this.flags[i] & IN_ATTEMPT)) return;
    const a: AttemptRecord = timedOut ? { startedAt: this.attemptStart[i], endedAt: at, error, timedOut: true } : { startedAt: this.attemptStart[i], endedAt: at, error };
    const list = this.attempts[i];
    if (list) list.push(a);
    else this.attempts[i] = [a];
    this.flags[i] &= ~IN_ATTEMPT;
    this.running--;
  }

  private finish(i: number, status: ToolStatus, at: number, error: string | null, dedupedFrom?: string): void {
    this.statusCode[i] = CODE[status];
    this.endedAt[i] = at;
    this.flags[i] |= ENDED;
    this.errors[i] = error;
    if (dedupedFrom !== undefined) {
      this.dedupedFrom[i] = dedupedFrom;
      if (!(this.flags[i] & STARTED)) {
        this.startedAt[i] = at;
        this.flags[i] |= STARTED;
      }
    }
  }

  /** Wall time tool `i`'s attempts spent waiting for their share of a core (beyond their own work). */
  private timeSliced(i: number, share: SharedCores): number {
    let lost = 0;
    for (const a of this.attempts[i] ?? []) lost += Math.max(0, a.endedAt - a.startedAt - share.workBetween(a.startedAt, a.endedAt));
    return lost;
  }

  build(): RunRecord {
    const n = this.n;
    const measured = new Float64Array(n);
    let sequentialMs = 0;
    // Time-sliced cpu tools count their own work: n tools stretched to n / cores times their work
    // would otherwise count that stretch n times over and overstate the speedup (README "cpu").
    const share = this.shape.cpuShare;
    let cpuWorkMs = 0;
    for (let i = 0; i < n; i++) {
      if ((this.flags[i] & (STARTED | ENDED)) === (STARTED | ENDED)) {
        measured[i] = Math.max(0, this.endedAt[i] - this.startedAt[i]);
        if (share?.isCpu[i]) {
          measured[i] = Math.max(0, measured[i] - this.timeSliced(i, share));
          cpuWorkMs += measured[i];
        }
        sequentialMs += measured[i];
      }
    }
    const { preds, order } = this.shape;
    const criticalPathMs = preds ? longestPath(preds, measured, order) : 0;
    const slots = Math.min(this.shape.maxConcurrency, n || 1);
    let lowerBoundMs = Math.max(criticalPathMs, sequentialMs / slots, share ? cpuWorkMs / share.cores : 0);
    const { group, groupCaps } = this.shape;
    if (group && groupCaps && groupCaps.length > 0) {
      // A limited resource's work cannot take less than its total divided by its limit.
      const busy = new Float64Array(groupCaps.length);
      for (let i = 0; i < n; i++) if (group[i] >= 0) busy[group[i]] += measured[i];
      for (let g = 0; g < busy.length; g++) lowerBoundMs = Math.max(lowerBoundMs, busy[g] / groupCaps[g]);
    }
    const tools: ToolRecord[] = new Array<ToolRecord>(n);
    for (let i = 0; i < n; i++) {
      const f = this.flags[i];
      const status = STATUSES[this.statusCode[i]];
      const dedupedFrom = this.dedupedFrom[i];
      const output: JsonValue = status === 'succeeded' ? this.outputs[i] : null;
      const outputTruncated = status === 'succeeded' && this.truncated?.has(i) === true;
      const base = {
        id: this.shape.ids[i],
        // A tool without a final event can only come from a record built before the run ended.
        status: status ?? 'cancelled',
        queuedAt: f & QUEUED ? this.queuedAt[i] : null,
        startedAt: f & STARTED ? this.startedAt[i] : null,
        endedAt: f & ENDED ? this.endedAt[i] : null,
        attempts: this.attempts[i] ?? [],
        output,
        error: status === null ? 'the run ended before this tool finished' : (this.errors[i] ?? null),
      };
      const progress = this.progress?.get(i);
      const readyAt = f & ARRIVED && this.readyAt ? this.readyAt[i] : undefined;
      const a = this.approvals?.get(i);
      const approval: ApprovalRecord | undefined = a ? { askedAt: a.askedAt, answeredAt: a.answeredAt } : undefined;
      tools[i] = dedupedFrom !== undefined || progress || readyAt !== undefined || outputTruncated || approval
        ? {
            ...base, ...(dedupedFrom !== undefined ? { dedupedFrom } : {}), ...(progress ? { progress } : {}),
            ...(readyAt !== undefined ? { readyAt } : {}), ...(approval ? { approval } : {}),
            ...(outputTruncated ? { outputTruncated: true as const } : {}),
          }
        : base;
    }
    return {
      status: this.status ?? 'cancelled',
      makespanMs: this.runEndedAt,
      sequentialMs,
      criticalPathMs,
      lowerBoundMs,
      maxObservedConcurrency: this.maxRunning,
      ...(this.shape.caps ? { caps: this.shape.caps } : {}),
      tools,
      ...(this.connections ? { connections: this.connections } : {}),
    };
  }
}
