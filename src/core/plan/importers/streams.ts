import { makeDiagnostic } from '../diagnostics';
import { assembleAnthropicStream, isAnthropicEvent } from './anthropicStream';
import { assembleOpenAIStream, isOpenAIChunk } from './openaiStream';
import { assembleResponsesStream, isResponsesEvent } from './responsesStream';
import { streamPlan, text } from './streamAssembly';
import { readStream, type StreamSyntax } from './streamEvents';
import type { ImportContext, ImportResult } from './types';

/**
 * A recorded stream (SSE, JSON lines): read its events, tell which provider's stream it is from
 * the first events that say so, and assemble its calls (README "Streams"). `base` is where the
 * stream text starts in ctx.text (after a Markdown fence).
 */
export function importStream(body: string, base: number, syntax: StreamSyntax, ctx: ImportContext): ImportResult {
  const read = readStream(body, syntax);
  if (base) for (const e of read.events) (e as { offset: number }).offset += base;
  if (base) for (const b of read.bad) (b as { offset: number }).offset += base;
  if (read.events.length === 0) {
    const b = read.bad[0];
    return { diagnostics: [makeDiagnostic({ code: 'parse-error', range: ctx.lines.range(b?.offset ?? base, b?.length ?? 0),
      message: b ? b.message : 'This recorded stream has no events. Record the whole response stream (every `data:` line) and try again.' })] };
  }
  const probe = read.events.slice(0, 50);
  if (probe.some((e) => isOpenAIChunk(e.data))) return streamPlan(assembleOpenAIStream(read.events, read.done), read, ctx);
  if (probe.some((e) => isResponsesEvent(e.data))) return streamPlan(assembleResponsesStream(read.events, read.done, ctx), read, ctx);
  if (probe.some((e) => isAnthropicEvent(e.data))) return streamPlan(assembleAnthropicStream(read.events, ctx), read, ctx);
  const first = read.events[0];
  const kind = text(first.data, 'type') ?? text(first.data, 'object') ?? first.name;
  return { diagnostics: [makeDiagnostic({ code: 'parse-error', range: ctx.lines.range(first.offset, first.length),
    message: `This looks like a recorded stream (${read.events.length} event${read.events.length === 1 ? '' : 's'}${kind ? `, the first of type "${kind.slice(0, 60)}"` : ''}), but not one Fanout reads. Streams Fanout assembles: OpenAI Chat Completions chunks, OpenAI Responses events, Anthropic Messages events.` })] };
}
