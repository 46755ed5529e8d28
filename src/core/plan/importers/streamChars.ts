// How much text the model generated in each stream event: the characters of the deltas it
// carries (text, argument JSON, function names), not the event's envelope. Streaming dispatch
// replays a recording without timestamps at a token rate (src/core/stream/timing.ts), so it needs
// to know how far into the generation each call closed. Provider-specific on purpose: closing
// events (`…arguments.done`, `response.completed`) repeat the whole text and must not count twice.

import type { JsonValue, PlanFormat } from '../types';
import { field, list, text } from './streamAssembly';

const len = (v: JsonValue | undefined): number => (typeof v === 'string' ? v.length : 0);

/** Characters the model generated in this event (0 for envelopes, stops and repeats). */
export function outputCharsOf(format: PlanFormat, d: JsonValue): number {
  switch (format) {
    case 'openai-stream': {
      let k = 0;
      for (const ch of list(d, 'choices') ?? []) {
        const delta = field(ch, 'delta');
        k += len(field(delta, 'content')) + len(field(delta, 'refusal')) + len(field(delta, 'reasoning_content'));
        for (const tc of list(delta, 'tool_calls') ?? []) {
          const fn = field(tc, 'function');
          k += len(field(fn, 'name')) + len(field(fn, 'arguments')) + len(field(field(tc, 'custom'), 'input')) + len(field(field(tc, 'custom'), 'name'));
        }
        const legacy = field(delta, 'function_call');
        k += len(field(legacy, 'name')) + len(field(legacy, 'arguments'));
      }
      return k;
    }
    case 'anthropic-stream': {
      const type = text(d, 'type');
      if (type === 'content_block_delta') {
        const delta = field(d, 'delta');
        return len(field(delta, 'text')) + len(field(delta, 'partial_json')) + len(field(delta, 'thinking'));
      }
      if (type === 'content_block_start') {
        const block = field(d, 'content_block');
        const input = field(block, 'input');
        const whole = input !== undefined && input !== null && typeof input === 'object' && Object.keys(input).length > 0 ? JSON.stringify(input).length : 0;
        return len(field(block, 'name')) + len(field(block, 'text')) + whole;
      }
      return 0;
    }
    case 'openai-responses-stream': {
      const type = text(d, 'type') ?? '';
      if (type.endsWith('.delta')) return len(field(d, 'delta'));
      if (type === 'response.output_item.added') return len(field(field(d, 'item'), 'name'));
      return 0;
    }
    case 'gemini': {
      // streamGenerateContent chunks: whole parts, text and calls (name and arguments as JSON).
      let n = 0;
      for (const part of list(field(list(d, 'candidates')?.[0], 'content'), 'parts') ?? []) {
        n += len(field(part, 'text'));
        const fc = field(part, 'functionCall');
        if (fc !== undefined) n += len(field(fc, 'name')) + JSON.stringify(field(fc, 'args') ?? {}).length;
      }
      return n;
    }
    case 'bedrock': {
      // ConverseStream: text and toolUse input pieces, and the tool's name when its block starts.
      const delta = field(field(d, 'contentBlockDelta'), 'delta');
      return len(field(delta, 'text')) + len(field(field(delta, 'toolUse'), 'input')) + len(field(field(field(field(d, 'contentBlockStart'), 'start'), 'toolUse'), 'name'));
    }
    default: {
      // AI SDK streams: tool-input-delta / text-delta parts (v5), tool-call-delta (v4 data stream).
      return len(field(d, 'inputTextDelta')) + len(field(d, 'argsTextDelta')) + len(field(d, 'textDelta'))
        + (text(d, 'type') === 'text-delta' ? len(field(d, 'delta')) : 0) + len(field(d, 'toolName'));
    }
  }
}
