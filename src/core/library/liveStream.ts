// A provider's stream as the official SDKs yield it (parsed event objects, not SSE text), read
// event by event with the same assemblers as recorded streams (src/core/plan/importers/*Stream.ts),
// so a call closes live at the event where `fanout analyze` says it closed in a recording.
import { anthropicStreamAssembler, isAnthropicEvent } from '../plan/importers/anthropicStream';
import { isOpenAIChunk, openAIStreamAssembler } from '../plan/importers/openaiStream';
import { isResponsesEvent, responsesStreamAssembler } from '../plan/importers/responsesStream';
import { argsText, type AssembledStream, type StreamAssembler, type StreamCall } from '../plan/importers/streamAssembly';
import type { StreamEvent } from '../plan/importers/streamEvents';
import type { JsonObject, JsonValue } from '../plan/types';
import type { ToolCall } from '../plan/importers/calls';

/** The stream kinds read live: OpenAI Chat chunks, OpenAI Responses events, Anthropic Messages events. */
export type LiveStreamFormat = 'openai-stream' | 'openai-responses-stream' | 'anthropic-stream';

const ASSEMBLERS: Readonly<Record<LiveStreamFormat, (onClose: (c: StreamCall) => void) => StreamAssembler>> = {
  'openai-stream': openAIStreamAssembler,
  'openai-responses-stream': responsesStreamAssembler,
  'anthropic-stream': anthropicStreamAssembler,
};

/** Which provider's stream an event belongs to, when the event says so (undefined for a bare event). */
export function liveFormatOf(data: JsonValue): LiveStreamFormat | undefined {
  if (isOpenAIChunk(data)) return 'openai-stream';
  if (isResponsesEvent(data)) return 'openai-responses-stream';
  if (isAnthropicEvent(data)) return 'anthropic-stream';
  return undefined;
}

/** A call whose arguments closed: its position in the stream and its arguments as the handler gets them. */
export interface ClosedCall {
  readonly call: ToolCall;
  /** The 0-based event at which the arguments closed. */
  readonly event: number;
  /** The assembler's call (its place in the stream's order). */
  readonly source: StreamCall;
}

/**
 * Feeds events to the right assembler (chosen by the first event that names its provider; the
 * events before it are kept and fed then) and reports each call when its arguments close.
 */
export class LiveStream {
  private assembler?: StreamAssembler;
  private readonly early: StreamEvent[] = [];
  private count = 0;
  private closedCount = 0;
  format?: LiveStreamFormat;

  constructor(private readonly onClosed: (closed: ClosedCall) => void, format?: LiveStreamFormat) {
    if (format) this.choose(format);
  }

  get events(): number {
    return this.count;
  }

  feed(data: JsonValue, timeMs: number): void {
    const ev: StreamEvent = { index: this.count++, data, offset: 0, length: 0, timeMs };
    if (!this.assembler) {
      const format = liveFormatOf(data);
      if (!format) {
        this.early.push(ev);
        return;
      }
      this.choose(format);
      for (const e of this.early.splice(0)) this.assembler!.feed(e);
    }
    this.assembler!.feed(ev);
  }

  /** The assembled stream once it is over (undefined when no event named a provider). */
  finish(): AssembledStream | undefined {
    return this.assembler?.finish(false);
  }

  private choose(format: LiveStreamFormat): void {
    this.format = format;
    this.assembler = ASSEMBLERS[format]((c) => {
      const index = this.closedCount++;
      this.onClosed({ call: toolCall(c, index), event: c.closed?.index ?? this.count - 1, source: c });
    });
  }
}

/**
 * The call as runToolCalls gives it to a handler, read as the importers read arguments
 * (src/core/plan/importers/common.ts readArguments): JSON text → an object; free-form input →
 * `{ input }`; text that is not a JSON object is kept as `{ _raw }` / `{ _value }` for the
 * handler to refuse. A call without an id gets `call_<n>` (the n-th call to close).
 */
export function toolCall(c: StreamCall, index: number): ToolCall {
  const text = argsText(c);
  return { id: c.id ?? `call_${index}`, name: c.name, args: argsOf(c, text) };
}

function argsOf(c: StreamCall, text: string): JsonObject {
  if (c.freeform) return wrap('input', text);
  if (text.trim() === '') {
    const v = c.argsValue;
    return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : (Object.create(null) as JsonObject);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return wrap('_raw', text);
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : wrap('_value', v as JsonValue);
}

function wrap(key: string, value: JsonValue): JsonObject {
  const o = Object.create(null) as Record<string, JsonValue>;
  o[key] = value;
  return o;
}
