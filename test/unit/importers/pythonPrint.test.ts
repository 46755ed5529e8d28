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

  describe('google-genai (Gemini) objects: snake_case fields read as the API\'s camelCase', () => {
    it('print(part): the pydantic __str__ form (fields without the class name, None fields and all)', () => {
      const { plan, result } = load(payload('python-print/gemini-part.txt'));
      assert.equal(plan.format, 'gemini');
      assert.deepEqual(callsOf(plan), [{ id: 'get_random_number', name: 'get_random_number', args: {} }]);
      assert.deepEqual(result.diagnostics.filter((d) => d.severity !== 'info'), []);
      // Positions are in the printed text: the tool is the Part, its args the printed dict.
      assert.deepEqual(pos(plan.tools[0].ranges.tool), { line: 1, column: 1 });
    });

    it('print(content) of the newer SDK (indented, a text part, two parallel calls with their ids)', () => {
      const { plan } = load(payload('python-print/gemini-content-parallel.txt'));
      assert.equal(plan.format, 'gemini');
      assert.deepEqual(callsOf(plan), [
        { id: 'adk_tool_call_a8164e724a67479da2ae84ded16b3687', name: 'check-auth-status', args: {} },
        { id: 'adk_tool_call_e2235c3e98e241adb47480670f233331', name: 'check-auth-status', args: {} },
      ]);
    });

    it('arguments keep their own keys (a dict is user data, never renamed) and triple-quoted strings', () => {
      const { plan } = load(payload('python-print/gemini-content-multiline-args.txt'));
      assert.deepEqual(callsOf(plan), [{
        id: 'call_6a308e3d-72fc-4afb-9dd8-a098e3059dde', name: 'send-email',
        args: { body: 'Hi,\n\nThis was written by assistant.', isHtml: false, subject: 'Hi', to: 'aadish.jain@techolution.com' },
      }]);
      const snake = parsePlan("parts=[Part(function_call=FunctionCall(args={'user_id': 7, 'dry_run': True}, name='delete_user'))] role='model'");
      assert.deepEqual(callsOf(snake.plan!), [{ id: 'delete_user', name: 'delete_user', args: { user_id: 7, dry_run: true } }]);
    });

    it('print(response.candidates): a list of Candidate objects, the enum finish_reason read as its value', () => {
      const { plan } = load(payload('python-print/gemini-candidates.txt'));
      assert.equal(plan.format, 'gemini');
      assert.deepEqual(callsOf(plan), [{ id: 'get_files_info', name: 'get_files_info', args: { directory: '.' } }]);
    });

    it('repr(response): a whole GenerateContentResponse, two calls (one with args=None), the model named', () => {
      const text = payload('python-print/gemini-response-repr.txt');
      const { plan, result } = load(text);
      assert.equal(plan.format, 'gemini');
      assert.match(plan.name, /gemini-2\.0-flash/);
      assert.deepEqual(callsOf(plan), [
        { id: 'print', name: 'print', args: { text: 'Hello World', color: 'red' } },
        { id: 'beep', name: 'beep', args: {} },
      ]);
      assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'warning'), []);
      // finish_reason=<FinishReason.MAX_TOKENS: 'MAX_TOKENS'> is the API's "MAX_TOKENS": the warning.
      const cut = parsePlan(text.replace("<FinishReason.STOP: 'STOP'>", "<FinishReason.MAX_TOKENS: 'MAX_TOKENS'>"));
      assert.ok(cut.diagnostics.some((d) => d.severity === 'warning' && /MAX_TOKENS/.test(d.message)), cut.diagnostics.map((d) => d.message).join('\n'));
    });

    it('a Gemini print cut off is an error at the place; one without calls says what to print', () => {
      const text = payload('python-print/gemini-content-parallel.txt');
      const cut = parsePlan(text.slice(0, text.indexOf("name='check-auth-status'") + 12));
      assert.equal(cut.plan, undefined);
      assert.equal(cut.diagnostics[0].severity, 'error');
      assert.match(cut.diagnostics[0].message, /string is not closed.*print\(\) shows it/s);
      const none = parsePlan("parts=[Part(text='Hello there')] role='model'");
      assert.equal(none.plan, undefined);
      assert.equal(none.format, 'gemini');
      assert.ok(none.diagnostics.some((d) => d.severity === 'error' && /functionCall/.test(d.message)), none.diagnostics.map((d) => d.message).join('\n'));
    });

    it('OpenAI and Anthropic prints keep their snake_case fields (only google-genai classes are renamed)', () => {
      const { plan } = load(payload('python-print/openai-chat-message.txt'));
      assert.equal(plan.format, 'openai');
      const r = parsePythonRepr('A(tool_calls=[], e=<Role.USER: \'user\'>)', { fieldKey: (f) => f.toUpperCase(), enumValues: true });
      assert.ok(r.ok);
      assert.deepEqual(JSON.parse(JSON.stringify(toValue(r.root))), { TOOL_CALLS: [], E: 'user' });
    });
  });
});
