// Reading a recorded stream into events: raw SSE (`event:` / `data:` lines, with or without the
// blank lines between events), JSON lines (one chunk per line), or the Vercel AI SDK's v4 data
// stream (`9:{…}` lines). One pass over the lines, JSON.parse per event: a 10,000-call stream is
// tens of thousands of events (README "Streams").

import type { JsonValue } from '../types';

export interface StreamEvent {
  /** 0-based position in the stream: what ToolStreamPosition.closedAtEvent counts. */
  readonly index: number;
  /** The SSE `event:` name, or the data-stream type code (`9`, `b`, `c`…), when there is one. */
  readonly name?: string;
  readonly data: JsonValue;
  /** The event's `data` line in the source (diagnostics point here). */
  readonly offset: number;
  readonly length: number;
  /** ms since the first timestamped event, when the recording wraps chunks with a timestamp. */
  readonly timeMs?: number;
}

export interface StreamRead {
  readonly events: StreamEvent[];
  /** `data: [DONE]` was seen (OpenAI's end-of-stream marker). */
  readonly done: boolean;
  /** Lines that were meant as events but are not JSON: reported, and skipped. */
  readonly bad: { readonly offset: number; readonly length: number; readonly message: string }[];
}

export type StreamSyntax = 'sse' | 'jsonl' | 'data-stream';

const SSE_FIELD = /^(?:event|data|id|retry)[ \t]*:/;
const DATA_STREAM = /^[0-9a-k]:[[{"0-9tfn-]/;

/** Is this text a recorded stream, and in which syntax? Looks at the first lines only. */
export function detectStream(text: string): StreamSyntax | undefined {
  const lines = firstLines(text, 3);
  if (lines.length === 0) return undefined;
  if (SSE_FIELD.test(lines[0]) || (lines[0].startsWith(':') && lines.slice(1).some((l) => SSE_FIELD.test(l)))) return 'sse';
  if (DATA_STREAM.test(lines[0]) && lines.length > 1 && DATA_STREAM.test(lines[1])) return 'data-stream';
  if (lines.length < 2 || !lines[0].startsWith('{') || !lines[1].startsWith('{')) return undefined;
  // JSON lines: the first line must be a whole JSON object on its own (a pretty-printed object's
  // first line is `{` alone, or `{"key": [` that does not close).
  try {
    const v = JSON.parse(lines[0]) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? 'jsonl' : undefined;
  } catch {
    return undefined;
  }
}

export function readStream(text: string, syntax: StreamSyntax): StreamRead {
  const events: StreamEvent[] = [];
  const bad: { offset: number; length: number; message: string }[] = [];
  let done = false;
  let name: string | undefined;
  let firstStamp: number | undefined;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = n;
    const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const offset = start;
    start = end + 1;
    // The common case first, without copying the line twice: `data: {…}`.
    if (syntax === 'sse' && text.startsWith('data: ', offset) && text.charCodeAt(offset + 6) === 123) {
      const payload = text.slice(offset + 6, lineEnd);
      pushEvent(payload, offset, lineEnd - offset, name);
      name = undefined;
      continue;
    }
    const line = text.slice(offset, lineEnd);
    if (line.trim() === '') {
      name = undefined; // a blank line ends an SSE event
      continue;
    }
    let payload: string;
    let code: string | undefined;
    if (syntax === 'sse') {
      if (line.startsWith(':')) continue; // comment / keep-alive
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') { name = value.trim(); continue; }
      if (field !== 'data') continue; // id:, retry:
      if (value.trim() === '[DONE]') { done = true; continue; }
      payload = value;
    } else if (syntax === 'data-stream') {
      const m = /^([0-9a-k]):/.exec(line);
      if (!m) { bad.push({ offset, length: line.length, message: 'This line is not a data-stream part (`CODE:JSON`, e.g. `9:{"toolCallId":…}`).' }); continue; }
      code = m[1];
      payload = line.slice(2);
    } else {
      payload = line;
    }
    pushEvent(payload, offset, line.length, syntax === 'data-stream' ? code : name);
    // Without blank lines each data line is its own event; the name applies to one data line.
    if (syntax === 'sse') name = undefined;
  }
  return { events, done, bad };

  function pushEvent(payload: string, offset: number, length: number, eventName: string | undefined): void {
    let data: JsonValue;
    try {
      data = JSON.parse(payload) as JsonValue;
    } catch (err) {
      bad.push({ offset, length, message: `This stream event is not JSON (${err instanceof Error ? err.message : String(err)}). Each ${syntax === 'sse' ? '`data:` line' : 'line'} of a recorded stream holds one JSON chunk.` });
      return;
    }
    // A recording that timestamps its chunks: { "timeMs"|"t"|"timestamp": …, "data"|"chunk"|"event": {…} }.
    let timeMs: number | undefined;
    const stamped = unwrapTimestamp(data);
    if (stamped) {
      firstStamp ??= stamped.at;
      timeMs = stamped.at - firstStamp;
      data = stamped.data;
    }
    events.push({ index: events.length, data, offset, length, ...(eventName !== undefined ? { name: eventName } : {}), ...(timeMs !== undefined ? { timeMs } : {}) });
  }
}

const TIME_KEYS = ['timeMs', 'elapsedMs', 't', 'ts', 'timestamp', 'time'] as const;
const DATA_KEYS = ['data', 'chunk', 'event'] as const;

function unwrapTimestamp(v: JsonValue): { at: number; data: JsonValue } | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as { readonly [k: string]: JsonValue };
  let data: JsonValue | undefined;
  for (const k of DATA_KEYS) if (o[k] !== null && typeof o[k] === 'object') { data = o[k]; break; }
  if (data === undefined) return undefined;
  for (const k of TIME_KEYS) {
    const t = o[k];
    if (typeof t === 'number' && Number.isFinite(t)) return { at: t, data };
    if (typeof t === 'string') {
      const ms = Date.parse(t);
      if (Number.isFinite(ms)) return { at: ms, data };
    }
  }
  return undefined;
}

function firstLines(text: string, k: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (out.length < k && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    if (line !== '' && !line.startsWith('```') && !line.startsWith('~~~')) out.push(line);
    start = end + 1;
    if (start > 1_000_000 && out.length === 0) break; // only leading blank space: not a stream
  }
  return out;
}
