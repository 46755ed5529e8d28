import { strict as assert } from 'node:assert';
import { parsePlan } from '../../../src/core/plan/parse';
import { callsOf, load, payload } from './helpers';

describe('importers: more providers and frameworks (recorded payloads)', () => {
  it('bedrock: a Converse response, and a conversation with toolResult blocks', () => {
    const { plan } = load(payload('bedrock/converse-response.json'));
    assert.equal(plan.format, 'bedrock');
    assert.deepEqual(callsOf(plan), [{ id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'top_song', args: { sign: 'WZPZ' } }]);
    const conv = load(payload('bedrock/conversation.json')).plan;
    assert.deepEqual(callsOf(conv), [{ id: 'tooluse_ZN2nirNzQlmNEUlnMw2w5A', name: 'get_weather', args: { prefecture: { text: 'Tokyo' } } }]);
    const text = parsePlan(JSON.stringify({ output: { message: { role: 'assistant', content: [{ text: 'Hi' }] } }, stopReason: 'end_turn' }));
    assert.equal(text.format, 'bedrock');
    assert.match(text.diagnostics[0].message, /no toolUse blocks \(stopReason is "end_turn"\)/);
  });

  it('ollama: object arguments, no ids (derived from the name)', () => {
    const { plan } = load(payload('ollama/chat-tool-call.json'));
    assert.equal(plan.format, 'ollama');
    assert.deepEqual(callsOf(plan), [{ id: 'get_current_weather', name: 'get_current_weather', args: { format: 'celsius', location: 'Paris, FR' } }]);
    assert.equal(plan.tools[0].callId, undefined);
  });

  it('cohere: v2 tool_calls with JSON-string arguments; the tool plan is the description', () => {
    const { plan } = load(payload('cohere/chat-v2-tool-call.json'));
    assert.equal(plan.format, 'cohere');
    assert.deepEqual(callsOf(plan), [{ id: 'search_emails_wmqb4gyz1a3j', name: 'search_emails', args: { query: 'IT setup' } }]);
    assert.match(plan.tools[0].description ?? '', /search the user's emails/);
    const v1 = load(JSON.stringify({ text: '', tool_calls: [{ name: 'get_weather', parameters: { location: 'Toronto' } }] })).plan;
    assert.deepEqual(callsOf(v1), [{ id: 'get_weather', name: 'get_weather', args: { location: 'Toronto' } }]);
  });

  it('langchain: AIMessage dict, lc-serialized, LangGraph thread state, and a bare tool_calls list', () => {
    const want = [
      { id: 'call_1fyhJAbJHuKQe6n0PacubGsL', name: 'multiply', args: { a: 3, b: 12 } },
      { id: 'call_fc2jVkKzwuPWyU7kS9qn1hyG', name: 'add', args: { a: 11, b: 49 } },
    ];
    for (const f of ['langchain/ai-message.json', 'langchain/lc-serialized.json']) {
      const { plan, result } = load(payload(f));
      assert.equal(plan.format, 'langchain', f);
      assert.deepEqual(callsOf(plan), want, f);
      assert.deepEqual(result.diagnostics, [], f);
    }
    const state = load(payload('langchain/langgraph-thread-state.json')).plan;
    assert.deepEqual(callsOf(state), [{ id: 'call_JCO5hd8TPmB8bvLX9dVtBHzY', name: 'search', args: { query: 'weather in san francisco' } }]);
    const bare = JSON.parse(payload('langchain/ai-message.json')) as { tool_calls: unknown[] };
    assert.deepEqual(callsOf(load(JSON.stringify(bare.tool_calls)).plan), want);
  });

  it('the LangChain-style message no longer says each call "needs a function name"', () => {
    const r = parsePlan(JSON.stringify({ tool_calls: [{ name: 'multiply', args: { a: 3 }, id: 'call_1', type: 'tool_call' }] }));
    assert.equal(r.plan?.format, 'langchain');
    assert.ok(!r.diagnostics.some((d) => /needs a function name/.test(d.message)));
    // An OpenAI list that really is broken says what each entry lacks, not a blanket "needs a name".
    const broken = parsePlan(JSON.stringify({ role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function' }] }));
    assert.ok(broken.diagnostics.some((d) => /has no "function"/.test(d.message)));
    assert.ok(!broken.diagnostics.some((d) => /each one needs a function name/.test(d.message)));
  });

  it('mcp: one tools/call request, and a client log where only the tools/call requests are calls', () => {
    const one = load(payload('mcp/tools-call.json')).plan;
    assert.equal(one.format, 'mcp');
    assert.deepEqual(callsOf(one), [{ id: '2', name: 'get_weather', args: { location: 'New York' } }]);
    assert.equal(one.tools[0].id, 'call_2');
    const log = load(payload('mcp/client-log.jsonl')).plan;
    assert.equal(log.format, 'mcp');
    assert.deepEqual(callsOf(log).map((c) => [c.id, c.args]), [['2', { location: 'New York' }], ['3', { location: 'London' }]]);
    const none = parsePlan('{"jsonrpc":"2.0","id":1,"method":"tools/list"}');
    assert.equal(none.format, 'mcp');
    assert.match(none.diagnostics.at(-1)!.message, /has no tools\/call requests/);
  });

  it('vercel-ai: a generateText result, UI messages with tool parts, and the UI message stream', () => {
    const gen = load(payload('vercel-ai/generate-text-tool-calls.json')).plan;
    assert.equal(gen.format, 'vercel-ai');
    assert.deepEqual(callsOf(gen), [
      { id: 'lpndqlku', name: 'get_weather', args: { city: 'Paris' } },
      { id: 'm6rogicj', name: 'get_weather', args: { city: 'Tokyo' } },
    ]);
    const ui = load(payload('vercel-ai/ui-messages.json')).plan;
    assert.deepEqual(callsOf(ui), [{ id: 'call_fJdQDqnXeGxTmr4E3YPSR7Ar', name: 'getWeatherInformation', args: { city: 'San Francisco' } }]);
    const stream = load(payload('vercel-ai/ui-message-stream.sse')).plan;
    assert.equal(stream.format, 'vercel-ai');
    assert.deepEqual(callsOf(stream), callsOf(ui));
    assert.deepEqual(stream.tools[0].stream, { openedAtEvent: 2, closedAtEvent: 4, outputChars: 55 });
    // v4 data stream: b: start, c: delta, 9: the whole call.
    const v4 = load('f:{"messageId":"m1"}\nb:{"toolCallId":"call_1","toolName":"weather"}\nc:{"toolCallId":"call_1","argsTextDelta":"{\\"city\\":"}\nc:{"toolCallId":"call_1","argsTextDelta":"\\"Paris\\"}"}\n9:{"toolCallId":"call_1","toolName":"weather","args":{"city":"Paris"}}\nd:{"finishReason":"tool-calls"}\n').plan;
    assert.deepEqual(callsOf(v4), [{ id: 'call_1', name: 'weather', args: { city: 'Paris' } }]);
    assert.equal(v4.tools[0].stream?.closedAtEvent, 4);
  });

  it('JSON lines of whole Ollama chunks: the chunk with the calls', () => {
    const msg = JSON.parse(payload('ollama/chat-tool-call.json')) as Record<string, unknown>;
    const lines = [
      JSON.stringify({ ...msg, message: { role: 'assistant', content: '' }, done: false }),
      JSON.stringify({ ...msg, done: false }),
      JSON.stringify({ model: 'llama3.2', created_at: '2024-07-22T20:33:28.2Z', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' }),
    ].join('\n');
    const { plan } = load(lines);
    assert.equal(plan.format, 'ollama');
    assert.deepEqual(callsOf(plan).map((c) => c.name), ['get_current_weather']);
  });
});
