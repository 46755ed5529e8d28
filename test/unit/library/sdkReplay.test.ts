// The official clients as a user runs them (issue 14, "Tests and figures"): `openai` and
// `@anthropic-ai/sdk` pointed at a replay server on 127.0.0.1 (providerReplay.ts), the SDK's own
// response fed to from* → runToolCalls → to*, and the follow-up sent back through the SDK. The
// server answers a follow-up that breaks the provider's rules with the provider's 400, so the SDK
// would throw; the negative cases show that check is real.
import { strict as assert } from 'node:assert';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { fromAnthropic, fromOpenAI, fromResponses, runToolCalls, toAnthropicToolResults, toOpenAIToolMessages, toResponsesOutputs, type ToolCallHandlers } from '../../../src/core/index';
import { startReplayServer, type ReplayServer } from './providerReplay';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// A weather tool that is down for one city, and a clock: one failed call among successes.
const handlers: ToolCallHandlers = {
  get_weather: async ({ location }: { location: string }) => {
    await sleep(15);
    if (/Bogotá|New York/.test(location)) throw new Error(`weather service returned 503 for ${location}`);
    return { location, tempC: location.startsWith('Paris') ? 14 : 15, sky: 'cloudy' };
  },
  get_time: async ({ timezone }: { timezone: string }) => {
    await sleep(5);
    return `14:05 (${timezone})`;
  },
};

