import type { JsonValue } from '../types';
import { CallCollector, field, text, type AssembledStream } from './streamAssembly';
import type { StreamEvent } from './streamEvents';

const EVENT_KEYS = ['messageStart', 'contentBlockStart', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata'] as const;

/**
 * Amazon Bedrock ConverseStream events as the SDKs hand them over (one JSON object per event, keyed
 * by its type, recorded as JSON lines or SSE `data:` lines): `contentBlockStart` with
 * `start.toolUse` opens a call (`toolUseId`, `name`), `contentBlockDelta` with `delta.toolUse.input`
 * carries a piece of its JSON input, `contentBlockStop` closes it, keyed by `contentBlockIndex`;
 * `messageStop.stopReason` says why the turn ended (`tool_use`, `max_tokens`). A stream cut off
 * leaves its last call open: that call is reported, not run (streamAssembly.ts).
 */
export function isBedrockStreamEvent(d: JsonValue): boolean {
  return d !== null && typeof d === 'object' && !Array.isArray(d) && EVENT_KEYS.some((k) => field(d, k) !== undefined && Object.keys(d).length === 1);
}

export function assembleBedrockStream(events: readonly StreamEvent[]): AssembledStream {
  const calls = new CallCollector();
  let complete = false;
  let stopReason: string | undefined;
  let message = 0;
  for (const ev of events) {
    const d = ev.data;
    if (field(d, 'messageStart') !== undefined) {
      message++;
      continue;
    }
    const start = field(d, 'contentBlockStart');
    if (start !== undefined) {
      const toolUse = field(field(start, 'start'), 'toolUse');
      if (toolUse !== undefined) {
        const call = calls.open(`${message}:${String(field(start, 'contentBlockIndex') ?? '')}`, ev, text(toolUse, 'name') ?? '');
        call.id ??= text(toolUse, 'toolUseId');
      }
      continue;
    }
    const delta = field(d, 'contentBlockDelta');
    if (delta !== undefined) {
      const call = calls.get(`${message}:${String(field(delta, 'contentBlockIndex') ?? '')}`);
      const piece = text(field(field(delta, 'delta'), 'toolUse'), 'input');
      if (call && piece) calls.append(call, piece, ev, false);
      continue;
    }
    const stop = field(d, 'contentBlockStop');
    if (stop !== undefined) {
      const call = calls.get(`${message}:${String(field(stop, 'contentBlockIndex') ?? '')}`);
      if (call) calls.close(call, ev);
      continue;
    }
    const end = field(d, 'messageStop');
    if (end !== undefined) {
      complete = true;
      stopReason = text(end, 'stopReason') ?? stopReason;
    }
  }
  return { format: 'bedrock', title: 'Bedrock ConverseStream', calls: calls.order, complete, ...(stopReason ? { stopReason } : {}), diagnostics: [] };
}
