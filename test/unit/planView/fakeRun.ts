// A small deterministic list scheduler that produces the event stream and record a run of a
// ViewAnalysis would produce, with injected retries and failures. It exists so webview tests can
// drive the timeline with realistic protocol messages without depending on the engine.
import type { ViewAnalysis, ViewRunEvent, ViewRunRecord, ViewToolRecord } from '../../../src/protocol/planView';

export interface FakeRunOptions {
  readonly cap?: number | null;
  /** Tools whose first attempt fails (then succeed on retry). */
  readonly failOnce?: readonly string[];
  /** Tools that fail every attempt. */
  readonly failAlways?: readonly string[];
  readonly retries?: number;
  readonly retryDelayMs?: number;
  readonly error?: string;
}

export interface FakeRun {
  readonly events: ViewRunEvent[];
  readonly record: ViewRunRecord;
}

export function fakeRun(a: Pick<ViewAnalysis, 'tools' | 'criticalPath' | 'estimate'>, o: FakeRunOptions = {}): FakeRun {
  const cap = o.cap ?? Infinity;
  const retries = o.retries ?? 1;
  const delay = o.retryDelayMs ?? 100;
  const failOnce = new Set(o.failOnce ?? []);
  const failAlways = new Set(o.failAlways ?? []);
  const n = a.tools.length;
  const idx = new Map(a.tools.map((t, i) => [t.id, i]));
  const succs: number[][] = a.tools.map(() => []);
  const waiting = a.tools.map((t) => t.dependsOn.length);
  a.tools.forEach((t, i) => t.dependsOn.forEach((d) => succs[idx.get(d) as number].push(i)));
  const rec = a.tools.map((t) => ({ id: t.id, status: 'succeeded' as ViewToolRecord['status'], queuedAt: null as number | null, startedAt: null as number | null, endedAt: null as number | null, attempts: [] as { startedAt: number; endedAt: number; error: string | null }[], error: null as string | null }));
  const events: ViewRunEvent[] = [];
  const queue: number[] = [];
  const timers: { at: number; kind: 'end' | 'requeue'; i: number }[] = [];
  let running = 0;
  let maxRunning = 0;
  let t = 0;

  const enqueue = (i: number): void => {
    if (rec[i].queuedAt === null) {
      rec[i].queuedAt = t;
      events.push({ type: 'queued', at: t, id: a.tools[i].id });
    }
    queue.push(i);
  };
  const skipFrom = (i: number): void => {
    for (const s of succs[i]) {
      if (rec[s].endedAt !== null) continue;
      rec[s].status = 'skipped';
      rec[s].endedAt = t;
      rec[s].error = `dependency ${a.tools[i].id} failed`;
      events.push({ type: 'skipped', at: t, id: a.tools[s].id, reason: rec[s].error as string });
      skipFrom(s);
    }
  };
  a.tools.forEach((_, i) => { if (waiting[i] === 0) enqueue(i); });
  for (;;) {
    while (running < cap && queue.length > 0) {
      const i = queue.shift() as number;
      const attempt = rec[i].attempts.length + 1;
      rec[i].startedAt ??= t;
      rec[i].attempts.push({ startedAt: t, endedAt: -1, error: null });
      events.push({ type: 'started', at: t, id: a.tools[i].id, attempt });
      running++;
      maxRunning = Math.max(maxRunning, running);
      const fails = failAlways.has(a.tools[i].id) || (failOnce.has(a.tools[i].id) && attempt === 1);
      timers.push({ at: t + (fails ? a.tools[i].durationMs / 2 : a.tools[i].durationMs), kind: 'end', i });
    }
    if (timers.length === 0) break;
    timers.sort((x, y) => x.at - y.at || x.i - y.i);
    const next = timers.shift() as { at: number; kind: 'end' | 'requeue'; i: number };
    t = next.at;
    const i = next.i;
    const id = a.tools[i].id;
    if (next.kind === 'requeue') {
      queue.push(i);
      continue;
    }
    running--;
    const at = rec[i].attempts[rec[i].attempts.length - 1];
    at.endedAt = t;
    const attempt = rec[i].attempts.length;
    const fails = failAlways.has(id) || (failOnce.has(id) && attempt === 1);
    if (fails) {
      const error = o.error ?? `HTTP 503 from ${id}`;
      at.error = error;
      events.push({ type: 'attempt-failed', at: t, id, attempt, error, timedOut: false });
      if (attempt <= retries) {
        events.push({ type: 'retrying', at: t, id, attempt: attempt + 1, delayMs: delay });
        timers.push({ at: t + delay, kind: 'requeue', i });
      } else {
        rec[i].status = 'failed';
        rec[i].endedAt = t;
        rec[i].error = error;
        events.push({ type: 'failed', at: t, id, error });
        skipFrom(i);
      }
      continue;
    }
    rec[i].endedAt = t;
    events.push({ type: 'succeeded', at: t, id });
    for (const s of succs[i]) if (--waiting[s] === 0 && rec[s].endedAt === null) enqueue(s);
  }
  const failed = rec.some((r) => r.status !== 'succeeded');
  events.push({ type: 'run-ended', at: t, status: failed ? 'failed' : 'succeeded' });
  return {
    events,
    record: {
      status: failed ? 'failed' : 'succeeded',
      makespanMs: t,
      sequentialMs: a.estimate.sequentialMs,
      criticalPathMs: a.criticalPath.ms,
      lowerBoundMs: a.estimate.lowerBoundMs,
      maxObservedConcurrency: maxRunning,
      tools: rec.map((r) => ({ ...r, attempts: r.attempts.map((x) => ({ ...x })) })),
    },
  };
}

/** Splits events into `k` consecutive batches of about equal size (as the host coalesces them). */
export function batches<T>(events: readonly T[], k: number): T[][] {
  const size = Math.ceil(events.length / k);
  const out: T[][] = [];
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size));
  return out;
}
