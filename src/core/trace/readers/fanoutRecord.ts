// Fanout's own run records (`fanout run --json`, `simulate --json`, history entries): tools with
// queuedAt (ready: its dependencies had finished), startedAt, endedAt and status, times in ms
// from the run start. A record has no model turns: all tools form one batch, and a tool that
// started later than it was ready waited for a slot.
import type { NormalisedTrace, SpanStatus, TraceSpan } from '../model';
import { TraceError } from '../model';
import { isObject, str } from '../values';

export function looksLikeFanoutRecord(doc: unknown): boolean {
  return isObject(doc) && Array.isArray(doc.tools) && typeof doc.makespanMs === 'number' && typeof doc.status === 'string';
}

const STATUS: Readonly<Record<string, SpanStatus>> = { succeeded: 'ok', failed: 'error', 'timed-out': 'error', cancelled: 'cancelled', denied: 'error' };

export function readFanoutRecord(doc: unknown): NormalisedTrace {
  if (!isObject(doc) || !Array.isArray(doc.tools)) throw new TraceError('Not a Fanout run record: expected { status, makespanMs, tools: [...] }.');
  const spans: TraceSpan[] = [];
  let never = 0;
  for (const t of doc.tools) {
    if (!isObject(t)) continue;
    const id = str(t.id);
    if (!id) continue;
    if (typeof t.startedAt !== 'number' || typeof t.endedAt !== 'number') {
      never++;
      continue;
    }
    const status = STATUS[str(t.status) ?? ''] ?? 'unset';
    const error = str(t.error);
    const label = str(t.label);
    spans.push({
      id, parentId: null, traceId: 'run', name: label ?? id, role: 'tool', toolName: label ?? id,
      startMs: t.startedAt, endMs: t.endedAt, status,
      ...(error ? { error: t.status === 'timed-out' && !/timed? ?out/i.test(error) ? `timed out: ${error}` : error } : {}),
      ...(typeof t.queuedAt === 'number' ? { readyMs: t.queuedAt } : {}),
      locate: id,
    });
  }
  if (spans.length === 0) throw new TraceError('The Fanout run record has no tool that started: nothing to audit.');
  const notes = never > 0 ? [`${never} tool${never === 1 ? '' : 's'} never started (skipped or cancelled before starting).`] : [];
  // The run starts at 0, not at the first tool's start.
  spans.push({ id: '(run)', parentId: null, traceId: 'run', name: 'run', role: 'other', startMs: 0, endMs: typeof doc.makespanMs === 'number' ? doc.makespanMs : 0, status: 'ok' });
  return { format: 'fanout', spans, notes };
}
