// Chrome Trace Event JSON for a run (opens in Perfetto and chrome://tracing). Each tool's running
// span goes in a lane (tid) of the "tools" process, lanes assigned greedily so tools that overlap
// never share one; queued spans go in lanes of a separate "queue" process, so waiting and working
// read as two swimlane groups. Attempts and retry waits nest inside their tool's span.

import type { RunRecord, ToolRecord } from '../engine/types';
import type { Plan } from '../plan/types';

export interface TraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'M' | 'i';
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly s?: 'g' | 'p' | 't';
  readonly args?: Readonly<Record<string, unknown>>;
}

export interface ChromeTrace {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: 'ms';
  readonly otherData: Readonly<Record<string, unknown>>;
}

export const TOOLS_PID = 1;
export const QUEUE_PID = 2;

/** ms → µs, kept to nanosecond precision so adjacent spans neither overlap nor gap by rounding. */
function us(ms: number): number {
  return Math.round(ms * 1e6) / 1e3;
}

/**
 * Greedy interval partitioning: sorted by start, each interval takes the lowest free lane.
 * Touching intervals (one ends when the next starts) may share a lane.
 */
export function assignLanes(intervals: readonly { readonly from: number; readonly to: number }[]): number[] {
  const order = intervals.map((_, i) => i).sort((a, b) => intervals[a].from - intervals[b].from || intervals[a].to - intervals[b].to || a - b);
  const laneEnd: number[] = [];
  const lane = new Array<number>(intervals.length).fill(0);
  for (const i of order) {
    const { from, to } = intervals[i];
    let k = laneEnd.findIndex((end) => end <= from);
    if (k === -1) {
      k = laneEnd.length;
      laneEnd.push(to);
    } else {
      laneEnd[k] = to;
    }
    lane[i] = k;
  }
  return lane;
}

function runningSpan(t: ToolRecord): { from: number; to: number } | null {
  const from = t.attempts[0]?.startedAt ?? t.startedAt;
  const to = t.endedAt ?? t.attempts[t.attempts.length - 1]?.endedAt ?? null;
  if (from === null || to === null) return null;
  return { from, to: Math.max(from, to) };
}

function queuedSpan(t: ToolRecord): { from: number; to: number } | null {
  if (t.queuedAt === null) return null;
  const to = t.attempts[0]?.startedAt ?? t.startedAt ?? t.endedAt;
  if (to === null || to <= t.queuedAt) return null;
  return { from: t.queuedAt, to };
}

