import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parsePlan } from '../../../src/core/plan/parse';
import { TEXT_IMPORTERS, TREE_IMPORTERS } from '../../../src/core/plan/importers';
import { fixture } from './helpers';

const ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

describe('importers: detection and routing', () => {
  it('registers one importer per imported format', () => {
    assert.deepEqual(TREE_IMPORTERS.map((i) => i.format), ['mcp', 'openai-responses', 'anthropic', 'bedrock', 'vercel-ai', 'gemini', 'langchain', 'cohere', 'ollama', 'openai']);
    assert.deepEqual(TEXT_IMPORTERS.map((i) => i.format), ['llmcompiler']);
  });

  const cases: [string, string][] = [
    ['openai-chat-response.json', 'openai'],
    ['openai-multi-choice.json', 'openai'],
    ['openai-conversation.json', 'openai'],
    ['openai-broken-args.json', 'openai'],
    ['openai-message.yaml', 'openai'],
    ['openai-fenced.md', 'openai'],
    ['responses-output.json', 'openai-responses'],
    ['responses-conversation.json', 'openai-responses'],
    ['anthropic-response.json', 'anthropic'],
    ['anthropic-conversation.json', 'anthropic'],
    ['anthropic-server-tools.json', 'anthropic'],
    ['llmcompiler-paper.txt', 'llmcompiler'],
    ['llmcompiler-langgraph.txt', 'llmcompiler'],
    ['llmcompiler-fenced.md', 'llmcompiler'],
  ];
  for (const [file, format] of cases) {
    it(`${file} → ${format}`, () => {
      const r = parsePlan(fixture(file), { fileName: file });
      assert.equal(r.plan?.format, format, r.diagnostics.map((d) => d.message).join('\n'));
    });
  }

  it('still routes native plans (JSON, YAML, fenced) to the native reader', () => {
    assert.equal(parsePlan('{"tools":[]}').plan?.format, 'native');
    assert.equal(parsePlan('tools: []\n').plan?.format, 'native');
    assert.equal(parsePlan('```yaml\nname: x\ntools:\n  - { id: a, kind: simulate, args: { durationMs: 1 } }\n```').plan?.format, 'native');
    // A native plan whose tool args happen to look like provider data is still native.
    const r = parsePlan(JSON.stringify({ tools: [{ id: 'a', kind: 'simulate', args: { durationMs: 1, result: { tool_calls: [], role: 'assistant' } } }] }));
    assert.equal(r.plan?.format, 'native');
    assert.deepEqual(r.diagnostics, []);
  });

  it('does not read provider request bodies with a tools list as native plans', () => {
    const chat = { model: 'gpt-4o', tools: [{ type: 'function', function: { name: 'f' } }], messages: [{ role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] }] };
    assert.equal(parsePlan(JSON.stringify(chat)).plan?.format, 'openai');
    const claude = { model: 'claude', tools: [{ name: 'f', input_schema: {} }], messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }] }] };
    assert.equal(parsePlan(JSON.stringify(claude)).plan?.format, 'anthropic');
  });

  it('keeps the generic errors for things that are not plans at all', () => {
    assert.match(parsePlan('[1,2]').diagnostics[0].message, /this is a list/);
    assert.match(parsePlan('{"hello": 1}').diagnostics[0].message, /No tool calls found/);
    assert.match(parsePlan('[]').diagnostics[0].message, /this is a list/);
  });

  it('never throws on random provider payloads; plans it returns are well-formed', function () {
    this.timeout(120_000);
    const junk = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
    const name = fc.oneof(fc.constantFrom('get_weather', 'search', '__proto__', 'constructor', 'my tool', '', '1st'), junk);
    const id = fc.oneof(fc.constantFrom('call_1', 'call_1', 'toolu_01', 'fc_1', '0', 'a b', '__proto__', '', 'get_weather'), junk);
    const args = fc.oneof(fc.constantFrom('{"a":1}', '{"a":', "{'a': 1}", '', '[1]', '{"__proto__":{"x":1}}', '{} {}', '"x"'), fc.constant({ a: [1] }), junk);
    const opt = { requiredKeys: [] as [] };
    const call = fc.record({ id, type: fc.constantFrom('function', 'custom', 'other'), function: fc.record({ name, arguments: args }, opt), custom: fc.record({ name, input: args }, opt) }, opt);
    const chatMsg = fc.record({ role: fc.constantFrom('assistant', 'user', 'tool'), content: fc.oneof(fc.constant(null), fc.string({ maxLength: 5 })), tool_calls: fc.array(call, { maxLength: 4 }), function_call: fc.record({ name, arguments: args }, opt) }, opt);
    const block = fc.record({ type: fc.constantFrom('tool_use', 'server_tool_use', 'text', 'web_search_tool_result', 'thinking'), id, name, input: args, tool_use_id: id }, opt);
    const claudeMsg = fc.record({ role: fc.constantFrom('assistant', 'user'), content: fc.oneof(fc.array(block, { maxLength: 4 }), fc.string({ maxLength: 4 })), type: fc.constant('message'), stop_reason: fc.constantFrom('tool_use', 'end_turn', 'max_tokens') }, opt);
    const item = fc.record({ type: fc.constantFrom('function_call', 'custom_tool_call', 'function_call_output', 'message', 'reasoning', 'web_search_call'), call_id: id, id, name, arguments: args, input: args, role: fc.constantFrom('user', 'assistant') }, opt);
    const payload = fc.oneof(
      chatMsg, fc.array(call, { maxLength: 5 }), fc.array(chatMsg, { maxLength: 4 }), fc.record({ messages: fc.array(chatMsg, { maxLength: 4 }), tools: fc.constant([]) }),
      fc.record({ object: fc.constant('chat.completion'), model: name, choices: fc.array(fc.record({ message: chatMsg, finish_reason: fc.constantFrom('stop', 'length', 'tool_calls') }, opt), { maxLength: 3 }) }, opt),
      claudeMsg, fc.array(block, { maxLength: 5 }), fc.array(claudeMsg, { maxLength: 4 }), fc.record({ messages: fc.array(claudeMsg, { maxLength: 4 }) }),
      fc.array(item, { maxLength: 6 }), fc.record({ object: fc.constant('response'), output: fc.array(item, { maxLength: 6 }) }, opt), fc.record({ input: fc.array(item, { maxLength: 6 }) }),
    );
    const made: Record<string, number> = {};
    fc.assert(fc.property(payload, fc.boolean(), (v, pretty) => {
      const text = JSON.stringify(v, null, pretty ? 2 : undefined);
      const r = parsePlan(text);
      for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.column >= 1 && d.message.length > 0 && d.range.offset <= text.length);
      if (!r.plan) return;
      made[r.plan.format] = (made[r.plan.format] ?? 0) + 1;
      const ids = r.plan.tools.map((t) => t.id);
      assert.equal(new Set(ids).size, ids.length);
      r.plan.tools.forEach((t, i) => {
        assert.equal(t.index, i);
        assert.match(t.id, ID);
        assert.equal(t.kind, 'simulate');
        assert.ok(t.label.trim().length > 0);
        assert.ok(t.ranges.tool.offset >= 0 && t.ranges.tool.offset + t.ranges.tool.length <= text.length);
      });
    }), { numRuns: 4000, seed: 42 });
    // OpenAI-shaped calls with object arguments and no type are Ollama's shape, and import as such.
    assert.ok(['openai', 'openai-responses', 'anthropic'].every((f) => (made[f] ?? 0) > 50), `plans made: ${JSON.stringify(made)}`);
  });

  it('never throws on random LLMCompiler-like text', function () {
    this.timeout(120_000);
    const token = fc.constantFrom('1. ', '2. ', '10. ', 'search', 'join', '(', ')', '"', "'", '\\', '$1', '${2}', '$', '[', ']', '{', '}', ':',
      ',', '=', 'k', 'True', 'None', '3.5', '-', '\n', ' ', 'Thought: ', '<END_OF_PLAN>', '#', '"""');
    let made = 0;
    const step = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.constantFrom('search', 'math', 'join', '__proto__'), fc.array(token, { maxLength: 8 }), fc.boolean())
      .map(([n, f, argTokens, close]) => `${n}. ${f}(${argTokens.join('')}${close ? ')' : ''}`);
    const line = fc.oneof(step, step, fc.constant('Thought: next'), fc.array(token, { maxLength: 6 }).map((t) => t.join('')));
    fc.assert(fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
      const text = lines.join('\n');
      const r = parsePlan(text);
      for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.column >= 1);
      if (r.plan?.format === 'llmcompiler') {
        made++;
        const ids = r.plan.tools.map((t) => t.id);
        assert.equal(new Set(ids).size, ids.length);
        for (const id of ids) assert.match(id, ID);
      }
    }), { numRuns: 3000, seed: 7 });
    assert.ok(made > 100, `plans made: ${made}`);
  });
});
