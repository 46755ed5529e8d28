// Folds the event stream into the RunRecord (DESIGN §3). The record is derived from events only,
// so a consumer that saw every event (the extension's live view, a trace writer) can rebuild
// exactly the same record.
import type { JsonValue } from '../plan/types';
import type { AttemptRecord, RunEvent, RunRecord, RunStatus, ToolRecord, ToolStatus } from './types';

interface MutableTool {
  status: ToolStatus | null;
  queuedAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  attempts: AttemptRecord[];
  attemptStart: number | null;
  output: JsonValue;
  error: string | null;
  dedupedFrom?: string;
}

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
}

export class RunRecordBuilder {
  private readonly tools: MutableTool[];
  private readonly indexOf = new Map<string, number>();
  private running = 0;
  private maxRunning = 0;
  private status: RunStatus | null = null;
  private endedAt = 0;

  constructor(private readonly shape: RecordShape) {
    this.tools = shape.ids.map(() => ({
      status: null, queuedAt: null, startedAt: null, endedAt: null, attempts: [], attemptStart: null, output: null, error: null,
    }));
    shape.ids.forEach((id, i) => this.indexOf.set(id, i));
  }

  /** Folds one event in. `index` (the tool's plan index) saves an id lookup when the caller knows it. */
  add(e: RunEvent, index?: number): void {
    if (e.type === 'run-started') return;
    if (e.type === 'run-ended') {
      this.status = e.status;
      this.endedAt = e.at;
      return;
    }
    const i = index ?? this.indexOf.get(e.id);
    if (i === undefined) return;
    const t = this.tools[i];
    switch (e.type) {
      case 'queued':
        t.queuedAt = e.at;
        return;
      case 'started':
        if (t.startedAt === null) t.startedAt = e.at;
        t.attemptStart = e.at;
        if (++this.running > this.maxRunning) this.maxRunning = this.running;
        return;
      case 'attempt-failed':
        this.endAttempt(t, e.at, e.error);
        return;
      case 'retrying':
        return;
      case 'succeeded':
        this.endAttempt(t, e.at, null);
        this.finish(t, 'succeeded', e.at, null, e.dedupedFrom);
        t.output = e.output;
        return;
      case 'failed':
      case 'timed-out':
        this.endAttempt(t, e.at, e.error);
        this.finish(t, e.type, e.at, e.error, e.dedupedFrom);
        return;
      case 'skipped':
        this.finish(t, 'skipped', e.at, e.reason);
        return;
      case 'cancelled':
        this.endAttempt(t, e.at, e.reason);
        this.finish(t, 'cancelled', e.at, e.reason);
        return;
    }
  }

  private endAttempt(t: MutableTool, at: number, error: string | null): void {
    if (t.attemptStart === null) return;
    t.attempts.push({ startedAt: t.attemptStart, endedAt: at, error });
    t.attemptStart = null;
    this.running--;
  }

  private finish(t: MutableTool, status: ToolStatus, at: number, error: string | null, dedupedFrom?: string): void {
    t.status = status;
    t.endedAt = at;
    t.error = error;
    if (dedupedFrom !== undefined) {
      t.dedupedFrom = dedupedFrom;
      if (t.startedAt === null) t.startedAt = at;
    }
  }

  build(): RunRecord {
    const n = this.tools.length;
    const measured = new Float64Array(n);
    let sequentialMs = 0;
    for (let i = 0; i < n; i++) {
      const t = this.tools[i];
      if (t.startedAt !== null && t.endedAt !== null) {
        measured[i] = Math.max(0, t.endedAt - t.startedAt);
        sequentialMs += measured[i];
      }
    }
    const { preds, succs, order } = this.shape;
    const criticalPathMs = preds ? (order ? longestPathInOrder(preds, order, measured) : longestPath(preds, measured)) : 0;
    const slots = Math.min(this.shape.maxConcurrency, n || 1);
    const tools: ToolRecord[] = this.tools.map((t, i) => ({
      id: this.shape.ids[i],
      // A tool without a final event can only come from a record built before the run ended.
      status: t.status ?? 'cancelled',
      queuedAt: t.queuedAt,
      startedAt: t.startedAt,
      endedAt: t.endedAt,
      attempts: t.attempts,
      output: t.status === 'succeeded' ? t.output : null,
      error: t.status === null ? 'the run ended before this tool finished' : t.error,
      ...(t.dedupedFrom !== undefined ? { dedupedFrom: t.dedupedFrom } : {}),
    }));
    return {
      status: this.status ?? 'cancelled',
      makespanMs: this.endedAt,
      sequentialMs,
      criticalPathMs,
      lowerBoundMs: Math.max(criticalPathMs, sequentialMs / slots),
      maxObservedConcurrency: this.maxRunning,
      tools,
    };
  }
}

/** Longest path through `preds` with per-tool weights; Kahn order, no recursion. */
export function longestPath(preds: readonly (readonly number[])[], w: ArrayLike<number>): number {
  const n = preds.length;
  const succs: number[][] = Array.from({ length: n }, (): number[] => []);
  const indeg = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    indeg[i] = preds[i].length;
    for (const p of preds[i]) succs[p].push(i);
  }
  const finish = new Float64Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue[tail++] = i;
  let best = 0;
  for (let h = 0; h < tail; h++) {
    const v = queue[h];
    let start = 0;
    for (const p of preds[v]) if (finish[p] > start) start = finish[p];
    finish[v] = start + w[v];
    if (finish[v] > best) best = finish[v];
    for (const s of succs[v]) if (--indeg[s] === 0) queue[tail++] = s;
  }
  return best;
}

/** Longest path when a topological order is known. */
export function longestPathInOrder(preds: readonly (readonly number[])[], order: Int32Array, w: ArrayLike<number>): number {
  const finish = new Float64Array(preds.length);
  let best = 0;
  for (let k = 0; k < order.length; k++) {
    const v = order[k];
    let start = 0;
    for (const p of preds[v]) if (finish[p] > start) start = finish[p];
    finish[v] = start + w[v];
    if (finish[v] > best) best = finish[v];
  }
  return best;
}
