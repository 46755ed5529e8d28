// The live state of one run, built from batched run events (or a finished record). Pure data, no
// DOM: the timeline and the graph read it, and re-render only the rows it marks dirty.
import type { LiveStatus, ViewProgress, ViewRunEvent, ViewRunRecord } from '../../protocol/planView';

export interface LiveAttempt {
  readonly startedAt: number;
  endedAt: number | null;
  error: string | null;
  timedOut: boolean;
}

export interface LiveTool {
  readonly id: string;
  status: LiveStatus;
  queuedAt: number | null;
  readonly attempts: LiveAttempt[];
  /** While retrying: when the next attempt is due. */
  retryUntil: number | null;
  endedAt: number | null;
  /** Final error, or the skip/cancel reason. */
  error: string | null;
  /** The latest MCP progress notification of the current attempt (a retry starts without one). */
  progress: ViewProgress | null;
}

export type RunPhase = 'idle' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RunStats {
  /** Run time so far (live) or the final makespan. */
  readonly makespanMs: number;
  /** Sum of attempt durations: the time slots were busy. */
  readonly busyMs: number;
  /** The slots utilisation is measured against: the cap, else the most that ran at once. */
  readonly slots: number;
  readonly slotsAreCap: boolean;
  /** busy / (makespan × slots), 0..1. */
  readonly utilisation: number;
  readonly maxConcurrency: number;
  readonly counts: Readonly<Record<LiveStatus, number>>;
  readonly attempts: number;
}

export const LIVE_STATUSES: readonly LiveStatus[] = ['pending', 'queued', 'approval', 'running', 'retrying', 'succeeded', 'failed', 'timed-out', 'skipped', 'cancelled', 'denied'];

const FINAL: ReadonlySet<LiveStatus> = new Set<LiveStatus>(['succeeded', 'failed', 'timed-out', 'skipped', 'cancelled', 'denied']);

export function isFinal(status: LiveStatus): boolean {
  return FINAL.has(status);
}

export class RunModel {
  runId: string | null = null;
  mode: 'run' | 'simulate' = 'simulate';
  phase: RunPhase = 'idle';
  /** The cap the run started with (null = unbounded). */
  slots: number | null = null;
  /** Latest time seen (ms from run start). */
  now = 0;
  record: ViewRunRecord | null = null;
  tools: LiveTool[] = [];
  private index = new Map<string, number>();
  private dirty = new Set<number>();
  private running = 0;
  private maxRunning = 0;
  /** Set when every row must be redrawn (new run, new tool list). */
  allDirty = true;

  /** No run: every tool pending (the plan's tools, before anything ran). */
  reset(ids: readonly string[]): void {
    this.runId = null;
    this.phase = 'idle';
    this.record = null;
    this.slots = null;
    this.now = 0;
    this.setTools(ids);
  }

  start(runId: string, mode: 'run' | 'simulate', ids: readonly string[], slots: number | null): void {
    this.runId = runId;
    this.mode = mode;
    this.phase = 'running';
    this.record = null;
    this.slots = slots;
    this.now = 0;
    this.setTools(ids);
  }

  private setTools(ids: readonly string[]): void {
    this.tools = ids.map((id) => ({ id, status: 'pending', queuedAt: null, attempts: [], retryUntil: null, endedAt: null, error: null, progress: null }));
    this.index = new Map(ids.map((id, i) => [id, i]));
    this.running = 0;
    this.maxRunning = 0;
    this.dirty.clear();
    this.allDirty = true;
  }

  indexOf(id: string): number | undefined {
    return this.index.get(id);
  }

  /** Applies a batch; events for unknown tools (a plan edited mid-run) are ignored. */
  apply(events: readonly ViewRunEvent[]): void {
    for (const e of events) this.applyOne(e);
  }

