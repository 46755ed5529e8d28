// Bedrock ConverseStream recordings (issue 13): the calls assembled from toolUse input deltas,
// where each closed, and a stream cut off at the token limit reported, not run.
import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';
import { callsOf, load, payload } from './helpers';

describe('importers: Bedrock ConverseStream', () => {
  it('a recorded Nova stream: the call, its input, where it opened and closed', () => {
    const { plan } = load(payload('bedrock/converse-stream-nova.jsonl'));
    assert.equal(plan.format, 'bedrock');
    assert.deepEqual(callsOf(plan), [{ id: 'tooluse_RFSTw0vUEJBYPxBU3kfgmi', name: 'find_slots', args: { date: '2026-10-05', part_of_day: 'afternoon', service_id: 'teeth_cleaning' } }]);
    assert.equal(plan.tools[0].stream?.openedAtEvent, 1);
    assert.equal(plan.tools[0].stream?.closedAtEvent, 3);
    assert.equal(plan.stream?.complete, true);
    assert.ok((plan.tools[0].stream?.outputChars ?? 0) > 70);
  });

  it('input split over many deltas and two parallel calls, as SSE data lines: the same as the whole input', () => {
    const text = payload('bedrock/converse-stream-nova.jsonl').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const input = '{"date":"2026-10-05","part_of_day":"afternoon","service_id":"teeth_cleaning"}';
    const pieces = [input.slice(0, 5), input.slice(5, 31), input.slice(31)];
    const second = (i: number): Record<string, unknown>[] => [
      { contentBlockStart: { start: { toolUse: { toolUseId: `tooluse_${i}`, name: 'find_slots' } }, contentBlockIndex: i } },
      ...pieces.map((p) => ({ contentBlockDelta: { delta: { toolUse: { input: p } }, contentBlockIndex: i } })),
      { contentBlockStop: { contentBlockIndex: i } },
    ];
    const events = [text[0], ...second(0), ...second(1), text[4]];
    const sse = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');
    const { plan } = load(sse);
    assert.deepEqual(callsOf(plan).map((c) => [c.id, c.args]), [['tooluse_0', JSON.parse(input)], ['tooluse_1', JSON.parse(input)]]);
    assert.deepEqual(plan.tools.map((t) => t.stream?.closedAtEvent), [5, 10]);
  });

  it('cut off at max_tokens: the open call is a warning at its start and is not run', () => {
    const text = payload('bedrock/converse-stream-cut-off.jsonl');
    const r = parsePlan(text);
    assert.equal(r.format, 'bedrock');
    assert.equal(r.plan, undefined);
    const w = r.diagnostics.find((d) => d.severity === 'warning');
    assert.ok(w);
    assert.match(w.message, /'find_slots' \(call 'tooluse_RFSTw0vUEJBYPxBU3kfgmi'\) never closed.*stop reason "max_tokens"/);
    assert.equal(w.range.line, 2);
  });
});
