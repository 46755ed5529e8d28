import { makeDiagnostic } from '../diagnostics';
import type { Diagnostic, JsonValue } from '../types';
import { CallCollector, field, text, type AssembledStream, type StreamAssembler, type StreamCall } from './streamAssembly';
import type { StreamEvent } from './streamEvents';
import type { ImportContext } from './types';

const EVENT_TYPES = new Set(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop', 'ping']);
/** Blocks Anthropic's servers run (web search, code execution, MCP connector): never client calls. */
const SERVER_BLOCKS = new Set(['server_tool_use', 'mcp_tool_use']);

/**
 * Anthropic Messages streams: `content_block_start` with a `tool_use` block opens a call (id,
 * name, an empty `input`), `input_json_delta` events carry `partial_json`, and
 * `content_block_stop` closes it. A stream cut off by `max_tokens` leaves the last block open:
 * that call is reported, not run. Server tool blocks are named, never imported.
 */
export function isAnthropicEvent(d: JsonValue): boolean {
  return EVENT_TYPES.has(text(d, 'type') ?? '');
}

export function assembleAnthropicStream(events: readonly StreamEvent[], ctx: ImportContext): AssembledStream {
  const a = anthropicStreamAssembler();
  for (const ev of events) a.feed(ev);
  return a.finish(false, ctx);
}

/** The Anthropic Messages stream read event by event; `onClose` hears each call as it closes. */
export function anthropicStreamAssembler(onClose?: (call: StreamCall) => void): StreamAssembler {
  const calls = new CallCollector(onClose);
  let server = 0;
  let complete = false;
  let stopReason: string | undefined;
  let model: string | undefined;
  let message = 0;
  let first: StreamEvent | undefined;
  const feed = (ev: StreamEvent): void => {
    first ??= ev;
    const d = ev.data;
    const type = text(d, 'type');
    const key = `${message}:${String(field(d, 'index') ?? '')}`;
    switch (type) {
      case 'message_start':
        message++;
        model ??= text(field(d, 'message'), 'model');
        break;
      case 'content_block_start': {
        const block = field(d, 'content_block');
        const blockType = text(block, 'type');
        if (blockType === 'tool_use') {
          const call = calls.open(`${message}:${String(field(d, 'index') ?? '')}`, ev, text(block, 'name') ?? '');
          call.id ??= text(block, 'id');
          const input = field(block, 'input');
          if (input !== undefined) call.argsValue = input;
        } else if (blockType && SERVER_BLOCKS.has(blockType)) server++;
        break;
      }
      case 'content_block_delta': {
        const delta = field(d, 'delta');
        const call = calls.get(key);
        const piece = text(delta, 'partial_json');
        if (call && text(delta, 'type') === 'input_json_delta' && piece) calls.append(call, piece, ev, false);
        break;
      }
      case 'content_block_stop': {
        const call = calls.get(key);
        if (call) calls.close(call, ev);
        break;
      }
      case 'message_delta':
        stopReason = text(field(d, 'delta'), 'stop_reason') ?? stopReason;
        break;
      case 'message_stop':
        complete = true;
        break;
      default:
        break;
    }
  };
  const finish = (_done: boolean, ctx?: ImportContext): AssembledStream => {
    const diagnostics: Diagnostic[] = [];
    if (server > 0 && ctx) {
      diagnostics.push(makeDiagnostic({ code: 'parse-error', severity: 'info', range: ctx.lines.range(first?.offset ?? 0, 0),
        message: `This stream also holds ${server} server tool block${server === 1 ? '' : 's'} (server_tool_use / mcp_tool_use): Anthropic runs those itself, so they are not part of the client's batch.` }));
    }
    // Anthropic has no [DONE]: only message_stop says the stream ended.
    return { format: 'anthropic-stream', title: 'Anthropic stream', calls: calls.order, complete,
      ...(stopReason ? { stopReason } : {}), ...(model ? { model } : {}), diagnostics };
  };
  return { feed, finish };
}
