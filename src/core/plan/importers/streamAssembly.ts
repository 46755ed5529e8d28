// Shared by the stream importers: collecting each call's pieces as the events arrive, knowing the
// event at which its arguments closed, and turning the assembled calls into a plan whose tools
// carry that position (ToolSpec.stream, README "Streams"). A call whose arguments never closed is
// reported and left out: running it would send partial arguments.

import { makeDiagnostic } from '../diagnostics';
import type { Diagnostic, JsonValue, PlanFormat, PlanStreamInfo, UnclosedCall } from '../types';
import { buildTools, capPerCode, count, importedPlan, unwrapParallelCalls, type CallDraft, type StringNode } from './common';
import type { StreamEvent, StreamRead } from './streamEvents';
import type { ImportContext, ImportResult } from './types';
import { outputCharsOf } from './streamChars';

/**
 * Tracks whether streamed JSON text has closed: the top-level value's brackets are balanced again
 * (outside strings). Fed piece by piece, O(total length).
 */
export class JsonCloser {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private opened = false;
  closed = false;

  /** Feeds a piece; true when this piece closes the value. */
  feed(piece: string): boolean {
    if (this.closed) return false;
    for (let i = 0; i < piece.length; i++) {
      const c = piece.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true; // backslash
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) { this.depth++; this.opened = true; }
      else if (c === 125 || c === 93) {
        this.depth--;
        if (this.opened && this.depth === 0) { this.closed = true; return true; }
      }
    }
    return false;
  }
}

export interface StreamCall {
  readonly key: string;
  id?: string;
  name: string;
  /** Streamed argument text, in pieces (joined once at the end). */
  readonly pieces: string[];
  /** Arguments given whole as a value (a content_block_start `input`, a done item) when no text streamed. */
  argsValue?: JsonValue;
  /** 'freeform': the text is the input itself (custom tools), not JSON. */
  freeform?: boolean;
  readonly opened: StreamEvent;
  closed?: StreamEvent;
  closer?: JsonCloser;
}

/**
 * Calls of one stream, by the key the stream uses (a choice's tool index, an item id, a block index).
 * `onClose` hears each call the moment its arguments close: a live stream starts it then
 * (src/core/library/runToolCallStream.ts); a recording only reads `closed` at the end.
 */
export class CallCollector {
  private readonly byKey = new Map<string, StreamCall>();
  readonly order: StreamCall[] = [];

  constructor(private readonly onClose?: (call: StreamCall) => void) {}

  get(key: string): StreamCall | undefined {
    return this.byKey.get(key);
  }

  open(key: string, ev: StreamEvent, name = ''): StreamCall {
    const found = this.byKey.get(key);
    if (found) return found;
    const call: StreamCall = { key, name, pieces: [], opened: ev };
    this.byKey.set(key, call);
    this.order.push(call);
    return call;
  }

  /** Appends argument text; closes the call when the JSON closes (streams without a per-call end event). */
  append(call: StreamCall, piece: string, ev: StreamEvent, closeOnBalance: boolean): void {
    if (piece === '') return;
    call.pieces.push(piece);
    if (!closeOnBalance || call.closed) return;
    call.closer ??= new JsonCloser();
    if (call.closer.feed(piece)) {
      call.closed = ev;
      this.onClose?.(call);
    }
  }

  close(call: StreamCall, ev: StreamEvent): void {
    if (call.closed) return;
    call.closed = ev;
    this.onClose?.(call);
  }
}

/** Text of a call's arguments so far. */
export function argsText(call: StreamCall): string {
  return call.pieces.length === 1 ? call.pieces[0] : call.pieces.join('');
}

/** True when the text so far is complete JSON (or empty: a call without arguments). */
export function isCompleteJson(text: string): boolean {
  if (text.trim() === '') return true;
  try { JSON.parse(text); return true; } catch { return false; }
}

/**
 * A provider's stream read event by event: `feed` each event as it arrives (the collector's
 * `onClose` fires as calls close), then `finish` once the stream is over.
 */
export interface StreamAssembler {
  feed(ev: StreamEvent): void;
  /** `done`: an end-of-stream marker was seen (`[DONE]`). `ctx` places the diagnostics in a recording. */
  finish(done: boolean, ctx?: ImportContext): AssembledStream;
}

export interface AssembledStream {
  readonly format: PlanFormat;
  readonly calls: readonly StreamCall[];
  /** The stream ended normally (a finish/stop event or `[DONE]`). */
  readonly complete: boolean;
  /** Why it stopped, as the provider says it (finish_reason, stop_reason, status). */
  readonly stopReason?: string;
  readonly model?: string;
  readonly diagnostics: Diagnostic[];
  /** Noun for the plan name: "OpenAI stream". */
  readonly title: string;
}

