// Hidden tests for tool-result-messages, run by Fanout's harness (src/core/lessons/code/harness.ts)
// against the learner's file, copied in as ./submission.mjs.
import { strict as assert } from 'node:assert';
import { test } from './harness.mjs';
import * as sub from './submission.mjs';

// The model's order, then the finish order: the weather call failed, the CRM note was denied,
// and the run was cancelled before the calendar call started (it has no settled result).
const calls = [
  { id: 'call_a1', name: 'get_weather' },
  { id: 'call_b2', name: 'search_flights' },
  { id: 'call_c3', name: 'post_crm_note' },
  { id: 'call_d4', name: 'list_calendar' },
];
const settled = [
  { id: 'call_b2', outcome: 'ok', value: { flights: [{ no: 'LH 401', eur: 412 }] } },
  { id: 'call_c3', outcome: 'denied', message: 'the user refused this call' },
  { id: 'call_a1', outcome: 'error', message: 'HTTP 503 from the weather service' },
];
const ids = calls.map((c) => c.id);
const ANSWER = { call_a1: /error.*503/is, call_b2: /LH 401/, call_c3: /denied.*refused/is, call_d4: /cancel/i };

function fresh() {
  return { calls: structuredClone(calls), settled: structuredClone(settled) };
}

test('Chat Completions: one tool message per call, in the calls’ order, paired by tool_call_id', () => {
  const { calls, settled } = fresh();
  const out = sub.chatCompletions(calls, settled);
  assert.ok(Array.isArray(out), 'chatCompletions returns an array of messages');
  assert.deepEqual(out.map((m) => m.tool_call_id), ids, 'every call answered once, in the order the model made them');
  for (const m of out) assert.equal(m.role, 'tool', `message for ${m.tool_call_id} has role 'tool'`);
  for (const m of out) assert.match(String(m.content), ANSWER[m.tool_call_id], `the answer to ${m.tool_call_id} is that call's own result`);
});

test('content is a string: a string value as it is, any other value as JSON', () => {
  const out = sub.chatCompletions([{ id: 'x', name: 'a' }, { id: 'y', name: 'b' }], [{ id: 'y', outcome: 'ok', value: 'plain text' }, { id: 'x', outcome: 'ok', value: { n: 1 } }]);
  assert.equal(typeof out[0]?.content, 'string', 'content must be a string (the API rejects objects)');
  let parsed;
  try {
    parsed = JSON.parse(out[0].content);
  } catch {
    assert.fail(`the answer to call x is ${JSON.stringify(out[0].content)}: its value { n: 1 } should be sent as JSON`);
  }
  assert.deepEqual(parsed, { n: 1 }, 'an object value is sent as its JSON');
  assert.equal(out[1].content, 'plain text', 'a string value is sent as it is, not JSON-quoted');
});

test('a call the run never reached is still answered, as cancelled', () => {
  const { calls, settled } = fresh();
  const out = sub.chatCompletions(calls, settled);
  const d4 = out.find((m) => m.tool_call_id === 'call_d4');
  assert.ok(d4, 'call_d4 has no settled result, and is still answered (an unanswered call makes the next request fail)');
  assert.match(String(d4.content), /cancel/i, 'and the answer says it was cancelled');
});

test('a failed, denied or cancelled call says what happened', () => {
  const { calls, settled } = fresh();
  const out = sub.responses(calls, settled);
  const by = Object.fromEntries((Array.isArray(out) ? out : []).map((m) => [m.call_id, m.output]));
  assert.match(String(by.call_a1), /error/i, 'the failed call says error');
  assert.match(String(by.call_a1), /503/, 'with its message');
  assert.match(String(by.call_c3), /denied/i, 'the refused call says denied, so the model does not just issue it again');
});

test('Responses: one function_call_output per call, paired by call_id', () => {
  const { calls, settled } = fresh();
  const out = sub.responses(calls, settled);
  assert.ok(Array.isArray(out), 'responses returns an array of input items');
  assert.deepEqual(out.map((m) => m.call_id), ids, 'every call answered once, in the calls’ order');
  for (const m of out) {
    assert.equal(m.type, 'function_call_output', `the item for ${m.call_id} has type function_call_output`);
    assert.equal(typeof m.output, 'string', `the output for ${m.call_id} is a string`);
    assert.match(m.output, ANSWER[m.call_id], `the output for ${m.call_id} is that call's own result`);
  }
});

test('Anthropic: one user message, every tool_result first and paired by tool_use_id, then the note', () => {
  const { calls, settled } = fresh();
  const msg = sub.anthropic(calls, settled, 'One call was refused; ask before posting again.');
  assert.ok(msg && !Array.isArray(msg), 'anthropic returns ONE message (parallel results go back together, in one user turn)');
  assert.equal(msg.role, 'user');
  const content = msg.content ?? [];
  assert.deepEqual(content.map((b) => b.type), ['tool_result', 'tool_result', 'tool_result', 'tool_result', 'text'], 'tool_result blocks come first in the content, text only after them');
  assert.deepEqual(content.slice(0, 4).map((b) => b.tool_use_id), ids, 'one result per tool_use id, in the calls’ order');
  for (const b of content.slice(0, 4)) assert.match(String(b.content), ANSWER[b.tool_use_id], `the result for ${b.tool_use_id} is that call's own`);
  assert.equal(content[4].text, 'One call was refused; ask before posting again.');
  const bare = sub.anthropic(calls, settled);
  assert.ok(bare.content.every((b) => b.type === 'tool_result'), 'without a note there is no text block');
});

test('Anthropic: is_error marks exactly the calls that did not succeed', () => {
  const { calls, settled } = fresh();
  const blocks = (sub.anthropic(calls, settled)?.content ?? []).filter((b) => b.type === 'tool_result');
  const flagged = blocks.filter((b) => b.is_error === true).map((b) => b.tool_use_id);
  assert.deepEqual(flagged, ['call_a1', 'call_c3', 'call_d4'], 'is_error: true on the error, the denied and the cancelled call, not on the one that worked');
});
