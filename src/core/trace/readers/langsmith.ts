// LangSmith run exports: a list of runs (client.list_runs, the UI's export), `{ runs: [...] }`,
// or one run with nested `child_runs`. Each run: id, name, run_type (llm, tool, chain, …),
// start_time / end_time (ISO, often without a zone: UTC), parent_run_id, trace_id, inputs,
// outputs, error. Tool calls a model asked for are found in its outputs (LangChain message
// tool_calls); a tool run's call id in its inputs or outputs (tool_call_id).
import type { NormalisedTrace, TraceSpan } from '../model';
import { TraceError } from '../model';
import { isObject, isoToMs, looksCancelled, maybeJson, str } from '../values';
import { findKey, findToolCalls } from './messages';

export function looksLikeLangSmith(doc: unknown): boolean {
  const first = firstRun(doc);
  return isObject(first) && typeof first.run_type === 'string' && 'start_time' in first;
}

function firstRun(doc: unknown): unknown {
  if (Array.isArray(doc)) return doc[0];
  if (isObject(doc) && Array.isArray(doc.runs)) return doc.runs[0];
  return doc;
}

export function readLangSmith(docs: readonly unknown[]): NormalisedTrace {
  const runs: Record<string, unknown>[] = [];
  const visit = (r: unknown, parent: string | null): void => {
    if (!isObject(r)) return;
    runs.push(parent && !str(r.parent_run_id) ? { ...r, parent_run_id: parent } : r);
    if (Array.isArray(r.child_runs)) for (const c of r.child_runs) visit(c, str(r.id) ?? null);
  };
  for (const doc of docs) {
    const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.runs) ? doc.runs : [doc];
    for (const r of list) visit(r, null);
  }
  const spans: TraceSpan[] = [];
  for (const r of runs) {
    const id = str(r.id);
    if (!id) continue;
    const type = str(r.run_type) ?? '';
    const role = type === 'llm' ? 'model' : type === 'tool' ? 'tool' : 'other';
    const error = str(r.error);
    const status = error ? (looksCancelled(error) ? 'cancelled' : 'error') : r.status === 'error' ? 'error' : 'ok';
    const inputs = r.inputs;
    const outputs = r.outputs;
    const base = {
      id, parentId: str(r.parent_run_id) ?? null, traceId: str(r.trace_id) ?? '', name: str(r.name) ?? type,
      role, startMs: isoToMs(r.start_time), endMs: r.end_time == null ? NaN : isoToMs(r.end_time), status,
      ...(error ? { error: firstLine(error) } : {}), locate: id,
    } as const;
    if (role === 'tool') {
      const callId = findKey(inputs, ['tool_call_id']) ?? findKey(outputs, ['tool_call_id']) ?? findKey(r.extra, ['tool_call_id']);
      const args = isObject(inputs) && 'input' in inputs ? maybeJson(inputs.input) : (inputs as TraceSpan['arguments']);
      const result = isObject(outputs) && 'output' in outputs ? outputs.output : outputs;
      spans.push({ ...base, toolName: base.name, ...(callId ? { callId } : {}), ...(args !== undefined && args !== null ? { arguments: args } : {}), ...(result !== undefined && result !== null ? { result: result as TraceSpan['result'] } : {}) });
    } else if (role === 'model') {
      const model = findKey(r.extra, ['ls_model_name', 'model_name', 'model']);
      spans.push({ ...base, ...(outputs != null ? { emitted: findToolCalls(outputs) } : {}), ...(inputs != null ? { input: inputs as TraceSpan['input'] } : {}), ...(model ? { model } : {}) });
    } else {
      spans.push(base);
    }
  }
  if (spans.length === 0) throw new TraceError('The LangSmith export has no runs with an id: export the runs of a trace (each with id, run_type, start_time).');
  return { format: 'langsmith', spans, notes: [] };
}

function firstLine(s: string): string {
  const t = s.trim();
  const lines = t.split('\n');
  // Python tracebacks end with the exception line: that is the one worth showing.
  return lines.length > 1 && /^Traceback/.test(lines[0]) ? lines[lines.length - 1] : lines[0];
}