/** Builds the trace. `plan` (optional) adds the plan name, each tool's kind and label. */
export function toChromeTrace(record: RunRecord, plan?: Plan): ChromeTrace {
  const events: TraceEvent[] = [];
  const specs = new Map(plan?.tools.map((t) => [t.id, t]) ?? []);
  const title = plan?.name ? `Fanout: ${plan.name}` : 'Fanout run';
  events.push({ name: 'process_name', ph: 'M', pid: TOOLS_PID, tid: 0, args: { name: `${title} — tools` } });
  events.push({ name: 'process_sort_index', ph: 'M', pid: TOOLS_PID, tid: 0, args: { sort_index: 0 } });
  events.push({ name: 'process_name', ph: 'M', pid: QUEUE_PID, tid: 0, args: { name: `${title} — queue (ready, waiting for a slot)` } });
  events.push({ name: 'process_sort_index', ph: 'M', pid: QUEUE_PID, tid: 0, args: { sort_index: 1 } });

  const tools = record.tools;
  const running = tools.map(runningSpan);
  const runIdx = running.flatMap((s, i) => (s ? [i] : []));
  const runLanes = assignLanes(runIdx.map((i) => running[i]!));
  const queued = tools.map(queuedSpan);
  const queueIdx = queued.flatMap((s, i) => (s ? [i] : []));
  const queueLanes = assignLanes(queueIdx.map((i) => queued[i]!));

  const laneCount = (lanes: number[]): number => lanes.reduce((m, l) => Math.max(m, l + 1), 0);
  for (let k = 0; k < laneCount(runLanes); k++) {
    events.push({ name: 'thread_name', ph: 'M', pid: TOOLS_PID, tid: k + 1, args: { name: `lane ${k + 1}` } });
    events.push({ name: 'thread_sort_index', ph: 'M', pid: TOOLS_PID, tid: k + 1, args: { sort_index: k } });
  }
  for (let k = 0; k < laneCount(queueLanes); k++) {
    events.push({ name: 'thread_name', ph: 'M', pid: QUEUE_PID, tid: k + 1, args: { name: `queue ${k + 1}` } });
    events.push({ name: 'thread_sort_index', ph: 'M', pid: QUEUE_PID, tid: k + 1, args: { sort_index: k } });
  }

  queueIdx.forEach((i, n) => {
    const t = tools[i];
    const s = queued[i]!;
    events.push({ name: `${t.id} (queued)`, ph: 'X', cat: 'queued', pid: QUEUE_PID, tid: queueLanes[n] + 1, ts: us(s.from), dur: us(s.to - s.from), args: { tool: t.id, status: t.status } });
  });

  runIdx.forEach((i, n) => {
    const t = tools[i];
    const s = running[i]!;
    const tid = runLanes[n] + 1;
    const spec = specs.get(t.id);
    events.push({
      name: t.id, ph: 'X', cat: `tool,${t.status}`, pid: TOOLS_PID, tid, ts: us(s.from), dur: us(s.to - s.from),
      args: {
        status: t.status, error: t.error, attempts: t.attempts.length,
        ...(spec ? { kind: spec.kind, label: spec.label } : {}),
        ...(t.dedupedFrom ? { dedupedFrom: t.dedupedFrom } : {}),
        ...(t.queuedAt !== null ? { queuedMs: Math.max(0, s.from - t.queuedAt) } : {}),
      },
    });
    // Attempts (and the waits between them) nest inside the tool's span on the same lane.
    if (t.attempts.length > 1 || t.attempts.some((a) => a.error !== null)) {
      t.attempts.forEach((a, k) => {
        if (k > 0) {
          const prev = t.attempts[k - 1].endedAt;
          if (a.startedAt > prev) events.push({ name: 'retry wait', ph: 'X', cat: 'retry-wait', pid: TOOLS_PID, tid, ts: us(prev), dur: us(a.startedAt - prev), args: { tool: t.id, before: k + 1 } });
        }
        events.push({
          name: `${t.id} #${k + 1}`, ph: 'X', cat: a.error === null ? 'attempt' : 'attempt,failed', pid: TOOLS_PID, tid,
          ts: us(a.startedAt), dur: us(Math.max(0, a.endedAt - a.startedAt)), args: { tool: t.id, attempt: k + 1, error: a.error },
        });
      });
    }
    // An MCP connection this call opened nests in its span; progress notifications are instants.
    for (const c of record.connections ?? []) {
      if (c.id !== t.id) continue;
      events.push({ name: `connect ${c.server}`, ph: 'X', cat: 'mcp-connect', pid: TOOLS_PID, tid, ts: us(c.startedAt), dur: us(Math.max(0, c.endedAt - c.startedAt)), args: { server: c.server, transport: c.transport, error: c.error } });
    }
    for (const p of t.progress ?? []) {
      events.push({ name: `${t.id} progress ${p.progress}${p.total !== undefined ? `/${p.total}` : ''}`, ph: 'i', s: 't', cat: 'progress', pid: TOOLS_PID, tid, ts: us(p.at), args: { tool: t.id, ...p } });
    }
  });

  // Connections made before the run (to list the servers' tools) sit before 0, on lane 0.
  for (const c of record.connections ?? []) {
    if (c.id !== undefined) continue;
    events.push({ name: `connect ${c.server} (before the run)`, ph: 'X', cat: 'mcp-connect', pid: TOOLS_PID, tid: 0, ts: us(c.startedAt), dur: us(Math.max(0, c.endedAt - c.startedAt)), args: { server: c.server, transport: c.transport, error: c.error } });
  }

  // Tools that never ran (skipped, cancelled while waiting) are instants, so they are not lost.
  tools.forEach((t, i) => {
    if (running[i]) return;
    const at = t.endedAt ?? t.queuedAt ?? 0;
    events.push({ name: `${t.id} (${t.status})`, ph: 'i', s: 'p', cat: t.status, pid: TOOLS_PID, tid: 0, ts: us(at), args: { status: t.status, error: t.error } });
  });

  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: {
      generator: 'fanout', ...(plan ? { plan: plan.name } : {}), status: record.status, makespanMs: record.makespanMs,
      sequentialMs: record.sequentialMs, criticalPathMs: record.criticalPathMs, lowerBoundMs: record.lowerBoundMs,
      maxObservedConcurrency: record.maxObservedConcurrency,
    },
  };
}
