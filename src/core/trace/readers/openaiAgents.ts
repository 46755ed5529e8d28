// OpenAI Agents SDK traces as its exporters write them: `{ data: [trace, span, …] }` (the
// backend exporter's payload), a list of items, or JSON lines. Span items: { object: "trace.span",
// id, trace_id, parent_id, started_at, ended_at, span_data: { type, … }, error }. span_data.type:
// generation (Chat Completions: input/output messages with tool_calls), response (Responses API:
// only a response_id unless the response was kept), function (a tool: name, input, output),
// agent, handoff, guardrail, custom. Function spans carry no call id: they are matched to the
// turn by name and arguments, then by timing.
import type { NormalisedTrace, SpanRole, TraceSpan } from '../model';
import { TraceError } from '../model';
import { isObject, isoToMs, looksCancelled, maybeJson, str } from '../values';
import { findToolCalls } from './messages';

export function looksLikeOpenAIAgents(doc: unknown): boolean {
  return itemsOf(doc).some((x) => isObject(x) && (x.object === 'trace.span' || isObject(x.span_data)));
}

function itemsOf(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (isObject(doc) && Array.isArray(doc.data)) return doc.data;
  if (isObject(doc) && (doc.object === 'trace.span' || isObject(doc.span_data))) return [doc];
  return [];
}

export function readOpenAIAgents(docs: readonly unknown[]): NormalisedTrace {
  const spans: TraceSpan[] = [];
  let responsesWithoutOutput = 0;
  for (const doc of docs) {
    for (const x of itemsOf(doc)) {
      if (!isObject(x) || !isObject(x.span_data)) continue;
      const id = str(x.id) ?? str(x.span_id);
      if (!id) continue;
      const d = x.span_data;
      const type = str(d.type) ?? '';
      const role: SpanRole = type === 'generation' || type === 'response' ? 'model' : type === 'function' ? 'tool' : type === 'agent' ? 'agent' : 'other';
      const err = isObject(x.error) ? str(x.error.message) ?? 'error' : str(x.error);
      const base = {
        id, parentId: str(x.parent_id) ?? null, traceId: str(x.trace_id) ?? '', name: str(d.name) ?? type,
        role, startMs: isoToMs(x.started_at), endMs: x.ended_at == null ? NaN : isoToMs(x.ended_at),
        status: err ? (looksCancelled(err) ? 'cancelled' : 'error') : 'ok', ...(err ? { error: err } : {}), locate: id,
      } as const;
      if (role === 'tool') {
        const args = maybeJson(d.input);
        const callId = str(d.call_id) ?? str(d.tool_call_id);
        spans.push({ ...base, toolName: base.name, ...(callId ? { callId } : {}), ...(args != null ? { arguments: args } : {}), ...(d.output != null ? { result: maybeJson(d.output) } : {}) });
      } else if (role === 'model') {
        const out = type === 'generation' ? d.output : isObject(d.response) ? d.response.output : d.output;
        if (out == null) responsesWithoutOutput++;
        const model = str(d.model) ?? (isObject(d.response) ? str(d.response.model) : undefined);
        spans.push({ ...base, ...(out != null ? { emitted: findToolCalls(out) } : {}), ...(d.input != null ? { input: maybeJson(d.input) } : {}), ...(model ? { model } : {}) });
      } else {
        spans.push(base);
      }
    }
  }
  if (spans.length === 0) throw new TraceError('The OpenAI Agents export has no spans: expected items with span_data (object "trace.span").');
  const notes = responsesWithoutOutput > 0 ? [`${responsesWithoutOutput} model span${responsesWithoutOutput === 1 ? '' : 's'} without captured output (response spans keep only the response id): their calls were matched by timing.`] : [];
  return { format: 'openai-agents', spans, notes };
}
