import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parsePlan } from '../../../src/core/plan/parse';
import { callsOf, load, payload } from './helpers';

type Json = Record<string, unknown>;
const lines = (text: string): Json[] => text.split('\n').filter((l) => l.startsWith('{') || l.startsWith('data: {')).map((l) => JSON.parse(l.replace(/^data: /, '')) as Json);
const sse = (events: readonly Json[], blank = true): string => events.map((e) => `data: ${JSON.stringify(e)}\n${blank ? '\n' : ''}`).join('');
const jsonl = (events: readonly Json[]): string => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

describe('importers: recorded streams', () => {
  describe('openai-stream (Chat Completions chunks)', () => {
    it('assembles the recorded call, equal to the final message, closed at the event where its JSON closes', () => {
      const { plan, result } = load(payload('streams/openai-chat-tool-call.sse'));
      assert.equal(plan.format, 'openai-stream');
      assert.deepEqual(callsOf(plan), [{ id: 'call_9ctHOJqO3bYrpm2A6S7nHd5k', name: 'get_current_weather', args: { location: 'Boston, MA' } }]);
      assert.deepEqual(plan.tools[0].stream, { openedAtEvent: 0, closedAtEvent: 7, outputChars: 44 });
      assert.deepEqual(plan.stream, { events: 10, complete: true, outputChars: 44 });
      assert.deepEqual(result.diagnostics, []);
    });

    it('parallel calls interleaved by index each close at their own event; one cut off at finish_reason "length" is reported, not run', () => {
      const chunk = (tool_calls: unknown[], finish: string | null = null): Json => ({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { tool_calls }, finish_reason: finish }] });
      const events = [
        chunk([{ index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } }]),
        chunk([{ index: 1, id: 'call_b', type: 'function', function: { name: 'news', arguments: '{"q":' } }]),
        chunk([{ index: 0, function: { arguments: '{"city":"Paris"}' } }]),
        chunk([{ index: 2, id: 'call_c', type: 'function', function: { name: 'stocks', arguments: '{"t":"NV' } }]),
        chunk([{ index: 1, function: { arguments: '"AI"}' } }]),
        { object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'length' }] },
      ];
      const r = parsePlan(sse(events));
      assert.ok(r.plan);
      assert.deepEqual(callsOf(r.plan), [
        { id: 'call_a', name: 'weather', args: { city: 'Paris' } },
        { id: 'call_b', name: 'news', args: { q: 'AI' } },
      ]);
      assert.deepEqual(r.plan.tools.map((t) => t.stream?.closedAtEvent), [2, 4]);
      const cut = r.diagnostics.find((d) => /never closed/.test(d.message));
      assert.ok(cut, r.diagnostics.map((d) => d.message).join('\n'));
      assert.match(cut.message, /'stocks' \(call 'call_c'\) never closed.*"length"/);
      assert.equal(cut.severity, 'warning');
    });

    it('a stream whose only call never closed is rejected, and still reports the format', () => {
      const events = lines(payload('streams/openai-chat-tool-call.sse')).slice(0, 5);
      const r = parsePlan(sse(events));
      assert.equal(r.plan, undefined);
      assert.equal(r.format, 'openai-stream');
      assert.ok(r.diagnostics.some((d) => d.severity === 'error' && /1 call never closed/.test(d.message)));
    });

    it('timestamped recordings give each call its close time and the stream its end', () => {
      const events = lines(payload('streams/openai-chat-tool-call.sse'));
      const stamped = events.map((data, k) => JSON.stringify({ timeMs: 1000 + 25 * k, data })).join('\n');
      const { plan } = load(stamped);
      assert.deepEqual(plan.tools[0].stream, { openedAtEvent: 0, closedAtEvent: 7, closedAtMs: 175, outputChars: 44 });
      assert.equal(plan.stream?.endMs, 225);
    });
  });

  describe('openai-responses-stream', () => {
    it('assembles function_call_arguments deltas by item_id; closed at arguments.done', () => {
      const { plan, result } = load(payload('streams/responses-tool-call.jsonl'));
      assert.equal(plan.format, 'openai-responses-stream');
      assert.deepEqual(callsOf(plan), [{ id: 'call_2FQdm3Br7Qb35YUBSkDR7kue', name: 'get_weather', args: { city: 'Beijing' } }]);
      assert.deepEqual(plan.tools[0].stream, { openedAtEvent: 1, closedAtEvent: 8, outputChars: 29 });
      assert.deepEqual(result.diagnostics, []);
      // Equal to the final response's output (the response.completed event).
      const completed = lines(payload('streams/responses-tool-call.jsonl')).at(-1) as { response: { output: { call_id: string; name: string; arguments: string }[] } };
      assert.deepEqual(callsOf(plan), completed.response.output.map((o) => ({ id: o.call_id, name: o.name, args: JSON.parse(o.arguments) as unknown })));
    });

    it('unwraps the multi_tool_use.parallel wrapper into its calls, with a warning', () => {
      const { plan, result } = load(payload('streams/responses-parallel-wrapper.jsonl'));
      assert.deepEqual(callsOf(plan), [
        { id: 'call_parallel_1', name: 'weather', args: { location: 'San Francisco' } },
        { id: 'call_parallel_2', name: 'cityAttractions', args: { city: 'Rome' } },
      ]);
      assert.equal(result.diagnostics.length, 1);
      assert.match(result.diagnostics[0].message, /wraps 2 calls \(weather, cityAttractions\): the multi_tool_use\.parallel wrapper/);
    });
  });

  describe('anthropic-stream', () => {
    it('SSE with event: lines: input_json_delta pieces, closed at content_block_stop', () => {
      const { plan, result } = load(payload('streams/anthropic-tool-use.sse'));
      assert.equal(plan.format, 'anthropic-stream');
      assert.deepEqual(callsOf(plan), [{ id: 'toolu_01VqG2jCdyjoB9HMTFnCKeo2', name: 'google_search', args: { query: 'Foo Fighters' } }]);
      assert.deepEqual(plan.tools[0].stream, { openedAtEvent: 8, closedAtEvent: 14, outputChars: 126 });
      assert.deepEqual(result.diagnostics, []);
    });

    it('a tool without arguments (empty partial_json) imports with {}', () => {
      const { plan } = load(payload('streams/anthropic-tool-no-args.jsonl'));
      assert.deepEqual(callsOf(plan), [{ id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList', args: {} }]);
    });

    it('a stream cut off at max_tokens (no blank lines): the open call is reported at its start, not run', () => {
      const text = payload('streams/anthropic-cut-off.sse');
      const r = parsePlan(text);
      assert.equal(r.plan, undefined);
      assert.equal(r.format, 'anthropic-stream');
      const cut = r.diagnostics.find((d) => d.severity === 'warning' && /never closed/.test(d.message));
      assert.ok(cut);
      assert.match(cut.message, /'google_search' \(call 'toolu_01VqG2jCdyjoB9HMTFnCKeo2'\).*"max_tokens"/);
      assert.equal(cut.line, text.split('\n').findIndex((l) => l.includes('"content_block_start","index":1')) + 1);
    });

    it('server tool blocks are never client calls', () => {
      const events = [
        { type: 'message_start', message: { model: 'claude' } },
        { type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} } },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"query":"x"}' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } },
        { type: 'content_block_stop', index: 1 },
        { type: 'message_stop' },
      ];
      const r = parsePlan(jsonl(events));
      assert.deepEqual(r.plan && callsOf(r.plan), [{ id: 'toolu_1', name: 'f', args: {} }]);
      assert.ok(r.diagnostics.some((d) => d.severity === 'info' && /server tool block/.test(d.message)));
    });
  });

  it('an SSE recording of unknown chunks names what it saw', () => {
    const r = parsePlan('data: {"type":"something.else"}\n\ndata: {"type":"something.else"}\n');
    assert.match(r.diagnostics[0].message, /looks like a recorded stream \(2 events, the first of type "something\.else"\)/);
  });

  describe('property: re-chunking a recorded stream never changes the calls', () => {
    /** Every split of the recorded argument pieces at every character boundary, and random re-chunkings. */
    const recorded = lines(payload('streams/openai-chat-tool-call.sse'));
    const head = recorded[0];
    const pieces = recorded.slice(1, 8).map((e) => ((e.choices as Json[])[0].delta as { tool_calls: { function: { arguments: string } }[] }).tool_calls[0].function.arguments);
    const whole = pieces.join('');
    const tail = recorded.slice(8);
    const piece = (a: string): Json => ({ ...recorded[1], choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: a } }] }, logprobs: null, finish_reason: null }] });
    const expected = callsOf(load(payload('streams/openai-chat-tool-call.sse')).plan);

    it('split at every chunk boundary (and every character)', () => {
      for (let k = 0; k <= whole.length; k++) {
        const events = [head, piece(whole.slice(0, k)), piece(whole.slice(k)), ...tail];
        const { plan } = load(sse(events, k % 2 === 0));
        assert.deepEqual(callsOf(plan), expected, `split at ${k}`);
        assert.equal(plan.tools[0].stream?.closedAtEvent, k === whole.length ? 1 : 2);
      }
    });

    it('re-chunked at random, in SSE (with or without blank lines) or JSON lines', () => {
      fc.assert(fc.property(
        fc.array(fc.integer({ min: 1, max: whole.length }), { minLength: 0, maxLength: 12 }),
        fc.constantFrom('sse', 'sse-tight', 'jsonl'),
        (cuts, syntax) => {
          const at = [...new Set(cuts)].sort((a, b) => a - b);
          const parts: string[] = [];
          let prev = 0;
          for (const c of [...at, whole.length]) { if (c > prev) parts.push(whole.slice(prev, c)); prev = c; }
          const events = [head, ...parts.map(piece), ...tail];
          const text = syntax === 'jsonl' ? jsonl(events) : sse(events, syntax === 'sse');
          const { plan } = load(text);
          assert.deepEqual(callsOf(plan), expected);
          assert.equal(plan.tools[0].stream?.closedAtEvent, parts.length);
        },
      ), { numRuns: 200 });
    });

    it('Anthropic: random re-chunking of partial_json across input_json_delta events', () => {
      const rec = lines(payload('streams/anthropic-tool-use.sse'));
      const start = rec.findIndex((e) => e.type === 'content_block_start' && e.index === 1);
      const stop = rec.findIndex((e) => e.type === 'content_block_stop' && e.index === 1);
      const json = rec.slice(start + 1, stop).map((e) => (e.delta as { partial_json?: string }).partial_json ?? '').join('');
      const want = callsOf(load(payload('streams/anthropic-tool-use.sse')).plan);
      fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: json.length - 1 }), { maxLength: 10 }), (cuts) => {
        const at = [...new Set(cuts)].sort((a, b) => a - b);
        const parts: string[] = [];
        let prev = 0;
        for (const c of [...at, json.length]) { parts.push(json.slice(prev, c)); prev = c; }
        const events = [...rec.slice(0, start + 1), ...parts.map((p) => ({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: p } })), ...rec.slice(stop)];
        const { plan } = load(jsonl(events));
        assert.deepEqual(callsOf(plan), want);
        assert.equal(plan.tools[0].stream?.closedAtEvent, start + 1 + parts.length);
      }), { numRuns: 100 });
    });
  });
});
