import { strict as assert } from 'node:assert';
import {
  DEFAULT_MAX_OUTPUT_CHARS, resultText, toAnthropicToolResults, toGeminiFunctionResponses, toOpenAIToolMessages, toResponsesOutputs, truncate,
} from '../../../src/core/library/providerResults';
import type { BatchResult, CallResult, CallStatus } from '../../../src/core/library/results';

function r(id: string, status: CallStatus, output: CallResult['output'] = null, error: string | null = null): CallResult {
  return { id, name: `fn_${id}`, status, output, error, attempts: status === 'succeeded' ? 1 : 0, startedAt: null, endedAt: null };
}

const batch: BatchResult = {
  status: 'failed',
  makespanMs: 12,
  results: [
    r('call_a', 'succeeded', 'plain text'),
    r('call_b', 'succeeded', { temp: 21, tags: ['x'] }),
    r('call_c', 'failed', null, 'HTTP 500'),
    r('call_d', 'timed-out', null, 'timed out after 50 ms'),
    r('call_e', 'cancelled', null, 'the run was cancelled'),
    r('call_f', 'skipped', null, 'dependency call_c failed'),
    r('call_g', 'denied', null, null),
  ],
};

describe('library: provider result converters', () => {
  it('OpenAI: one tool message per call, in call order, paired by id', () => {
    const m = toOpenAIToolMessages(batch);
    assert.deepEqual(m.map((x) => x.tool_call_id), batch.results.map((x) => x.id));
    assert.ok(m.every((x) => x.role === 'tool' && typeof x.content === 'string' && x.content.length > 0));
    assert.equal(m[0]!.content, 'plain text');
    assert.equal(m[1]!.content, '{"temp":21,"tags":["x"]}');
  });

  it('every non-success status carries a clear Error text naming what happened', () => {
    const texts = batch.results.slice(2).map((x) => resultText(x));
    assert.match(texts[0]!, /^Error: the tool fn_call_c failed: HTTP 500$/);
    assert.match(texts[1]!, /^Error: .*timed out: timed out after 50 ms$/);
    assert.match(texts[2]!, /^Error: .*cancelled/);
    assert.match(texts[3]!, /^Error: .*skipped: dependency call_c failed$/);
    assert.match(texts[4]!, /^Error: .*denied.*did not run$/);
  });

  it('Responses: function_call_output items in call order', () => {
    const o = toResponsesOutputs(batch.results);
    assert.deepEqual(o.map((x) => [x.type, x.call_id]), batch.results.map((x) => ['function_call_output', x.id]));
    assert.match(o[6]!.output, /denied/);
  });

  it('Anthropic: one user message, tool_result blocks first in call order, is_error on every non-success, text last', () => {
    const m = toAnthropicToolResults(batch, { text: 'Continue.' });
    assert.equal(m.role, 'user');
    assert.equal(m.content.length, batch.results.length + 1);
    const blocks = m.content.slice(0, -1);
    assert.deepEqual(blocks.map((b) => (b.type === 'tool_result' ? b.tool_use_id : b.type)), batch.results.map((x) => x.id));
    assert.deepEqual(blocks.map((b) => b.type === 'tool_result' && b.is_error === true), [false, false, true, true, true, true, true]);
    assert.ok(!('is_error' in blocks[0]!), 'a success has no is_error key at all');
    assert.deepEqual(m.content.at(-1), { type: 'text', text: 'Continue.' });
    assert.equal(toAnthropicToolResults(batch).content.length, batch.results.length, 'no text block unless asked');
  });

  it('Gemini: functionResponse parts with id and name; structured output kept, errors as { error }', () => {
    const p = toGeminiFunctionResponses(batch);
    assert.deepEqual(p.map((x) => x.functionResponse.id), batch.results.map((x) => x.id));
    assert.deepEqual(p[1]!.functionResponse, { id: 'call_b', name: 'fn_call_b', response: { output: { temp: 21, tags: ['x'] } } });
    assert.match((p[2]!.functionResponse.response as { error: string }).error, /HTTP 500/);
  });

  it('null output of a success is the text "null" (never an empty content the provider rejects)', () => {
    assert.equal(resultText(r('x', 'succeeded', null)), 'null');
  });

  it('large outputs are cut at the documented size with a visible marker saying how much was dropped', () => {
    const big = 'a'.repeat(DEFAULT_MAX_OUTPUT_CHARS * 2);
    const [msg] = toOpenAIToolMessages([r('big', 'succeeded', big)]);
    assert.equal(msg!.content.length, DEFAULT_MAX_OUTPUT_CHARS);
    assert.match(msg!.content, /…\[truncated by fanout: \d+ of 200000 characters dropped\]$/);
    const dropped = Number(/: (\d+) of/.exec(msg!.content)![1]);
    assert.equal(msg!.content.indexOf('\n…['), big.length - dropped);
    const [small] = toResponsesOutputs([r('big', 'succeeded', big)], { maxOutputChars: 500 });
    assert.equal(small!.output.length, 500);
    const [g] = toGeminiFunctionResponses([r('big', 'succeeded', { data: big })], { maxOutputChars: 500 });
    assert.equal(typeof (g!.functionResponse.response as { output: unknown }).output, 'string');
    assert.equal(truncate('short', 500), 'short');
  });

  it('a cut never splits a surrogate pair', () => {
    const text = '😀'.repeat(1000);
    for (let max = 60; max < 80; max++) {
      const cut = truncate(text, max);
      assert.ok(cut.length <= max);
      assert.doesNotMatch(cut, /[\ud800-\udbff](?![\udc00-\udfff])/);
    }
  });
});
