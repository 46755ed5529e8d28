import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';
import { analyzed, codes, fixture, load, one, plain, pos, where } from './helpers';

describe('importers: OpenAI Chat Completions', () => {
  it('reads a whole chat.completion response: one simulate tool per parallel call', () => {
    const text = fixture('openai-chat-response.json');
    const { plan, result } = load(text);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(plan.format, 'openai');
    assert.equal(plan.syntax, 'text');
    assert.equal(plan.name, 'OpenAI tool calls (3) · gpt-4o-2024-08-06');
    assert.deepEqual(plan.tools.map((t) => [t.id, t.label, t.kind, t.index]), [
      ['call_k2Xh7aQz9VbL1mN3pR5tW8yE', 'get_weather', 'simulate', 0],
      ['call_P4sD6fG8hJ0kL2zX4cV6bN8m', 'get_weather', 'simulate', 1],
      ['call_Q1wE3rT5yU7iO9pA1sD3fG5h', 'search_flights', 'simulate', 2],
    ]);
    assert.deepEqual(plain(plan.tools[2].args), { from: 'CDG', to: 'HND', date: '2025-03-14', passengers: 2 });
    assert.ok(plan.tools.every((t) => t.estimateMs === 1000 && t.dependsOn.length === 0 && t.args.durationMs === undefined));
    // The call object starts on the line before its "id"; the id range is the id string itself.
    const id2 = where(text, '"call_P4sD6');
    assert.equal(plan.tools[1].ranges.tool.line, id2.line - 1);
    assert.deepEqual(pos(plan.tools[1].ranges.id!), id2);
    assert.deepEqual(pos(plan.tools[1].ranges.args!), where(text, '"{\\"city\\":\\"Tokyo'));
  });

  it('analyzes the batch as independent calls run in parallel', () => {
    const a = analyzed(fixture('openai-chat-response.json'));
    assert.equal(a.valid, true);
    assert.equal(a.levels.length, 1);
    assert.equal(a.levels[0].length, 3);
    assert.equal(a.estimate.sequentialMs, 3000);
    assert.equal(a.estimate.parallelMs, 1000);
    assert.equal(a.diagnostics.filter((d) => d.code === 'duplicate-call').length, 0, 'Paris and Tokyo are different calls');
  });

  it('takes the first choice that has tool calls, and names it', () => {
    const { plan } = load(fixture('openai-multi-choice.json'));
    assert.equal(plan.name, 'OpenAI tool calls (2) · gpt-4o-mini · choice 2 of 3');
    assert.deepEqual(plan.tools.map((t) => t.id), ['call_one', 'call_two']);
  });

  it('takes the LAST assistant message with tool calls from a conversation, and finds duplicate calls in it', () => {
    const text = fixture('openai-conversation.json');
    const a = analyzed(text);
    assert.deepEqual(a.plan.tools.map((t) => `${t.id}:${t.label}`), ['call_h1:search_hotels', 'call_a1:search_activities', 'call_h2:search_hotels']);
    const dup = one(a.diagnostics, 'duplicate-call');
    assert.deepEqual(dup.tools, ['call_h2', 'call_h1']);
    assert.deepEqual(pos(dup), where(text, '"{\\"nights\\":2'));
    assert.equal(dup.fix, undefined, 'provider payloads get no text edits');
    assert.equal(a.valid, true);
  });

  it('reads a conversation given as a bare array of messages', () => {
    const messages = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_x', type: 'function', function: { name: 'ping', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_x', content: 'pong' },
    ];
    const { plan } = load(JSON.stringify(messages));
    assert.deepEqual(plan.tools.map((t) => t.id), ['call_x']);
    assert.deepEqual(plain(plan.tools[0].args), {});
  });

  it('reads a bare tool_calls array', () => {
    const calls = [
      { id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"x":1}' } },
      { id: 'call_b', type: 'function', function: { name: 'g', arguments: '' } },
    ];
    const { plan, result } = load(JSON.stringify(calls, null, 2));
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(plan.tools.map((t) => [t.id, t.label, plain(t.args)]), [['call_a', 'f', { x: 1 }], ['call_b', 'g', {}]]);
  });

  it('keeps broken arguments as args._raw with a warning at the exact character', () => {
    const text = fixture('openai-broken-args.json');
    const { plan, result } = load(text);
    assert.deepEqual(plain(plan.tools[0].args), { path: 'README.md' });
    assert.deepEqual(plain(plan.tools[1].args), { _raw: "{'path': 'setup.py'}" });
    assert.equal(typeof plan.tools[2].args._raw, 'string');
    const [quotes, cut] = result.diagnostics.filter((d) => d.message.includes('not valid JSON'));
    assert.equal(quotes.severity, 'warning');
    assert.deepEqual(quotes.tools, ['call_quotes']);
    assert.match(quotes.message, /single quotes/);
    assert.deepEqual(pos(quotes), where(text, "{'path'", 0, 1));
    assert.match(cut.message, /cut off/);
    assert.match(cut.message, /token/);
    assert.deepEqual(pos(cut), where(text, 'The first"', 0, 'The first'.length - 1));
    const length = result.diagnostics.find((d) => d.message.includes('finish_reason "length"') && !d.message.includes('not valid'));
    assert.ok(length, 'the token-limit stop is reported');
    assert.equal(analyzed(text).valid, true, 'broken arguments are warnings: the batch still simulates');
  });

  it('reads a YAML-wrapped message, with argument errors inside a quoted YAML string', () => {
    const text = fixture('openai-message.yaml');
    const { plan, result } = load(text, 'calls.yaml');
    assert.deepEqual(plan.tools.map((t) => t.id), ['call_repo_a', 'call_repo_b']);
    assert.deepEqual(plain(plan.tools[0].args), { repo: 'acme/api', state: 'open' });
    assert.equal(plan.tools[1].ranges.tool.line, where(text, '- id: call_repo_b').line);
    const d = one(result.diagnostics, 'parse-error');
    assert.match(d.message, /cut off/);
    assert.deepEqual(pos(d), where(text, `"open"'`, 0, 5));
  });

  it('accepts arguments written as an object (hand-written YAML)', () => {
    const { plan, result } = load('tool_calls:\n  - id: call_1\n    function: { name: f, arguments: { a: [1, 2] } }\n');
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(plain(plan.tools[0].args), { a: [1, 2] });
  });

  it('reads a message inside a ```json fence with positions in the original text', () => {
    const text = fixture('openai-fenced.md');
    const a = analyzed(text);
    assert.equal(a.plan.tools[1].ranges.tool.line, 7);
    const dup = one(a.diagnostics, 'duplicate-call');
    assert.equal(dup.line, 7);
    assert.deepEqual(pos(dup), where(text, '"{\\"ticker', 1));
  });

  it('accepts the legacy function_call, deriving an id from the name', () => {
    const { plan } = load(JSON.stringify({ role: 'assistant', content: null, function_call: { name: 'get_current_weather', arguments: '{"location":"Boston, MA"}' } }));
    assert.equal(plan.tools.length, 1);
    assert.equal(plan.tools[0].id, 'get_current_weather');
    assert.deepEqual(plain(plan.tools[0].args), { location: 'Boston, MA' });
  });

  it('accepts custom (free-form) tool calls as { input }', () => {
    const { plan } = load(JSON.stringify({ role: 'assistant', tool_calls: [{ id: 'call_sql', type: 'custom', custom: { name: 'run_sql', input: 'SELECT 1' } }] }));
    assert.deepEqual(plain(plan.tools[0].args), { input: 'SELECT 1' });
    assert.equal(plan.tools[0].label, 'run_sql');
  });

  it('derives valid unique ids when provider ids are missing, invalid or repeated', () => {
    const text = JSON.stringify({ role: 'assistant', tool_calls: [
      { id: '0', type: 'function', function: { name: 'f', arguments: '{}' } },
      { type: 'function', function: { name: 'my tool!', arguments: '{}' } },
      { id: 'call:1', type: 'function', function: { name: 'f', arguments: '{}' } },
      { id: 'dup', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
      { id: 'dup', type: 'function', function: { name: 'f', arguments: '{"a":2}' } },
      { type: 'function', function: { name: 'dup', arguments: '{}' } },
    ] }, null, 1);
    const { plan, result } = load(text);
    const ids = plan.tools.map((t) => t.id);
    assert.deepEqual(ids, ['call_0', 'my_tool_', 'call_1', 'dup', 'dup_2', 'dup_3']);
    assert.ok(ids.every((id) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(id)));
    const d = one(result.diagnostics, 'duplicate-id');
    assert.deepEqual(pos(d), where(text, '"dup"', 1));
    assert.match(d.message, /already used at line \d+/);
  });

  it('reports a call without a function name at its position and keeps the others', () => {
    const text = '{"role":"assistant","tool_calls":[\n{"id":"call_a","type":"function","function":{"name":"f","arguments":"{}"}},\n{"id":"call_b","type":"function","function":{"arguments":"{}"}}]}';
    const r = parsePlan(text);
    assert.deepEqual(r.plan?.tools.map((t) => t.id), ['call_a']);
    const d = one(r.diagnostics, 'schema');
    assert.equal(d.severity, 'error');
    assert.deepEqual(pos(d), { line: 3, column: 45 });
    assert.match(d.message, /no function name/);
  });

  it('explains an assistant message or response without tool calls', () => {
    const msg = parsePlan('{\n  "role": "assistant",\n  "content": "The weather in Paris is sunny."\n}');
    assert.equal(msg.plan, undefined);
    assert.deepEqual(codes(msg.diagnostics), ['parse-error']);
    assert.match(msg.diagnostics[0].message, /no tool_calls.*finish_reason is "tool_calls"/);
    const resp = parsePlan(JSON.stringify({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }] }));
    assert.match(resp.diagnostics[0].message, /finish_reason is "stop"/);
    const conv = parsePlan(JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }));
    assert.match(conv.diagnostics[0].message, /No assistant message in this conversation \(2 messages\) has tool_calls/);
  });

  it('keeps __proto__ names, ids and argument keys as plain data', () => {
    const text = JSON.stringify({ role: 'assistant', tool_calls: [
      { id: '__proto__', type: 'function', function: { name: '__proto__', arguments: '{"__proto__":{"polluted":true},"constructor":1}' } },
      { type: 'function', function: { name: 'constructor', arguments: '{}' } },
    ] });
    const { plan } = load(text);
    assert.deepEqual(plan.tools.map((t) => [t.id, t.label]), [['__proto__', '__proto__'], ['constructor', 'constructor']]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(plan.tools[0].args), ['__proto__', 'constructor']);
    assert.equal(analyzed(text).valid, true);
  });

  it('survives arguments nested too deeply (a warning, not a stack overflow)', () => {
    const deep = '['.repeat(100_000);
    const { plan, result } = load(JSON.stringify({ role: 'assistant', tool_calls: [{ id: 'call_a', function: { name: 'f', arguments: deep } }] }));
    assert.equal(plan.tools[0].args._raw, deep);
    assert.match(one(result.diagnostics, 'parse-error').message, /nested/);
  });

  it('imports 100k parallel calls in a sane time', function () {
    this.timeout(120_000);
    const calls = Array.from({ length: 100_000 }, (_, i) => ({ id: `call_${i}`, type: 'function', function: { name: 'fetch', arguments: `{"page":${i}}` } }));
    const text = JSON.stringify({ role: 'assistant', content: null, tool_calls: calls });
    const t0 = Date.now();
    const { plan, result } = load(text);
    assert.ok(Date.now() - t0 < 45_000, 'quadratic blow-up?');
    assert.equal(plan.tools.length, 100_000);
    assert.equal(result.diagnostics.length, 0);
    assert.equal(plan.tools[99_999].id, 'call_99999');
  });
});

describe('importers: OpenAI Chat Completions (limits)', () => {
  it('lists at most 100 argument problems of a kind, then a summary', () => {
    const calls = Array.from({ length: 250 }, (_, i) => ({ id: `call_${i}`, type: 'function', function: { name: 'f', arguments: `{"page":${i}` } }));
    const r = parsePlan(JSON.stringify({ role: 'assistant', tool_calls: calls }));
    assert.equal(r.plan?.tools.length, 250);
    assert.equal(r.diagnostics.length, 101);
    assert.match(r.diagnostics[100].message, /and 150 more parse-error problems/);
  });

  it('explains a streaming chunk instead of a final message', () => {
    const chunk = { id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }, finish_reason: null }] };
    const r = parsePlan(JSON.stringify(chunk));
    assert.equal(r.plan, undefined);
    assert.match(r.diagnostics[0].message, /streaming chunk/);
  });
});
