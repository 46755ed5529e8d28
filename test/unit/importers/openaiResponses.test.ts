import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';
import { analyzed, fixture, load, one, plain, pos, where } from './helpers';

describe('importers: OpenAI Responses', () => {
  it('reads function_call items from a response, skipping reasoning, messages and hosted tools', () => {
    const text = fixture('responses-output.json');
    const { plan, result } = load(text);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(plan.format, 'openai-responses');
    assert.equal(plan.name, 'OpenAI function calls (2) · gpt-4.1-2025-04-14');
    // call_id (what function_call_output refers to) is the tool id, not the item id.
    assert.deepEqual(plan.tools.map((t) => [t.id, t.label]), [['call_12345xyz', 'get_weather'], ['call_67890abc', 'get_weather']]);
    assert.deepEqual(plain(plan.tools[1].args), { location: 'Bogotá, Colombia' });
    assert.equal(plan.tools[1].ranges.tool.line, where(text, '"id": "fc_67890abc"').line - 2);
    assert.deepEqual(pos(plan.tools[1].ranges.id!), where(text, '"call_67890abc"'));
    const a = analyzed(text);
    assert.equal(a.valid, true);
    assert.deepEqual(a.levels, [['call_12345xyz', 'call_67890abc']]);
  });

  it('reads a bare list of output items', () => {
    const items = [
      { type: 'reasoning', id: 'rs_1', summary: [] },
      { type: 'function_call', id: 'fc_a', call_id: 'call_a', name: 'search', arguments: '{"q":"x"}' },
      { type: 'function_call', id: 'fc_b', call_id: 'call_b', name: 'search', arguments: '{"q":"x"}' },
    ];
    const text = JSON.stringify(items, null, 2);
    const a = analyzed(text);
    assert.equal(a.plan.format, 'openai-responses');
    const dup = one(a.diagnostics, 'duplicate-call');
    assert.deepEqual(dup.tools, ['call_b', 'call_a']);
    assert.deepEqual(pos(dup), where(text, '"{\\"q\\":\\"x\\"}"', 1));
  });

  it('takes the last batch of a conversation (calls after the last function_call_output)', () => {
    const { plan } = load(fixture('responses-conversation.json'));
    assert.deepEqual(plan.tools.map((t) => t.id), ['call_c', 'call_s']);
    assert.deepEqual(plain(plan.tools[0].args), { value: 20, from: 'C', to: 'F' });
  });

  it('falls back to the item id when there is no call_id, and reads custom tool calls', () => {
    const { plan } = load(JSON.stringify([
      { type: 'function_call', id: 'fc_only', name: 'f', arguments: '{}' },
      { type: 'custom_tool_call', call_id: 'call_g', name: 'apply_patch', input: '*** Begin Patch' },
    ]));
    assert.deepEqual(plan.tools.map((t) => t.id), ['fc_only', 'call_g']);
    assert.deepEqual(plain(plan.tools[1].args), { input: '*** Begin Patch' });
  });

  it('reports broken arguments at the character, and a nameless call at its position', () => {
    const text = '[\n  {"type":"function_call","call_id":"call_a","name":"f","arguments":"{\\"a\\": 1} {\\"b\\": 2}"},\n  {"type":"function_call","call_id":"call_b","arguments":"{}"}\n]';
    const r = parsePlan(text);
    assert.deepEqual(r.plan?.tools.map((t) => t.id), ['call_a']);
    const bad = r.diagnostics.find((d) => d.code === 'parse-error');
    assert.ok(bad);
    assert.equal(bad.severity, 'warning');
    assert.match(bad.message, /more text after the JSON object/);
    assert.deepEqual(pos(bad), where(text, '} {', 0, 2));
    const schema = one(r.diagnostics, 'schema');
    assert.equal(schema.line, 3);
    assert.match(schema.message, /no name/);
  });

  it('explains a response without function calls', () => {
    const r = parsePlan(JSON.stringify({ object: 'response', status: 'completed', output: [
      { type: 'reasoning', id: 'rs_1', summary: [] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Done.' }] },
    ] }));
    assert.equal(r.plan, undefined);
    assert.match(r.diagnostics[0].message, /no function_call items \(only 1 × reasoning, 1 × message\)/);
  });

  it('reads a response wrapped in YAML', () => {
    const yaml = [
      'object: response',
      'output:',
      '  - type: function_call',
      '    call_id: call_y',
      '    name: lookup',
      '    arguments: "{\\"id\\": 7}"',
    ].join('\n');
    const { plan } = load(yaml, 'resp.yaml');
    assert.deepEqual(plain(plan.tools[0].args), { id: 7 });
    assert.equal(plan.tools[0].ranges.tool.line, 3);
  });
});
