import { makeDiagnostic } from '../diagnostics';
import type { Diagnostic, JsonValue } from '../types';
import { CallCollector, field, list, text, type AssembledStream } from './streamAssembly';
import type { StreamEvent } from './streamEvents';
import type { ImportContext } from './types';

/**
 * Gemini `streamGenerateContent` (`?alt=sse`, or JSON lines of the chunks): every chunk is a
 * response whose candidate carries whole parts, so a `functionCall` part opens and closes its call
 * in the chunk that brings it, and the calls of all chunks make the batch (parallel calls may
 * arrive in separate chunks). Only the first candidate is read: candidates are alternatives.
 */
export function isGeminiChunk(d: JsonValue): boolean {
  const first = list(d, 'candidates')?.[0];
  return first !== undefined && (field(first, 'content') !== undefined || field(first, 'finishReason') !== undefined);
}

export function assembleGeminiStream(events: readonly StreamEvent[], ctx: ImportContext): AssembledStream {
  const calls = new CallCollector();
  const diagnostics: Diagnostic[] = [];
  let stopReason: string | undefined;
  let model: string | undefined;
  let n = 0;
  for (const ev of events) {
    model ??= text(ev.data, 'modelVersion');
    const cand = list(ev.data, 'candidates')?.[0];
    for (const part of list(field(cand, 'content'), 'parts') ?? []) {
      const fc = field(part, 'functionCall');
      if (fc === undefined) continue;
      const call = calls.open(String(n++), ev, text(fc, 'name') ?? '');
      const id = text(fc, 'id');
      if (id) call.id = id;
      call.argsValue = field(fc, 'args') ?? {};
      calls.close(call, ev);
    }
    const finish = text(cand, 'finishReason');
    if (finish) {
      stopReason = finish;
      if (finish === 'MAX_TOKENS') {
        diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'warning', range: ctx.lines.range(ev.offset, ev.length),
          message: 'This stream stopped at the token limit (finishReason "MAX_TOKENS"), so the batch may be incomplete. Raise maxOutputTokens and retry before running it.' }));
      }
    }
  }
  return { format: 'gemini', title: 'Gemini stream', calls: calls.order, complete: stopReason !== undefined, ...(stopReason ? { stopReason } : {}), ...(model ? { model } : {}), diagnostics };
}
