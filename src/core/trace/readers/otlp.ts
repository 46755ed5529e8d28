// OTLP/JSON and span arrays. Accepted:
// - ExportTraceServiceRequest objects `{ resourceSpans: [{ resource, scopeSpans: [{ scope, spans }] }] }`
//   (OTLP/HTTP JSON exporters), one per line as the collector's file exporter writes them, or a
//   list of them; the proto3 JSON mapping's details: hex trace/span ids, int64 nanoseconds as
//   decimal strings, attributes as KeyValue lists of AnyValue, status codes as numbers or names;
//   the older `instrumentationLibrarySpans` key too;
// - span arrays as in-memory exporters give them: OTLP-shaped spans, Python's
//   ReadableSpan.to_json() (context.trace_id, parent_id, ISO times, attribute objects), OpenTelemetry
//   JS ReadableSpans serialised with JSON.stringify (spanContext / _spanContext, HrTime pairs,
//   parentSpanContext or parentSpanId), and Phoenix span exports (span_kind, status_code).
// The span's meaning (model call, tool call) comes from semantics.ts.
import type { NormalisedTrace, SpanStatus, TraceSpan, Writable } from '../model';
import { TraceError } from '../model';
import { readAttributes } from '../attributes';
import { spanMeaning, type SpanEvent } from '../semantics';
import { hrTimeToMs, isObject, isoToMs, looksCancelled, nanosToMs, str } from '../values';

/** Whether a parsed document looks like OTLP or a span array (detection). */
export function looksLikeOtlp(doc: unknown): boolean {
  if (isObject(doc)) return Array.isArray(doc.resourceSpans);
  if (!Array.isArray(doc) || doc.length === 0) return false;
  const first: unknown = doc[0];
  if (!isObject(first)) return false;
  if (Array.isArray(first.resourceSpans)) return true;
  return (typeof first.spanId === 'string' || isObject(first.context) || isObject(first.spanContext) || isObject(first._spanContext)) && typeof first.name === 'string';
}

/** The spans of one or many OTLP documents (a JSON-lines file gives many). */
export function readOtlp(docs: readonly unknown[]): NormalisedTrace {
  const c = otlpCollector();
  for (const doc of docs) {
    const requests = Array.isArray(doc) && doc.length > 0 && isObject(doc[0]) && Array.isArray(doc[0].resourceSpans) ? doc : [doc];
    for (const req of requests) {
      if (isObject(req) && Array.isArray(req.resourceSpans)) {
        for (const rs of req.resourceSpans) {
          if (!isObject(rs)) continue;
          const scopes = Array.isArray(rs.scopeSpans) ? rs.scopeSpans : Array.isArray(rs.instrumentationLibrarySpans) ? rs.instrumentationLibrarySpans : [];
          for (const ss of scopes) {
            if (!isObject(ss) || !Array.isArray(ss.spans)) continue;
            for (const sp of ss.spans) c.push(sp);
          }
        }
      } else if (Array.isArray(req)) {
        for (const sp of req) c.push(sp);
      }
    }
  }
  return c.finish();
}

/** Spans read one at a time (otlpSlices.ts hands them over as it parses them), then the trace. */
export function otlpCollector(): { push(raw: unknown): void; finish(): NormalisedTrace } {
  const spans: TraceSpan[] = [];
  let openInference = false;
  return {
    push(raw) {
      const s = readSpan(raw);
      if (!s) return;
      if (s.oi) openInference = true;
      spans.push(s.span);
    },
    finish() {
      if (spans.length === 0) throw new TraceError('The OTLP document has no spans: resourceSpans[].scopeSpans[].spans is empty. Export a trace that recorded at least one span.');
      return { format: openInference ? 'openinference' : 'otlp', spans, notes: [] };
    },
  };
}

/** Most spans have no events: one shared empty list rather than two new arrays per span. */
const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);

