import { makeDiagnostic } from '../diagnostics';
import type { Diagnostic, JsonValue } from '../types';
import { CallCollector, field, text, type AssembledStream, type StreamAssembler, type StreamCall } from './streamAssembly';
import type { StreamEvent } from './streamEvents';
import type { ImportContext } from './types';
import { CLIENT_EXECUTED_ITEMS, HOSTED_ITEMS, clientItemArgs } from './openaiResponses';

/**
 * OpenAI Responses streams: `response.output_item.added` opens a function_call (its `call_id`
 * and `name` arrive whole), `response.function_call_arguments.delta` carries argument pieces by
 * `item_id`, and `…arguments.done` (or `response.output_item.done`) closes it. Reasoning and
 * message items are skipped; client-executed items (local_shell_call…) close when their item is
 * done; hosted tools (web_search_call, mcp_call…) already ran on OpenAI's side and are only named.
 */
export function isResponsesEvent(d: JsonValue): boolean {
  const t = text(d, 'type');
  return t !== undefined && t.startsWith('response.');
}

export function assembleResponsesStream(events: readonly StreamEvent[], done: boolean, ctx: ImportContext): AssembledStream {
  const a = responsesStreamAssembler();
  for (const ev of events) a.feed(ev);
  return a.finish(done, ctx);
}

/** The Responses stream read event by event; `onClose` hears each call as it closes. */
export function responsesStreamAssembler(onClose?: (call: StreamCall) => void): StreamAssembler {
  const calls = new CallCollector(onClose);
  const hosted = new Map<string, number>();
  let complete = false;
  let stopReason: string | undefined;
  let model: string | undefined;
  let first: StreamEvent | undefined;
  const keyOf = (d: JsonValue): string => text(d, 'item_id') ?? `#${String(field(d, 'output_index') ?? '')}`;
  const feed = (ev: StreamEvent): void => {
    first ??= ev;
    const d = ev.data;
    const type = text(d, 'type') ?? '';
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
        model ??= text(field(d, 'response'), 'model');
        break;
      case 'response.output_item.added':
      case 'response.output_item.done': {
        const item = field(d, 'item');
        const itemType = text(item, 'type') ?? '';
        const key = text(item, 'id') ?? `#${String(field(d, 'output_index') ?? '')}`;
        if (itemType === 'function_call' || itemType === 'custom_tool_call') {
          const call = calls.open(key, ev, text(item, 'name') ?? '');
          call.id ??= text(item, 'call_id') ?? text(item, 'id');
          if (itemType === 'custom_tool_call') call.freeform = true;
          if (type === 'response.output_item.done') {
            const whole = text(item, itemType === 'custom_tool_call' ? 'input' : 'arguments');
            if (whole !== undefined) replace(call.pieces, whole);
            calls.close(call, ev);
          }
        } else if (CLIENT_EXECUTED_ITEMS.has(itemType) && type === 'response.output_item.done') {
          const call = calls.open(key, ev, itemType);
          call.id ??= text(item, 'call_id') ?? text(item, 'id');
          call.argsValue = clientItemArgs(item);
          calls.close(call, ev);
        } else if (HOSTED_ITEMS.has(itemType) && type === 'response.output_item.done') {
          hosted.set(itemType, (hosted.get(itemType) ?? 0) + 1);
        }
        break;
      }
      case 'response.function_call_arguments.delta':
      case 'response.custom_tool_call_input.delta': {
        const call = calls.get(keyOf(d));
        const piece = text(d, 'delta');
        if (call && piece) calls.append(call, piece, ev, false);
        break;
      }
      case 'response.function_call_arguments.done':
      case 'response.custom_tool_call_input.done': {
        const call = calls.get(keyOf(d));
        if (!call) break;
        const whole = text(d, type.endsWith('arguments.done') ? 'arguments' : 'input');
        if (whole !== undefined) replace(call.pieces, whole);
        calls.close(call, ev);
        break;
      }
      case 'response.completed':
        complete = true;
        stopReason = 'completed';
        break;
      case 'response.incomplete':
      case 'response.failed': {
        complete = true;
        const r = field(d, 'response');
        stopReason = text(field(r, 'incomplete_details'), 'reason') ?? text(r, 'status') ?? type.slice('response.'.length);
        break;
      }
      default:
        break;
    }
  };
  const finish = (done: boolean, ctx?: ImportContext): AssembledStream => {
    const diagnostics: Diagnostic[] = [];
    if (hosted.size > 0 && ctx) {
      const what = [...hosted].map(([t, n]) => `${n} × ${t}`).join(', ');
      diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'info', range: ctx.lines.range(first?.offset ?? 0, 0),
        message: `This stream also holds hosted tool calls that already ran on OpenAI's side (${what}): they are not part of the batch the client runs.` }));
    }
    return { format: 'openai-responses-stream', title: 'OpenAI Responses stream', calls: calls.order, complete: complete || done,
      ...(stopReason ? { stopReason } : {}), ...(model ? { model } : {}), diagnostics };
  };
  return { feed, finish };
}

function replace(pieces: string[], whole: string): void {
  pieces.length = 0;
  if (whole !== '') pieces.push(whole);
}