/** The assembled calls as a plan; every tool knows where its arguments closed. */
export function streamPlan(a: AssembledStream, read: StreamRead, ctx: ImportContext): ImportResult {
  const diagnostics = [...a.diagnostics];
  for (const b of read.bad.slice(0, 20)) {
    diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'warning', range: ctx.lines.range(b.offset, b.length), message: b.message }));
  }
  const last = read.events[read.events.length - 1];
  // Characters generated up to and including each event: where in the generation a call closed.
  const charsAt = new Float64Array(read.events.length);
  let chars = 0;
  for (const e of read.events) {
    chars += outputCharsOf(a.format, e.data);
    charsAt[e.index] = chars;
  }
  const drafts: CallDraft[] = [];
  let unclosed = 0;
  const unclosedCalls: UnclosedCall[] = [];
  for (const c of a.calls) {
    const name = c.name.trim() === '' ? undefined : c.name;
    if (!c.closed) {
      unclosed++;
      unclosedCalls.push({ name: name ?? '', ...(c.id !== undefined ? { callId: c.id } : {}), openedAtEvent: c.opened.index });
      const text = argsText(c);
      const limit = a.stopReason && /length|max_tokens|max_output_tokens|MAX_TOKENS/i.test(a.stopReason) ? ` (stop reason "${a.stopReason}": the token limit)` : a.complete ? '' : ' (the recording ends without a finish event: it was cut off)';
      diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'warning', range: ctx.lines.range(c.opened.offset, c.opened.length),
        message: `The arguments of '${name ?? 'unnamed call'}'${c.id ? ` (call '${c.id}')` : ''} never closed: the stream ended at event ${read.events.length - 1}${limit} after ${count(text.length, 'character')} of arguments. Fanout leaves this call out, since it would run with partial arguments: raise the token limit and retry the turn.` }));
      continue;
    }
    if (!name) {
      diagnostics.push(makeDiagnostic({ code: 'schema', range: ctx.lines.range(c.opened.offset, c.opened.length),
        message: `A streamed call${c.id ? ` ('${c.id}')` : ''} never received a function name, so there is nothing to call. Check that the recording starts at the beginning of the stream.` }));
      continue;
    }
    const closed = c.closed;
    const text = argsText(c);
    const node: StringNode = { type: 'string', offset: closed.offset, length: closed.length, value: text };
    const useValue = text === '' && c.argsValue !== undefined;
    drafts.push({
      name, node: { type: 'null', offset: c.opened.offset, length: c.opened.length }, argsField: 'arguments',
      ...(c.id !== undefined ? { callId: c.id } : {}),
      ...(useValue ? { argsValue: c.argsValue } : { argsNode: node }),
      ...(c.freeform ? { argsMode: 'freeform' as const } : {}),
      stream: { openedAtEvent: c.opened.index, closedAtEvent: closed.index, ...(closed.timeMs !== undefined ? { closedAtMs: closed.timeMs } : {}), outputChars: charsAt[closed.index] ?? 0 },
    });
  }
  const stream: PlanStreamInfo = { events: read.events.length, complete: a.complete, ...(last?.timeMs !== undefined ? { endMs: last.timeMs } : {}), outputChars: chars, ...(unclosedCalls.length ? { unclosed: unclosedCalls } : {}) };
  if (drafts.length === 0) {
    const why = a.calls.length === 0
      ? `This ${a.title} (${count(read.events.length, 'event')}) has no tool calls${a.stopReason ? ` (it stopped with "${a.stopReason}")` : ''}: the model answered in text. Record a turn that ends in tool calls.`
      : `No call in this ${a.title} can run: ${unclosed ? `${count(unclosed, 'call')} never closed` : 'every call lacks a name'}.`;
    return { format: a.format, diagnostics: [...capPerCode(diagnostics), makeDiagnostic({ code: 'parse-error', range: ctx.lines.range(read.events[0]?.offset ?? 0, read.events[0]?.length ?? 0), message: why })] };
  }
  const unwrapped = unwrapParallelCalls(drafts, ctx, diagnostics);
  const built = buildTools(unwrapped, ctx);
  const suffix = a.model ? ` · ${a.model.replace(/\s+/g, ' ').slice(0, 60)}` : '';
  const plan = importedPlan(a.format, `${a.title} (${count(built.tools.length, 'call')}, ${count(read.events.length, 'event')})${suffix}`, built.tools, ctx.lines.range(0, ctx.text.length), stream);
  return { plan, diagnostics: capPerCode([...diagnostics, ...built.diagnostics]) };
}

/** `o[key]` when o is a plain JSON object. */
export function field(o: JsonValue | undefined, key: string): JsonValue | undefined {
  return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as { readonly [k: string]: JsonValue })[key] : undefined;
}

export function text(o: JsonValue | undefined, key: string): string | undefined {
  const v = field(o, key);
  return typeof v === 'string' ? v : undefined;
}

export function list(o: JsonValue | undefined, key: string): readonly JsonValue[] | undefined {
  const v = field(o, key);
  return Array.isArray(v) ? v : undefined;
}