function readSpan(raw: unknown): { span: TraceSpan; oi: boolean } | undefined {
  if (!isObject(raw)) return undefined;
  const ctx = isObject(raw.context) ? raw.context : isObject(raw.spanContext) ? raw.spanContext : isObject(raw._spanContext) ? raw._spanContext : undefined;
  const id = idText(raw.spanId) ?? idText(ctx?.spanId) ?? idText(ctx?.span_id) ?? idText(raw.span_id);
  if (!id) return undefined;
  const traceId = idText(raw.traceId) ?? idText(ctx?.traceId) ?? idText(ctx?.trace_id) ?? '';
  const parentCtx = isObject(raw.parentSpanContext) ? raw.parentSpanContext : undefined;
  const parentId = idText(raw.parentSpanId) ?? idText(parentCtx?.spanId) ?? idText(raw.parent_id) ?? null;
  const startMs = timeOf(raw.startTimeUnixNano, raw.startTime, raw.start_time);
  const endMs = timeOf(raw.endTimeUnixNano, raw.endTime, raw.end_time);
  const attrs = readAttributes(raw.attributes);
  const events: readonly SpanEvent[] = Array.isArray(raw.events) && raw.events.length > 0
    ? raw.events.filter(isObject).map((e) => ({ name: typeof e.name === 'string' ? e.name : '', attrs: readAttributes(e.attributes), ...(e.body !== undefined ? { body: e.body } : {}) }))
    : NO_EVENTS;
  const name = typeof raw.name === 'string' ? raw.name : '';
  const kindHint = typeof raw.span_kind === 'string' ? raw.span_kind : undefined;
  const meaning = spanMeaning(name, attrs, events, kindHint && kindHint !== 'UNKNOWN' ? kindHint : undefined);
  const { status, error } = statusOf(raw, attrs, events);
  // Fanout's own export marks when a tool became ready (export/otlp.ts).
  const queued = events.length > 0 && Array.isArray(raw.events) ? raw.events.find((e) => isObject(e) && e.name === 'fanout.queued') : undefined;
  const readyMs = isObject(queued) ? timeOf(queued.timeUnixNano, queued.time, queued.timestamp) : NaN;
  // Built by assignment, not spreads: this runs once per span of traces with 100k spans.
  const span: Writable<TraceSpan> = {
    id, parentId: parentId && parentId !== id && !/^0+$/.test(parentId.replace(/^0x/, '')) ? parentId : null, traceId, name,
    role: meaning.role, startMs, endMs: endMs >= startMs ? endMs : NaN, status, locate: id,
  };
  if (error) span.error = error;
  if (meaning.toolName) span.toolName = meaning.toolName;
  else if (meaning.role === 'tool') span.toolName = name.replace(/^execute_tool\s+/, '');
  if (meaning.callId) span.callId = meaning.callId;
  if (meaning.arguments !== undefined) span.arguments = meaning.arguments;
  if (meaning.result !== undefined) span.result = meaning.result;
  if (meaning.emitted) span.emitted = meaning.emitted;
  if (meaning.input !== undefined) span.input = meaning.input;
  if (meaning.model) span.model = meaning.model;
  if (Number.isFinite(readyMs)) span.readyMs = readyMs;
  return { span, oi: meaning.vocabulary === 'openinference' };
}

/** Ids stay the text they are written as (hex, base64, 0x-prefixed): only identity matters. */
function idText(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function timeOf(nanos: unknown, jsOrIso: unknown, py: unknown): number {
  if (nanos !== undefined) return nanosToMs(nanos);
  if (Array.isArray(jsOrIso)) return hrTimeToMs(jsOrIso);
  if (jsOrIso !== undefined) return isoToMs(jsOrIso);
  return isoToMs(py);
}

const CANCEL_TYPES = /^(asyncio\.)?CancelledError$|^AbortError$|cancel/i;

function statusOf(raw: Record<string, unknown>, attrs: Readonly<Record<string, unknown>>, events: readonly SpanEvent[]): { status: SpanStatus; error?: string } {
  const st = isObject(raw.status) ? raw.status : {};
  const code = st.code ?? st.status_code ?? raw.status_code;
  const message = str(st.message) ?? str(st.description) ?? str(raw.status_message);
  let status: SpanStatus = code === 2 || code === 'STATUS_CODE_ERROR' || code === 'ERROR' ? 'error' : code === 1 || code === 'STATUS_CODE_OK' || code === 'OK' ? 'ok' : 'unset';
  const errorType = typeof attrs['error.type'] === 'string' ? attrs['error.type'] : undefined;
  const exc = events.find((e) => e.name === 'exception');
  const excType = exc && typeof exc.attrs['exception.type'] === 'string' ? exc.attrs['exception.type'] : undefined;
  const excMessage = exc && typeof exc.attrs['exception.message'] === 'string' ? exc.attrs['exception.message'] : undefined;
  if (status !== 'ok' && (errorType || exc)) status = 'error';
  if (status === 'error' && ((errorType && CANCEL_TYPES.test(errorType)) || (excType && CANCEL_TYPES.test(excType)) || looksCancelled(message))) status = 'cancelled';
  const error = status === 'error' || status === 'cancelled' ? message ?? (excType ? `${excType}${excMessage ? `: ${excMessage}` : ''}` : errorType) : undefined;
  return error ? { status, error } : { status };
}
