import type { JsonValue } from '../types';
import { argsText, CallCollector, field, isCompleteJson, list, text, type AssembledStream, type StreamAssembler, type StreamCall } from './streamAssembly';
import type { StreamEvent } from './streamEvents';

/**
 * OpenAI Chat Completions streams (`chat.completion.chunk`): each call's `delta.tool_calls[]`
 * fragments are keyed by `index` (parallel calls may interleave); the first fragment has `id`
 * and `function.name`, the rest carry pieces of `function.arguments`. A call closes at the event
 * where its argument JSON closes, or at `finish_reason` for one without arguments. Only the first
 * choice that streams tool calls is read (choices are alternatives, as in the response importer).
 */
export function isOpenAIChunk(d: JsonValue): boolean {
  if (text(d, 'object') === 'chat.completion.chunk') return true;
  const c0 = list(d, 'choices')?.[0];
  return field(c0, 'delta') !== undefined;
}

export function assembleOpenAIStream(events: readonly StreamEvent[], done: boolean): AssembledStream {
  const a = openAIStreamAssembler();
  for (const ev of events) a.feed(ev);
  return a.finish(done);
}

/** The OpenAI Chat stream read event by event; `onClose` hears each call as it closes. */
export function openAIStreamAssembler(onClose?: (call: StreamCall) => void): StreamAssembler {
  const calls = new CallCollector(onClose);
  let choice: number | undefined;
  let stopReason: string | undefined;
  let finished = false;
  let model: string | undefined;
  const feed = (ev: StreamEvent): void => {
    const d = ev.data;
    model ??= text(d, 'model');
    for (const ch of list(d, 'choices') ?? []) {
      const idx = field(ch, 'index');
      const choiceIndex = typeof idx === 'number' ? idx : 0;
      const delta = field(ch, 'delta');
      const fragments = list(delta, 'tool_calls');
      const legacy = field(delta, 'function_call');
      if ((fragments?.length || legacy) && choice === undefined) choice = choiceIndex;
      if (choice !== undefined && choiceIndex !== choice) continue;
      fragments?.forEach((tc, position) => {
        const i = field(tc, 'index');
        const call = calls.open(`${typeof i === 'number' ? i : position}`, ev);
        const id = text(tc, 'id');
        if (id && call.id === undefined) call.id = id;
        const fn = field(tc, 'function');
        const name = text(fn, 'name');
        if (name && call.name === '') call.name = name;
        const args = text(fn, 'arguments');
        if (args) calls.append(call, args, ev, true);
        // Custom (free-form) tools stream `custom.input` instead.
        const custom = field(tc, 'custom');
        if (custom !== undefined) {
          call.freeform = true;
          const cname = text(custom, 'name');
          if (cname && call.name === '') call.name = cname;
          const input = text(custom, 'input');
          if (input) calls.append(call, input, ev, false);
        }
      });
      if (legacy !== undefined) {
        const call = calls.open('function_call', ev);
        const name = text(legacy, 'name');
        if (name && call.name === '') call.name = name;
        const args = text(legacy, 'arguments');
        if (args) calls.append(call, args, ev, true);
      }
      const finish = text(ch, 'finish_reason');
      if (finish && choiceIndex === (choice ?? choiceIndex)) {
        stopReason = finish;
        finished = true;
        // At the finish event, calls whose arguments are complete (none, or JSON that closed
        // without brackets) close; the others stay open and are reported.
        for (const c of calls.order) {
          if (c.closed) continue;
          if (c.freeform || isCompleteJson(argsText(c))) calls.close(c, ev);
        }
      }
    }
  };
  return {
    feed,
    finish: (done) => ({ format: 'openai-stream', title: 'OpenAI stream', calls: calls.order, complete: done || finished,
      ...(stopReason ? { stopReason } : {}), ...(model ? { model } : {}), diagnostics: [] }),
  };
}