  private applyOne(e: ViewRunEvent): void {
    if (typeof e.at === 'number' && Number.isFinite(e.at) && e.at > this.now) this.now = e.at;
    if (e.type === 'run-ended') {
      if (e.status === 'succeeded' || e.status === 'failed' || e.status === 'cancelled') this.phase = e.status;
      return;
    }
    if (e.id === undefined) return;
    const i = this.index.get(e.id);
    if (i === undefined) return;
    const t = this.tools[i];
    this.dirty.add(i);
    switch (e.type) {
      case 'queued':
        t.queuedAt = e.at;
        if (t.status === 'pending') t.status = 'queued';
        break;
      case 'started':
        this.closeAttempt(t, e.at, null, false);
        t.attempts.push({ startedAt: e.at, endedAt: null, error: null, timedOut: false });
        t.status = 'running';
        t.retryUntil = null;
        t.progress = null;
        this.running++;
        if (this.running > this.maxRunning) this.maxRunning = this.running;
        break;
      case 'attempt-failed':
        this.closeAttempt(t, e.at, e.error ?? 'failed', e.timedOut === true);
        break;
      case 'retrying':
        t.status = 'retrying';
        t.retryUntil = e.at + (e.delayMs ?? 0);
        break;
      case 'succeeded':
        this.closeAttempt(t, e.at, null, false);
        this.finish(t, 'succeeded', e.at, null);
        break;
      case 'failed':
      case 'timed-out':
        this.closeAttempt(t, e.at, e.error ?? e.type, e.type === 'timed-out');
        this.finish(t, e.type, e.at, e.error ?? null);
        break;
      case 'progress':
        // Only the attempt that is running now: a late note of an earlier attempt is stale.
        if (e.attempt !== t.attempts.length) {
          this.dirty.delete(i);
          break;
        }
        t.progress = { progress: e.progress, ...(e.total !== undefined ? { total: e.total } : {}), ...(e.message !== undefined ? { message: e.message } : {}) };
        break;
      case 'awaiting-approval':
        if (t.status === 'pending' || t.status === 'queued') t.status = 'approval';
        break;
      case 'approved':
        if (t.status === 'approval') t.status = 'queued';
        break;
      case 'skipped':
      case 'cancelled':
      case 'denied':
        this.closeAttempt(t, e.at, e.reason ?? e.type, false);
        this.finish(t, e.type, e.at, e.reason ?? null);
        break;
      default:
        this.dirty.delete(i);
    }
  }

  private closeAttempt(t: LiveTool, at: number, error: string | null, timedOut: boolean): void {
    const last = t.attempts[t.attempts.length - 1];
    if (!last || last.endedAt !== null) return;
    last.endedAt = at;
    last.error = error;
    last.timedOut = timedOut;
    this.running = Math.max(0, this.running - 1);
  }

  private finish(t: LiveTool, status: LiveStatus, at: number, error: string | null): void {
    t.status = status;
    t.endedAt = at;
    t.retryUntil = null;
    t.error = error;
  }

  /** A finished run: the record is authoritative (times, attempts, final states). */
  finishWith(runId: string, mode: 'run' | 'simulate', record: ViewRunRecord, slots?: number | null): void {
    const sameRun = this.runId === runId && this.tools.length === record.tools.length;
    if (!sameRun) {
      this.setTools(record.tools.map((t) => t.id));
      if (slots !== undefined) this.slots = slots;
      else this.slots = null;
    } else if (slots !== undefined) {
      this.slots = slots;
    }
    this.runId = runId;
    this.mode = mode;
    this.record = record;
    this.phase = record.status;
    this.now = record.makespanMs;
    record.tools.forEach((r, i) => {
      const t = this.tools[i];
      if (t.id !== r.id) return;
      t.status = r.status;
      t.queuedAt = r.queuedAt;
      t.endedAt = r.endedAt;
      t.error = r.error;
      t.retryUntil = null;
      t.progress = r.progress ?? null;
      t.attempts.length = 0;
      for (const a of r.attempts) t.attempts.push({ startedAt: a.startedAt, endedAt: a.endedAt, error: a.error, timedOut: a.timedOut === true });
      this.dirty.add(i);
    });
    this.running = 0;
    this.maxRunning = Math.max(this.maxRunning, record.maxObservedConcurrency);
    this.allDirty = true;
  }

  /** Rows changed since the last call (all rows when allDirty). */
  takeDirty(): { all: boolean; rows: number[] } {
    const all = this.allDirty;
    const rows = [...this.dirty];
    this.dirty.clear();
    this.allDirty = false;
    return { all, rows };
  }

  stats(): RunStats {
    const counts = Object.fromEntries(LIVE_STATUSES.map((s) => [s, 0])) as Record<LiveStatus, number>;
    let busy = 0;
    let attempts = 0;
    for (const t of this.tools) {
      counts[t.status]++;
      for (const a of t.attempts) {
        attempts++;
        busy += Math.max(0, (a.endedAt ?? this.now) - a.startedAt);
      }
    }
    const makespan = this.record ? this.record.makespanMs : this.now;
    const maxConcurrency = this.record ? this.record.maxObservedConcurrency : this.maxRunning;
    const slotsAreCap = this.slots !== null && this.slots > 0;
    const slots = slotsAreCap ? (this.slots as number) : Math.max(1, maxConcurrency);
    const utilisation = makespan > 0 ? Math.min(1, busy / (makespan * slots)) : 0;
    return { makespanMs: makespan, busyMs: busy, slots, slotsAreCap, utilisation, maxConcurrency, counts, attempts };
  }
}
