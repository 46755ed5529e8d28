// An audit result as the plan view draws it (protocol ViewAudit). Pure (no vscode): the browser
// tests feed the real core's audit through it, as the panel does.
//
// The tool calls become finished runs the plan view's timeline already knows how to draw — one
// attempt per call, from its span's start to its end — once as they ran and once as Fanout's
// counterfactual placed them; the model turns become the timeline's model lanes.
import type { AuditResult } from '../../core/trace/audit';
import type { CallStatus } from '../../core/trace/turns';
import type { PlacedSpan } from '../../core/trace/counterfactual';
import type { SourceRange } from '../../core/plan/types';
import type { ViewAudit, ViewAuditSchedule, ViewToolRecord } from '../../protocol/planView';
import type { ToolStatus } from '../../core/engine/types';
import { toViewDiagnostic } from '../planView/toView';

export interface AuditViewSource {
  readonly uri: string;
  readonly fileLabel: string;
  /** Per tool call, where its span stands in the trace (core/trace/audit toolRanges). */
  readonly ranges?: readonly SourceRange[];
}

/** The timeline's states; a span still open when the trace was written is drawn as failed, said so. */
const STATUS: Readonly<Record<CallStatus, ToolStatus>> = {
  succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled', 'timed-out': 'timed-out', unfinished: 'failed',
};

export function auditToView(a: AuditResult, source: AuditViewSource): ViewAudit {
  const { rebuilt: r, counterfactual: cf } = a;
  const laneIds = [...new Set(r.turns.map((t) => t.lane))];
  const lanes = r.synthetic ? [] : laneIds.map((_, k) => (laneIds.length === 1 ? 'model' : `model ${k + 1}`));
  const laneIndex = new Map(laneIds.map((l, k) => [l, k]));
  // Row ids must be unique (the timeline indexes rows by id); span ids may repeat across traces.
  const ids = r.tools.map((t) => `${t.index}`);
  const label = (i: number): string => {
    const t = r.tools[i];
    return `${t.turn >= 0 && !r.synthetic ? `${t.turn + 1}·` : ''}${t.name}`;
  };
  const record = (place: (i: number) => PlacedSpan, status: (i: number) => ToolStatus, error: (i: number) => string | null, makespanMs: number): ViewAuditSchedule['record'] => {
    let busy = 0;
    const tools: ViewToolRecord[] = r.tools.map((t) => {
      const p = place(t.index);
      const err = error(t.index);
      busy += Math.max(0, p.endedAt - p.startedAt);
      return {
        id: ids[t.index], status: status(t.index), queuedAt: null, startedAt: p.startedAt, endedAt: p.endedAt, error: err,
        attempts: [{ startedAt: p.startedAt, endedAt: p.endedAt, error: status(t.index) === 'succeeded' ? null : err ?? status(t.index), ...(t.status === 'timed-out' ? { timedOut: true as const } : {}) }],
      };
    });
    const failed = r.tools.some((t) => t.status === 'failed' || t.status === 'timed-out' || t.status === 'unfinished');
    const cancelled = r.tools.some((t) => t.status === 'cancelled');
    return {
      status: failed ? 'failed' : cancelled ? 'cancelled' : 'succeeded',
      makespanMs, sequentialMs: busy, criticalPathMs: cf.counterfactualMs, lowerBoundMs: cf.counterfactualMs,
      maxObservedConcurrency: maxOverlap(tools), tools,
    };
  };
  const errorOf = (i: number): string | null => {
    const t = r.tools[i];
    if (t.status === 'unfinished') return 'never ended: the span was still open when the trace was written';
    return t.error ?? null;
  };
  const statusOf = (i: number): ToolStatus => STATUS[r.tools[i].status];
  return {
    uri: source.uri,
    fileLabel: source.fileLabel,
    format: r.format,
    lanes,
    turns: r.synthetic ? [] : r.turns.map((t) => ({
      id: t.id, lane: laneIndex.get(t.lane) ?? 0, label: `turn ${t.index + 1}`, calls: t.calls.length, ...(t.span?.model ? { model: t.span.model } : {}),
    })),
    tools: r.tools.map((t) => {
      const at = source.ranges?.[t.index];
      return { id: ids[t.index], label: label(t.index), line: at?.line ?? 1, column: at?.column ?? 1 };
    }),
    actual: {
      turns: r.synthetic ? [] : r.turns.map((t) => ({ startedAt: t.startedAt, endedAt: t.endedAt })),
      record: record((i) => r.tools[i], statusOf, errorOf, cf.actualMs),
    },
    // The counterfactual keeps each call's measured duration and outcome; only its place moves.
    counterfactual: {
      turns: r.synthetic ? [] : cf.turns.map((t) => (t ? { startedAt: t.startedAt, endedAt: t.endedAt } : null)),
      record: record((i) => cf.tools[i], statusOf, errorOf, cf.counterfactualMs),
    },
    actualMs: cf.actualMs,
    counterfactualMs: cf.counterfactualMs,
    savings: cf.savings,
    contentCaptured: r.contentCaptured,
    synthetic: r.synthetic,
    notes: r.notes,
    diagnostics: a.diagnostics.map(toViewDiagnostic),
  };
}

/** Most calls running at once (a sweep over starts and ends; an end before a start at the same instant). */
function maxOverlap(tools: readonly ViewToolRecord[]): number {
  const points: [number, number][] = [];
  for (const t of tools) {
    if (t.startedAt === null || t.endedAt === null) continue;
    points.push([t.startedAt, 1], [t.endedAt, -1]);
  }
  points.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of points) {
    now += d;
    if (now > max) max = now;
  }
  return max;
}
