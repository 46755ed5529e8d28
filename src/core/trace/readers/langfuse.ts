// Langfuse exports: a trace with its observations (GET /api/public/traces/{id}), a page of
// observations (`{ data: [...] }`) or a plain list. Observation: id, traceId, type (GENERATION,
// SPAN, TOOL, AGENT, EVENT, …), name, startTime, endTime, parentObservationId, input, output,
// level (ERROR), statusMessage, model. Older SDKs record tools as plain SPANs: a span named like
// a tool a generation asked for, after it, is taken as that tool call (said in the notes).
import type { NormalisedTrace, SpanRole, TraceSpan } from '../model';
import { TraceError } from '../model';
import { isObject, isoToMs, looksCancelled, maybeJson, str } from '../values';
import { findKey, findToolCalls } from './messages';

export function looksLikeLangfuse(doc: unknown): boolean {
  const obs = observationsOf(doc);
  const first = obs[0];
  return isObject(first) && typeof first.type === 'string' && ('startTime' in first) && ('traceId' in first || 'parentObservationId' in first);
}

function observationsOf(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc.flatMap((d) => (isObject(d) && Array.isArray(d.observations) ? d.observations : [d]));
  if (isObject(doc)) {
    if (Array.isArray(doc.observations)) return doc.observations;
    if (Array.isArray(doc.data)) return observationsOf(doc.data);
  }
  return [];
}

const ROLE: Readonly<Record<string, SpanRole>> = { GENERATION: 'model', TOOL: 'tool', AGENT: 'agent' };

export function readLangfuse(docs: readonly unknown[]): NormalisedTrace {
  const spans: TraceSpan[] = [];
  const notes: string[] = [];
  for (const doc of docs) {
    for (const o of observationsOf(doc)) {
      if (!isObject(o)) continue;
      const id = str(o.id);
      if (!id) continue;
      const type = (str(o.type) ?? '').toUpperCase();
      const role: SpanRole = ROLE[type] ?? 'other';
      const level = str(o.level);
      const message = str(o.statusMessage);
      const status = level === 'ERROR' ? (looksCancelled(message) ? 'cancelled' : 'error') : 'ok';
      const start = isoToMs(o.startTime);
      const base = {
        id, parentId: str(o.parentObservationId) ?? null, traceId: str(o.traceId) ?? '', name: str(o.name) ?? type.toLowerCase(),
        role, startMs: start, endMs: o.endTime == null ? (type === 'EVENT' ? start : NaN) : isoToMs(o.endTime), status,
        ...(status !== 'ok' && message ? { error: message } : {}), locate: id,
      } as const;
      const model = str(o.model);
      spans.push({
        ...base,
        ...(o.input != null ? { input: maybeJson(o.input) } : {}),
        ...(o.output != null ? { result: maybeJson(o.output) } : {}),
        ...(role === 'model' && o.output != null ? { emitted: findToolCalls(maybeJson(o.output)) } : {}),
        ...(model ? { model } : {}),
        ...(role === 'tool' ? toolFields(o, base.name) : {}),
      } as TraceSpan);
    }
  }
  if (spans.length === 0) throw new TraceError('The Langfuse export has no observations: export a trace with its observations (GET /api/public/traces/{id}).');
  // Tools recorded as plain spans: named like a call an earlier generation asked for.
  if (!spans.some((s) => s.role === 'tool')) {
    const asked = new Set(spans.flatMap((s) => (s.emitted ?? []).map((c) => c.name)));
    let promoted = 0;
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i];
      if (s.role !== 'other' || !asked.has(s.name)) continue;
      spans[i] = { ...s, role: 'tool', ...toolFields({ input: s.input, output: s.result }, s.name) };
      promoted++;
    }
    if (promoted > 0) notes.push(`${promoted} Langfuse span${promoted === 1 ? '' : 's'} taken as tool calls because a generation asked for a tool of that name.`);
  }
  // For non-tools `input`/`result` were only carried to make that decision.
  return { format: 'langfuse', spans: spans.map((s) => (s.role === 'tool' || s.role === 'model' ? s : stripContent(s))), notes };
}

function toolFields(o: Record<string, unknown>, name: string): Partial<TraceSpan> {
  const callId = findKey(o.input, ['tool_call_id', 'toolCallId', 'call_id']) ?? findKey(o.metadata, ['tool_call_id', 'toolCallId', 'call_id']) ?? findKey(o.output, ['tool_call_id', 'toolCallId']);
  const args = maybeJson(o.input);
  const result = maybeJson(o.output);
  return { toolName: name, ...(callId ? { callId } : {}), ...(args != null ? { arguments: args } : {}), ...(result != null ? { result } : {}) };
}

function stripContent(s: TraceSpan): TraceSpan {
  const { input: _i, result: _r, ...rest } = s;
  void _i;
  void _r;
  return rest;
}
