// Gemini streamGenerateContent recordings (issue 13): every chunk brings whole functionCall parts,
// and the calls of all chunks are the batch, each closed in the chunk that brought it.
import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';
import { callsOf, load, payload } from './helpers';

describe('importers: Gemini SSE streams', () => {
  it('a recorded gemini-3 stream: the signed call with its id, closed in its chunk; thought signatures ignored', () => {
    const { plan } = load(payload('gemini/stream-signed-call.sse'));
    assert.equal(plan.format, 'gemini');
    assert.deepEqual(callsOf(plan), [{ id: 'call_235554', name: 'get_weather', args: { city: 'Paris' } }]);
    assert.equal(plan.tools[0].stream?.closedAtEvent, 0);
    assert.equal(plan.stream?.complete, true);
    assert.match(plan.name, /Gemini stream .* gemini-3-flash-preview/);
  });

  it('parallel calls in separate chunks are one batch (the recorded parallel response, one part per chunk)', () => {
    const response = JSON.parse(payload('gemini/response-parallel.json')) as { candidates: { content: { parts: unknown[]; role: string } }[] };
    const parts = response.candidates[0].content.parts;
    const chunks = parts.map((p, i) => ({ candidates: [{ content: { role: 'model', parts: [p] }, index: 0, ...(i === parts.length - 1 ? { finishReason: 'STOP' } : {}) }] }));
    const sse = chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`).join('');
    const { plan } = load(sse);
    assert.deepEqual(callsOf(plan).map((c) => c.name), ['print', 'beep']);
    assert.deepEqual(plan.tools.map((t) => t.stream?.closedAtEvent), [0, 1]);
    // The same calls as the whole response.
    assert.deepEqual(callsOf(plan).map((c) => c.args), callsOf(load(payload('gemini/response-parallel.json')).plan).map((c) => c.args));
  });

  it('a stream that stopped at MAX_TOKENS is a warning: the batch may be incomplete', () => {
    const text = payload('gemini/stream-signed-call.sse').replace('"finishReason": "STOP"', '"finishReason": "MAX_TOKENS"');
    const r = parsePlan(text);
    assert.ok(r.plan);
    assert.ok(r.diagnostics.some((d) => d.severity === 'warning' && /MAX_TOKENS/.test(d.message)));
  });
});
