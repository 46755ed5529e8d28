import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';
import { analyzed, codes, fixture, load, one, plain, pos, where } from './helpers';

describe('importers: Anthropic Messages', () => {
  it('reads tool_use blocks from a response, skipping text blocks', () => {
    const text = fixture('anthropic-response.json');
    const { plan, result } = load(text);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(plan.format, 'anthropic');
    assert.equal(plan.syntax, 'text');
    assert.equal(plan.name, 'Anthropic tool calls (3) · claude-sonnet-4-5-20250929');
    assert.deepEqual(plan.tools.map((t) => [t.id, t.label, t.index]), [
      ['toolu_01A09q90qw90lq917835lq9', 'get_weather', 0],
      ['toolu_01B19r01rx01mr028946mr0', 'get_weather', 1],
      ['toolu_01C29s12sy12ns139057ns1', 'get_time', 2],
    ]);
    assert.deepEqual(plain(plan.tools[1].args), { location: 'New York, NY', unit: 'fahrenheit' });
    assert.ok(plan.tools.every((t) => t.kind === 'simulate' && t.estimateMs === 1000 && t.dependsOn.length === 0));
    assert.equal(plan.tools[2].ranges.tool.line, where(text, '"toolu_01C29').line - 2);
    assert.deepEqual(pos(plan.tools[2].ranges.args!), where(text, '{ "timezone"'));
    const a = analyzed(text);
    assert.equal(a.valid, true);
    assert.equal(a.levels.length, 1);
  });

  it('uses the import default estimate from the parse options', () => {
    const r = parsePlan(fixture('anthropic-response.json'), { defaultEstimateMs: 250 });
    assert.ok(r.plan?.tools.every((t) => t.estimateMs === 250));
  });

  it('takes the last assistant message with tool_use from a conversation; duplicate reads are flagged', () => {
    const text = fixture('anthropic-conversation.json');
    const a = analyzed(text);
    assert.equal(a.plan.format, 'anthropic');
    assert.equal(a.plan.name, 'Anthropic tool calls (3) · claude-opus-4-1');
    assert.deepEqual(a.plan.tools.map((t) => t.id), ['toolu_tsconfig', 'toolu_esbuild', 'toolu_tsconfig2']);
    const dup = one(a.diagnostics, 'duplicate-call');
    assert.deepEqual(dup.tools, ['toolu_tsconfig2', 'toolu_tsconfig']);
    assert.deepEqual(pos(dup), where(text, '{ "path": "tsconfig.json" }', 1));
  });

  it('reads a bare array of messages and a bare content array', () => {
    const messages = [
      { role: 'user', content: 'Find both.' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'find', input: { q: 'a' } }] },
    ];
    assert.deepEqual(load(JSON.stringify(messages)).plan.tools.map((t) => t.id), ['toolu_a']);
    const blocks = [{ type: 'text', text: 'On it.' }, { type: 'tool_use', id: 'toolu_b', name: 'find', input: { q: 'b' } }];
    const { plan } = load(JSON.stringify(blocks));
    assert.equal(plan.format, 'anthropic');
    assert.deepEqual(plain(plan.tools[0].args), { q: 'b' });
  });

  it('never imports server tools (server_tool_use, mcp_tool_use), with or without a result yet', () => {
    const { plan, result } = load(fixture('anthropic-server-tools.json'));
    assert.deepEqual(plan.tools.map((t) => [t.id, t.label]), [['toolu_papers', 'list_papers']]);
    assert.ok(result.diagnostics.some((d) => d.severity === 'info' && /1 server tool call .* without a result yet/.test(d.message)));
  });

  it('explains a message without tool_use blocks, mentioning server tools that already ran', () => {
    const r = parsePlan(JSON.stringify({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hello!' }], stop_reason: 'end_turn' }));
    assert.equal(r.plan, undefined);
    assert.deepEqual(codes(r.diagnostics), ['parse-error']);
    assert.equal(r.diagnostics[0].message, 'This Anthropic message has no tool_use blocks (stop_reason is "end_turn"): select a message whose stop_reason is "tool_use".');
    const srv = parsePlan(JSON.stringify({ type: 'message', role: 'assistant', stop_reason: 'end_turn', content: [
      { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
      { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
    ] }));
    assert.match(srv.diagnostics[0].message, /1 server tool call already ran on Anthropic's servers/);
    const conv = parsePlan(JSON.stringify({ messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x', content: 'ok' }] }] }));
    assert.match(conv.diagnostics[0].message, /No assistant message in this conversation \(1 message\) has tool_use blocks/);
  });

  it('reports a tool_use without a name at its position and keeps the rest', () => {
    const text = '{"role":"assistant","content":[\n  {"type":"tool_use","id":"toolu_1","name":"ok","input":{}},\n  {"type":"tool_use","id":"toolu_2","input":{"q":1}}\n]}';
    const r = parsePlan(text);
    assert.deepEqual(r.plan?.tools.map((t) => t.id), ['toolu_1']);
    const d = one(r.diagnostics, 'schema');
    assert.equal(d.severity, 'error');
    assert.deepEqual(pos(d), { line: 3, column: 3 });
    assert.match(d.message, /no name/);
  });

  it('warns when the message stopped at max_tokens', () => {
    const r = parsePlan(JSON.stringify({ type: 'message', role: 'assistant', stop_reason: 'max_tokens', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }] }));
    assert.equal(r.plan?.tools.length, 1);
    assert.match(one(r.diagnostics, 'parse-error').message, /max_tokens/);
  });

  it('reads a YAML message and a message in a Markdown fence', () => {
    const yaml = 'role: assistant\ncontent:\n  - type: tool_use\n    id: toolu_y\n    name: lookup\n    input: { id: 3 }\n';
    const { plan } = load(yaml, 'msg.yml');
    assert.deepEqual(plain(plan.tools[0].args), { id: 3 });
    assert.equal(plan.tools[0].ranges.tool.line, 3);
    const fenced = '```json\n{"role":"assistant","content":[\n{"type":"tool_use","id":"toolu_f","name":"f","input":{}}]}\n```\n';
    assert.equal(load(fenced).plan.tools[0].ranges.tool.line, 3);
  });

  it('handles __proto__ tool names and input keys as data', () => {
    const text = JSON.stringify({ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_p', name: '__proto__', input: { __proto__: { polluted: 1 } } }] }).replace('"input":{}', '"input":{"__proto__":{"polluted":1}}');
    const { plan } = load(text);
    assert.equal(plan.tools[0].label, '__proto__');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
