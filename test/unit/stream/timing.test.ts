// Close times of streamed calls (src/core/stream/timing.ts): recorded timestamps, or the token
// rate over the characters the model had generated; and simulateStream's record (DESIGN §9).
import assert from 'node:assert/strict';
import { parsePlan } from '../../../src/core/plan/parse';
import { CHARS_PER_TOKEN, DEFAULT_TOKENS_PER_SECOND, isStreamable, streamTiming } from '../../../src/core/stream/timing';
import { simulateStream } from '../../../src/core/stream/run';
import { load, payload } from '../importers/helpers';
import { fixture } from '../importers/helpers';

type Json = Record<string, unknown>;
const chunk = (tool_calls: unknown[], finish: string | null = null): Json => ({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { tool_calls }, finish_reason: finish }] });
const sse = (events: readonly Json[]): string => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');

/** Two parallel calls: `weather` closes early, `report` streams long arguments after it. */
function twoCalls(longArgs = 'x'.repeat(400)): string {
  return sse([
    chunk([{ index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } }]),
    chunk([{ index: 0, function: { arguments: '{"city":"Paris"}' } }]),
    chunk([{ index: 1, id: 'call_b', type: 'function', function: { name: 'report', arguments: '{"text":"' } }]),
    chunk([{ index: 1, function: { arguments: `${longArgs}"}` } }]),
    { object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
  ]);
}

describe('stream timing', () => {
  it('without timestamps: close = characters generated ÷ (chars per token × token rate)', () => {
    const { plan } = load(twoCalls());
    assert.ok(isStreamable(plan));
    const t = streamTiming(plan);
    const msPerChar = 1000 / (CHARS_PER_TOKEN * DEFAULT_TOKENS_PER_SECOND);
    assert.equal(t.source, 'token-rate');
    assert.equal(t.tokensPerSecond, DEFAULT_TOKENS_PER_SECOND);
    // weather: name (7) + {"city":"Paris"} (16); report: + name (6) + its 411 argument characters.
    assert.deepEqual(t.closeMs, [23 * msPerChar, (23 + 6 + 411) * msPerChar]);
    assert.equal(t.endMs, t.closeMs[1]);
    const fast = streamTiming(plan, { tokensPerSecond: 800 });
    assert.ok(Math.abs(fast.closeMs[1] - t.closeMs[1] / 10) < 1e-9);
    assert.throws(() => streamTiming(plan, { tokensPerSecond: 0 }), /positive number of tokens per second/);
  });

  it('with timestamps: the recording\'s own times', () => {
    const events = payload('streams/openai-chat-tool-call.sse').split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)) as Json);
    const stamped = events.map((data, k) => JSON.stringify({ timeMs: 1000 + 25 * k, data })).join('\n');
    const { plan } = load(stamped);
    const t = streamTiming(plan);
    assert.deepEqual(t, { closeMs: [175], endMs: 225, source: 'recorded' });
    assert.equal(streamTiming(plan, { ignoreTimestamps: true }).source, 'token-rate');
  });

  it('an LLMCompiler plan streams as text: a step closes at the end of its line', () => {
    const text = '1. search("a")\n2. search("b")\n3. join_all($1, $2)\n';
    const { plan } = load(text);
    assert.equal(plan.format, 'llmcompiler');
    const t = streamTiming(plan, { tokensPerSecond: 1000 / CHARS_PER_TOKEN }); // 1 ms per character
    assert.deepEqual(t.closeMs, [14, 29, 49]);
    assert.ok(t.endMs >= 49);
  });

  it('a native plan is not a stream', () => {
    const { plan } = load('{"tools":[{"id":"a","kind":"simulate","args":{"durationMs":1}}]}', 'a.toolplan.json');
    assert.equal(isStreamable(plan), false);
    assert.throws(() => streamTiming(plan), /not a stream/);
  });

  it('a call cut off at the token limit is listed in plan.stream.unclosed and never in the plan', () => {
    const r = parsePlan(sse([
      chunk([{ index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }]),
      chunk([{ index: 1, id: 'call_b', type: 'function', function: { name: 'report', arguments: '{"text":"unfini' } }]),
      { object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'length' }] },
    ]));
    assert.ok(r.plan);
    assert.deepEqual(r.plan.tools.map((t) => t.label), ['weather']);
    assert.deepEqual(r.plan.stream?.unclosed, [{ name: 'report', callId: 'call_b', openedAtEvent: 1 }]);
  });

  it('simulateStream: stream { endMs, waitForEndMakespanMs }, readyAt per tool, both policies on one clock', async () => {
    const { plan } = load(twoCalls());
    const timing = streamTiming(plan);
    const onClose = await simulateStream(plan, { durations: [1000, 200] });
    assert.equal(onClose.stream.policy, 'dispatch-on-close');
    assert.equal(onClose.stream.endMs, timing.endMs);
    assert.deepEqual(onClose.tools.map((t) => t.readyAt), timing.closeMs);
    assert.deepEqual(onClose.tools.map((t) => t.startedAt), timing.closeMs);
    assert.equal(onClose.makespanMs, Math.max(timing.closeMs[0] + 1000, timing.closeMs[1] + 200));
    assert.equal(onClose.stream.waitForEndMakespanMs, timing.endMs + 1000);
    const atEnd = await simulateStream(plan, { durations: [1000, 200], policy: 'wait-for-end' });
    assert.equal(atEnd.makespanMs, onClose.stream.waitForEndMakespanMs);
    assert.equal(atEnd.stream.waitForEndMakespanMs, atEnd.makespanMs);
    assert.deepEqual(atEnd.tools.map((t) => t.startedAt), [timing.endMs, timing.endMs]);
    assert.deepEqual(Object.keys(onClose).slice(-2), ['stream', 'tools']);
  });

  it('simulateStream: the lower bound counts the stream (each call from its close, never before the end), under both policies', async () => {
    const { plan } = load(twoCalls());
    const timing = streamTiming(plan);
    const bound = Math.max(timing.endMs, timing.closeMs[0] + 1000, timing.closeMs[1] + 200);
    const onClose = await simulateStream(plan, { durations: [1000, 200] });
    // The plan alone (two independent calls) would say 1000 ms; no streamed turn can end that soon.
    assert.ok(bound > 1000);
    assert.equal(onClose.lowerBoundMs, bound);
    assert.equal(onClose.makespanMs, onClose.lowerBoundMs, 'dispatch-on-close without caps meets the bound');
    assert.equal(onClose.criticalPathMs, 1000, 'the critical path stays the plan\'s');
    const atEnd = await simulateStream(plan, { durations: [1000, 200], policy: 'wait-for-end' });
    assert.equal(atEnd.lowerBoundMs, bound, 'waiting for the end is measured against what dispatch-on-close could do');
    assert.ok(atEnd.makespanMs > atEnd.lowerBoundMs);
  });

  it('fixtures: the recorded LLMCompiler paper plan has increasing close times', () => {
    const { plan } = load(fixture('llmcompiler-paper.txt'));
    const t = streamTiming(plan);
    for (let i = 1; i < t.closeMs.length; i++) assert.ok(t.closeMs[i] > t.closeMs[i - 1]);
  });
});
