// A call the model wrote without a name is an error at that call, in every format: the other calls
// still import, and the nameless one is never dropped in silence (issue 13).
import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string): [number, number] {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const before = text.slice(0, offset).split('\n');
  return [before.length, before[before.length - 1].length + 1];
}

const pretty = (v: unknown): string => JSON.stringify(v, null, 2);

// [format, payload, where the error stands: the text of the nameless call's name field or object]
const CASES: [string, string, string][] = [
  ['cohere', pretty({ message: { role: 'assistant', tool_plan: 'Look up both.', tool_calls: [
    { id: 'w1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Toronto"}' } },
    { id: 'w2', type: 'function', function: { name: '', arguments: '{"location":"Paris"}' } },
  ] }, finish_reason: 'TOOL_CALL' }), '""'],
  ['ollama', pretty({ model: 'llama3.2', created_at: '2024-07-22T20:33:28Z', message: { role: 'assistant', content: '', tool_calls: [
    { function: { name: 'get_current_weather', arguments: { location: 'Paris, FR' } } },
    { function: { arguments: { location: 'Rome, IT' } } },
  ] }, done: true }), '{\n          "arguments": {\n            "location": "Rome'],
  ['langchain', pretty({ type: 'ai', content: '', tool_calls: [
    { name: 'multiply', args: { a: 3, b: 12 }, id: 'call_1', type: 'tool_call' },
    { name: 7, args: { a: 11, b: 49 }, id: 'call_2', type: 'tool_call' },
  ] }), '7'],
  ['vercel-ai', pretty({ toolCalls: [
    { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } },
    { type: 'tool-call', toolCallId: 'call_2', input: { city: 'Rome' } },
  ] }), '{\n      "type": "tool-call",\n      "toolCallId": "call_2"'],
  ['vercel-ai', pretty({ messages: [{ id: 'm1', role: 'assistant', parts: [
    { type: 'tool-weather', toolCallId: 'call_1', state: 'input-available', input: { city: 'Paris' } },
    { type: 'dynamic-tool', toolName: '', toolCallId: 'call_2', state: 'input-available', input: { city: 'Rome' } },
  ] }] }), '""'],
];

describe('importers: calls without a name', () => {
  for (const [format, text, where] of CASES) {
    it(`${format}: the named call imports, the nameless one is an error at its place`, () => {
      const r = parsePlan(text);
      assert.equal(r.format, format);
      assert.equal(r.plan?.tools.length, 1, JSON.stringify(r.diagnostics));
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      assert.equal(errors.length, 1, JSON.stringify(r.diagnostics));
      assert.equal(errors[0].code, 'schema');
      assert.match(errors[0].message, /has (no name|an empty name|a name that is not a string), so there is no tool to call\. Give it one, e\.g\. \{/);
      assert.deepEqual([errors[0].range.line, errors[0].range.column], at(text, where));
    });
  }

  it('every call nameless: no plan, and each call gets its own error besides the summary', () => {
    const text = pretty({ type: 'ai', content: '', tool_calls: [{ args: { a: 1 }, id: 'c1' }, { name: ' ', args: { a: 2 }, id: 'c2' }] });
    const r = parsePlan(text);
    assert.equal(r.plan, undefined);
    assert.equal(r.diagnostics.filter((d) => d.code === 'schema').length, 2);
    assert.ok(r.diagnostics.some((d) => d.code === 'parse-error' && /every one is missing its name/.test(d.message)));
  });
});
