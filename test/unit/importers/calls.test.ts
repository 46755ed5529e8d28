import { strict as assert } from 'node:assert';
import { importCalls, ImportCallsError, readCalls } from '../../../src/core/plan/importers/calls';
import { fixture, payload, plain } from './helpers';

describe('importers: calls as plain functions (for the library)', () => {
  it('importCalls(format, value) returns { id, name, args } with the provider ids', () => {
    const calls = importCalls('gemini', JSON.parse(payload('gemini/response-parallel.json')));
    assert.deepEqual(plain(calls), [
      { id: 'print', name: 'print', args: { text: 'Hello World', color: 'red' } },
      { id: 'beep', name: 'beep', args: {} },
    ]);
    const openai = importCalls('openai', JSON.parse(fixture('openai-chat-response.json')));
    assert.ok(openai.length > 0 && openai.every((c) => c.id.startsWith('call_')), JSON.stringify(openai));
  });

  it('accepts text as well as values, and detects the format with readCalls', () => {
    const r = readCalls(payload('gemini/response-tool-call.json'));
    assert.equal(r.format, 'gemini');
    assert.deepEqual(plain(r.calls), [{ id: 'weather', name: 'weather', args: { location: 'San Francisco' } }]);
  });

  it('throws ImportCallsError naming what it found when the format is not the one asked for', () => {
    assert.throws(() => importCalls('openai', JSON.parse(payload('gemini/response-tool-call.json'))),
      (e: unknown) => e instanceof ImportCallsError && /found a gemini payload/.test(e.message) && e.format === 'gemini');
    assert.throws(() => importCalls('gemini', JSON.parse(payload('gemini/request-no-model-turn.json'))),
      (e: unknown) => e instanceof ImportCallsError && /without calls: This looks like a Gemini request body/.test(e.message));
    assert.throws(() => importCalls('gemini', { tools: [] }), ImportCallsError);
  });
});
