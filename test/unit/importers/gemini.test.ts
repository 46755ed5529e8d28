import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';
import { callsOf, load, payload } from './helpers';

describe('importers: gemini (recorded payloads)', () => {
  it('a generateContent response: the functionCall part becomes a call; the thought signature is ignored', () => {
    const { plan, result } = load(payload('gemini/response-tool-call.json'), 'response.json');
    assert.equal(plan.format, 'gemini');
    assert.deepEqual(callsOf(plan), [{ id: 'weather', name: 'weather', args: { location: 'San Francisco' } }]);
    assert.equal(plan.tools[0].callId, undefined, 'Gemini calls have no id of their own');
    assert.match(plan.name, /gemini-3-pro-preview/);
    assert.deepEqual(result.diagnostics, []);
  });

  it('parallel calls, one without args: stable derived ids, empty args', () => {
    const { plan } = load(payload('gemini/response-parallel.json'));
    assert.deepEqual(callsOf(plan), [
      { id: 'print', name: 'print', args: { text: 'Hello World', color: 'red' } },
      { id: 'beep', name: 'beep', args: {} },
    ]);
    // Stable: the same payload imports to the same ids.
    assert.deepEqual(load(payload('gemini/response-parallel.json')).plan.tools.map((t) => t.id), ['print', 'beep']);
    assert.deepEqual(plan.tools.map((t) => t.dependsOn), [[], []]);
  });

  it('a functionCall with an id keeps it', () => {
    const { plan } = load(payload('gemini/response-with-id.json'));
    assert.equal(plan.tools[0].id, 'call_15475');
    assert.equal(plan.tools[0].callId, 'call_15475');
    assert.deepEqual(callsOf(plan)[0].args, { condition: { or: [{ term: 'x' }, { term: 'y' }] } });
  });

  it('a conversation with functionResponse parts: the last model turn\'s calls', () => {
    const { plan } = load(payload('gemini/conversation-function-response.json'));
    assert.equal(plan.format, 'gemini');
    assert.deepEqual(callsOf(plan), [{ id: 'set_light_values', name: 'set_light_values', args: { brightness: 25, color_temp: 'warm' } }]);
  });

  it('a request without model turns is rejected, named as a Gemini request, and still reports the format', () => {
    const r = parsePlan(payload('gemini/request-no-model-turn.json'));
    assert.equal(r.plan, undefined);
    assert.equal(r.format, 'gemini');
    assert.equal(r.diagnostics.length, 1);
    assert.match(r.diagnostics[0].message, /looks like a Gemini request body \(`contents`, 1 turn\) without model turns/);
  });

  it('the same calls from YAML, a bare content, a bare list of parts, and a list of streamed chunks', () => {
    const yaml = 'candidates:\n  - content:\n      role: model\n      parts:\n        - functionCall: { name: print, args: { text: hi } }\n';
    assert.deepEqual(callsOf(load(yaml, 'resp.yaml').plan), [{ id: 'print', name: 'print', args: { text: 'hi' } }]);
    const content = { role: 'model', parts: [{ functionCall: { name: 'a', args: { x: 1 } } }, { text: 'thinking' }] };
    assert.deepEqual(callsOf(load(JSON.stringify(content)).plan), [{ id: 'a', name: 'a', args: { x: 1 } }]);
    assert.deepEqual(callsOf(load(JSON.stringify(content.parts)).plan), [{ id: 'a', name: 'a', args: { x: 1 } }]);
    const chunks = [
      { candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'a', args: { x: 1 } } }] } }] },
      { candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'a', args: { x: 2 } } }] }, finishReason: 'STOP' }] },
    ];
    assert.deepEqual(callsOf(load(JSON.stringify(chunks)).plan).map((c) => c.id), ['a', 'a_2']);
  });

  it('a text-only response says so, with the finish reason', () => {
    const r = parsePlan(JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, finishReason: 'STOP' }] }));
    assert.equal(r.format, 'gemini');
    assert.match(r.diagnostics[0].message, /no functionCall parts \(finishReason is "STOP"\)/);
  });
});