describe('library: the official SDKs against a local replay server', function () {
  this.timeout(30_000);
  let replay: ReplayServer;
  let openai: OpenAI;
  let anthropic: Anthropic;
  before(async () => {
    replay = await startReplayServer();
    openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${replay.origin}/v1`, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: replay.origin, maxRetries: 0 });
  });
  after(() => replay.close());
  beforeEach(() => replay.requests.splice(0));

  it('OpenAI Chat: three parallel calls, one failing, answered by one tool message each, paired by id', async () => {
    const tools = [
      { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } },
      { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object', properties: { timezone: { type: 'string' } } } } },
    ];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris and Bogotá, and the time in Paris?' }];
    const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages, tools, parallel_tool_calls: true });
    const calls = fromOpenAI(completion);
    assert.deepEqual(calls.map((c) => [c.id, c.name]), [['call_12345xyz', 'get_weather'], ['call_67890abc', 'get_weather'], ['call_99999def', 'get_time']]);
    const batch = await runToolCalls(calls, handlers, { maxConcurrency: 3, timeoutMs: 5_000 });
    assert.deepEqual(batch.results.map((r) => r.status), ['succeeded', 'failed', 'succeeded']);
    messages.push(completion.choices[0]!.message, ...toOpenAIToolMessages(batch));
    const final = await openai.chat.completions.create({ model: 'gpt-4o', messages, tools });
    assert.match(final.choices[0]!.message.content ?? '', /Paris is 14 °C/);

    const followUp = replay.requests[1]!;
    assert.equal(followUp.status, 200, followUp.problem);
    const sent = followUp.body.messages as { role: string; tool_call_id?: string; content?: unknown; tool_calls?: { id: string }[] }[];
    const toolMessages = sent.filter((m) => m.role === 'tool');
    assert.deepEqual(toolMessages.map((m) => m.tool_call_id), sent[1]!.tool_calls!.map((c) => c.id), 'one tool message per call, in call order');
    assert.deepEqual(JSON.parse(String(toolMessages[0]!.content)), { location: 'Paris, France', tempC: 14, sky: 'cloudy' });
    assert.equal(toolMessages[1]!.content, 'Error: the tool get_weather failed: weather service returned 503 for Bogotá, Colombia');
    assert.equal(toolMessages[2]!.content, '14:05 (Europe/Paris)');
  });

  it('OpenAI Chat: a follow-up missing one tool message is refused by the stand-in as the API does (the check can fail)', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather?' }];
    const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages });
    const batch = await runToolCalls(fromOpenAI(completion), handlers);
    messages.push(completion.choices[0]!.message, ...toOpenAIToolMessages(batch).slice(0, 2));
    await assert.rejects(openai.chat.completions.create({ model: 'gpt-4o', messages }), (e: unknown) =>
      e instanceof OpenAI.BadRequestError && e.status === 400 && /did not have response messages: call_99999def/.test(e.message));
  });

  it('OpenAI Responses: function_call_output items answer each call_id once', async () => {
    const first = await openai.responses.create({ model: 'gpt-4.1', input: 'Weather and time in Paris?', tools: [
      { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } }, strict: false },
      { type: 'function', name: 'get_time', parameters: { type: 'object', properties: { timezone: { type: 'string' } } }, strict: false },
    ] });
    const calls = fromResponses(first);
    assert.deepEqual(calls.map((c) => c.id), ['call_unLAR8MvFNptuiZK6K6HCy5k', 'call_Xk9cFQmq2sD7nR4wT1yZbE3a']);
    const batch = await runToolCalls(calls, handlers, { maxConcurrency: 2 });
    const final = await openai.responses.create({ model: 'gpt-4.1', previous_response_id: first.id, input: toResponsesOutputs(batch) });
    assert.equal(final.output_text, 'Paris is 14 °C; it is 14:05 there.');
    const followUp = replay.requests[1]!;
    assert.equal(followUp.status, 200, followUp.problem);
    assert.deepEqual((followUp.body.input as { type: string; call_id: string }[]).map((i) => [i.type, i.call_id]), [
      ['function_call_output', 'call_unLAR8MvFNptuiZK6K6HCy5k'], ['function_call_output', 'call_Xk9cFQmq2sD7nR4wT1yZbE3a'],
    ]);
  });

  it('Anthropic: every tool_result in one user message, in call order, before the text, is_error on the failure', async () => {
    const tools: Anthropic.Tool[] = [
      { name: 'get_weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } },
      { name: 'get_time', input_schema: { type: 'object', properties: { timezone: { type: 'string' } } } },
    ];
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in San Francisco and New York, and the time in SF?' }];
    const message = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages, tools });
    const calls = fromAnthropic(message);
    assert.deepEqual(calls.map((c) => c.name), ['get_weather', 'get_weather', 'get_time']);
    const batch = await runToolCalls(calls, handlers, { maxConcurrency: 2 });
    messages.push({ role: 'assistant', content: message.content }, toAnthropicToolResults(batch, { text: 'Answer in one sentence.' }) as Anthropic.MessageParam);
    const final = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages, tools });
    assert.equal(final.stop_reason, 'end_turn');

    const followUp = replay.requests[1]!;
    assert.equal(followUp.status, 200, followUp.problem);
    const sent = followUp.body.messages as { role: string; content: { type: string; id?: string; tool_use_id?: string; is_error?: boolean; content?: unknown; text?: string }[] }[];
    assert.equal(sent.length, 3);
    const toolUseIds = sent[1]!.content.filter((b) => b.type === 'tool_use').map((b) => b.id);
    const results = sent[2]!.content;
    assert.deepEqual(results.map((b) => b.type), ['tool_result', 'tool_result', 'tool_result', 'text']);
    assert.deepEqual(results.slice(0, 3).map((b) => b.tool_use_id), toolUseIds);
    assert.deepEqual(results.slice(0, 3).map((b) => b.is_error === true), [false, true, false]);
    assert.match(String(results[1]!.content), /^Error: the tool get_weather failed: weather service returned 503 for New York, NY$/);
  });

  it('Anthropic: results split over two user messages are refused as the API does (the check can fail)', async () => {
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather?' }];
    const message = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
    const batch = await runToolCalls(fromAnthropic(message), handlers);
    const blocks = toAnthropicToolResults(batch).content;
    messages.push({ role: 'assistant', content: message.content }, { role: 'user', content: blocks.slice(0, 1) as Anthropic.ToolResultBlockParam[] }, { role: 'assistant', content: 'ok' }, { role: 'user', content: blocks.slice(1) as Anthropic.ToolResultBlockParam[] });
    await assert.rejects(anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages }), (e: unknown) =>
      e instanceof Anthropic.BadRequestError && e.status === 400 && /tool_use` ids were found without `tool_result` blocks immediately after: toolu_01B19r01rx01mr028946mr0, toolu_01C29s12sy12ns139057ns1/.test(e.message));
  });
});
