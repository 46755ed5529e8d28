// print(message) of an SDK object (a pydantic repr) imports like the object's JSON would (issue 13).
// Payloads: test/fixtures/payloads/python-print/ (sources in that folder's README).
import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';
import { parsePythonRepr } from '../../../src/core/plan/pyrepr';
import { toValue } from '../../../src/core/plan/tree';
import { callsOf, load, payload, pos, where } from './helpers';

describe('importers: Python print() output of SDK objects', () => {
  it('an OpenAI ChatCompletionMessage: its tool_calls, arguments parsed from the JSON string', () => {
    const { plan } = load(payload('python-print/openai-chat-message.txt'));
    assert.equal(plan.format, 'openai');
    assert.deepEqual(callsOf(plan), [{ id: 'call_pOsKdUlqvdyttYB67MOj434b', name: 'get_current_time', args: { location: 'San Francisco' } }]);
  });

  it('a whole ChatCompletion with two parallel calls (Azure content filter results and all)', () => {
    const { plan } = load(payload('python-print/openai-chat-completion-parallel.txt'));
    assert.deepEqual(callsOf(plan), [
      { id: 'call_acaztZMjJp0rl0jxzlbt3byM', name: 'get_current_weather', args: { location: 'Tokyo, Japan', unit: 'celsius' } },
      { id: 'call_XNjm0zteIsWbP84Q9nL6YyMx', name: 'get_current_weather', args: { location: 'Sydney, Australia', unit: 'celsius' } },
    ]);
  });

  it('an Anthropic Message: ToolUseBlock input as a Python dict, the TextBlock ignored', () => {
    const { plan } = load(payload('python-print/anthropic-message.txt'));
    assert.equal(plan.format, 'anthropic');
    assert.deepEqual(callsOf(plan), [{ id: 'toolu_01Mt1an3KHEz5RduZRUUuTWz', name: 'print_sentiment_scores', args: { positive_score: 0, negative_score: 0.791, neutral_score: 0.209 } }]);
  });

  it('Python literals as repr() writes them: quotes, escapes, None/True/False, tuples, positional fields, <…> values', () => {
    const r = parsePythonRepr(`A(s='I\\'ll go\\n', d="it's", u='caf\\xe9 \\u2713', n=None, t=(1, -2.5e3), b=[True, False], k={'a': 1, 2: 'x'}, e=<Role.USER: 'user'>, w=datetime.datetime(2024, 1, 2))`);
    assert.ok(r.ok);
    assert.deepEqual(JSON.parse(JSON.stringify(toValue(r.root))), {
      s: "I'll go\n", d: "it's", u: 'café ✓', n: null, t: [1, -2500], b: [true, false], k: { a: 1, 2: 'x' }, e: "<Role.USER: 'user'>", w: { 0: 2024, 1: 1, 2: 2 },
    });
  });

  it('a cut-off print is an error at the place, naming what it looks like', () => {
    const text = payload('python-print/openai-chat-message.txt').trim().slice(0, -40);
    const r = parsePlan(text);
    assert.equal(r.plan, undefined);
    assert.match(r.diagnostics[0].message, /This looks like a Python object as print\(\) shows it/);
    const broken = `ChatCompletionMessage(content=None, role='assistant' tool_calls=[])`;
    const b = parsePlan(broken);
    assert.match(b.diagnostics[0].message, /Expected "," or "\)" here/);
    assert.deepEqual(pos(b.diagnostics[0]), where(broken, 'tool_calls'));
  });

  it('a printed object without calls says so', () => {
    const r = parsePlan("ChatCompletionMessage(content='Hello!', role='assistant', function_call=None, tool_calls=None)");
    assert.equal(r.plan, undefined);
    assert.ok(r.diagnostics.some((d) => d.severity === 'error'));
  });
});
