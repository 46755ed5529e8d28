// Streaming dispatch through the official clients (issue 16, library slice): `openai` and
// `@anthropic-ai/sdk` stream a recorded SSE response from the replay server on 127.0.0.1
// (providerReplay.ts, one event every EVENT_MS), the SDK's stream goes to runToolCallStream, and
// the results go back through the SDK. The server notes when it wrote the last event, so "the
// call started before the stream ended" is checked against the server's clock, not ours.
import { strict as assert } from 'node:assert';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { runToolCallStream, toAnthropicToolResults, toOpenAIToolMessages, toResponsesOutputs, type StreamBatchResult, type ToolCallHandlers, type ToolCallStreamEvent } from '../../../src/core/index';
import { startReplayServer, type ReplayServer } from './providerReplay';

const EVENT_MS = 25;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Handlers that note when each call started (performance.now(), the server's clock too). */
function timedHandlers(): { handlers: ToolCallHandlers; startedAt: Map<string, number> } {
  const startedAt = new Map<string, number>();
  const handlers: ToolCallHandlers = {
    get_weather: async ({ location }: { location: string }, { call }) => {
      startedAt.set(call.id, performance.now());
      await sleep(15);
      return { location, tempC: location.startsWith('Paris') ? 14 : 15, sky: 'cloudy' };
    },
    get_time: async ({ timezone }: { timezone: string }, { call }) => {
      startedAt.set(call.id, performance.now());
      await sleep(5);
      return `14:05 (${timezone})`;
    },
  };
  return { handlers, startedAt };
}

/** Closing times rise, every call started no earlier than it closed, and the first started before the stream ended. */
function assertDispatchedOnClose(batch: StreamBatchResult): void {
  const closed = batch.results.map((r) => r.closedAt);
  assert.deepEqual([...closed].sort((a, b) => a - b), closed, 'calls close in stream order');
  for (const r of batch.results) {
    assert.ok(r.startedAt !== null && r.startedAt >= r.closedAt - 1, `${r.id} started (${r.startedAt}) after it closed (${r.closedAt})`);
  }
  assert.ok(batch.results[0]!.startedAt! < batch.stream.endMs, `the first call started at ${batch.results[0]!.startedAt} ms, before the stream ended at ${batch.stream.endMs} ms`);
}

describe('library: runToolCallStream on the official SDKs\' streams from a local replay server', function () {
  this.timeout(30_000);
  let replay: ReplayServer;
  let openai: OpenAI;
  let anthropic: Anthropic;
  before(async () => {
    replay = await startReplayServer(5, { eventDelayMs: EVENT_MS });
    openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${replay.origin}/v1`, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: replay.origin, maxRetries: 0 });
  });
  after(() => replay.close());
  beforeEach(() => {
    replay.requests.splice(0);
    replay.streams.splice(0);
  });

  it('OpenAI Chat chunks (create({ stream: true })): each call starts while the model streams the next, before the server writes its last event', async () => {
    const { handlers, startedAt } = timedHandlers();
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris and Bogotá, and the time in Paris?' }];
    const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const events: ToolCallStreamEvent[] = [];
    const batch = await runToolCallStream(stream, handlers, { onEvent: (e) => events.push(e) });

    assert.equal(batch.status, 'succeeded');
    assert.equal(batch.stream.format, 'openai-stream');
    assert.equal(batch.stream.stopReason, 'tool_calls');
    assert.equal(batch.stream.events, replay.streams[0]!.events - 1, 'every chunk but [DONE]');
    assert.deepEqual(batch.results.map((r) => [r.id, r.name, r.args]), [
      ['call_12345xyz', 'get_weather', { location: 'Paris, France' }],
      ['call_67890abc', 'get_weather', { location: 'Bogotá, Colombia' }],
      ['call_99999def', 'get_time', { timezone: 'Europe/Paris' }],
    ]);
    assertDispatchedOnClose(batch);
    const lastEventAt = replay.streams[0]!.lastEventAt;
    assert.ok(startedAt.get('call_12345xyz')! < lastEventAt && startedAt.get('call_67890abc')! < lastEventAt,
      'the two weather calls started before the server wrote the last event');
    // Each call's own events, in order, after its arrival; the stream's end among them.
    for (const id of ['call_12345xyz', 'call_67890abc', 'call_99999def']) {
      assert.deepEqual(events.filter((e) => 'id' in e && e.id === id).map((e) => e.type), ['arrived', 'queued', 'started', 'succeeded'], id);
    }
    assert.ok(events.findIndex((e) => e.type === 'started') < events.findIndex((e) => e.type === 'stream-ended'));
    assert.equal(events[events.length - 1]!.type, 'run-ended');
    assert.ok(batch.stream.waitForEndMakespanMs > batch.stream.endMs);

    // The follow-up: the assistant turn rebuilt from the results, then one tool message per call.
    messages.push({ role: 'assistant', content: null, tool_calls: batch.results.map((r) => ({ id: r.id, type: 'function' as const, function: { name: r.name, arguments: JSON.stringify(r.args) } })) }, ...toOpenAIToolMessages(batch));
    const final = await openai.chat.completions.create({ model: 'gpt-4o', messages });
    assert.equal(replay.requests[1]!.status, 200, replay.requests[1]!.problem);
    assert.match(final.choices[0]!.message.content ?? '', /Paris is 14 °C/);
  });

  it('OpenAI Responses events (responses.stream()): calls start on …arguments.done; finalResponse() still works and the follow-up answers each call_id', async () => {
    const { handlers, startedAt } = timedHandlers();
    const stream = openai.responses.stream({ model: 'gpt-4.1', input: 'Weather and time in Paris?', tools: [
      { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } }, strict: false },
      { type: 'function', name: 'get_time', parameters: { type: 'object', properties: { timezone: { type: 'string' } } }, strict: false },
    ] });
    const batch = await runToolCallStream(stream, handlers, { maxConcurrency: 2 });
    const first = await stream.finalResponse();
    assert.equal(batch.status, 'succeeded');
    assert.equal(batch.stream.format, 'openai-responses-stream');
    assert.deepEqual(batch.results.map((r) => r.id), ['call_unLAR8MvFNptuiZK6K6HCy5k', 'call_Xk9cFQmq2sD7nR4wT1yZbE3a']);
    assertDispatchedOnClose(batch);
    assert.ok(startedAt.get('call_unLAR8MvFNptuiZK6K6HCy5k')! < replay.streams[0]!.lastEventAt);
    const final = await openai.responses.create({ model: 'gpt-4.1', previous_response_id: first.id, input: toResponsesOutputs(batch) });
    assert.equal(replay.requests[1]!.status, 200, replay.requests[1]!.problem);
    assert.equal(final.output_text, 'Paris is 14 °C; it is 14:05 there.');
  });

  it('Anthropic events (messages.stream()): onStreamEvent sees every event (the text renders), calls start on content_block_stop, tool_results go back in one message', async () => {
    const { handlers, startedAt } = timedHandlers();
    const tools: Anthropic.Tool[] = [
      { name: 'get_weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } },
      { name: 'get_time', input_schema: { type: 'object', properties: { timezone: { type: 'string' } } } },
    ];
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in San Francisco and New York, and the time in SF?' }];
    const stream = anthropic.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages, tools });
    let text = '';
    let seen = 0;
    const batch = await runToolCallStream(stream, handlers, {
      maxConcurrency: 2,
      onStreamEvent: (e) => {
        seen++;
        const ev = e as Anthropic.MessageStreamEvent;
        if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
      },
    });
    const message = await stream.finalMessage();
    assert.equal(seen, batch.stream.events);
    assert.equal(seen, replay.streams[0]!.events - 1, 'every event the server wrote but the ping, which the SDK drops');
    assert.equal(text, "I'll check the weather in both cities and the local time at once.");
    assert.equal(batch.stream.format, 'anthropic-stream');
    assert.equal(batch.stream.stopReason, 'tool_use');
    assert.deepEqual(batch.results.map((r) => r.id), message.content.filter((b) => b.type === 'tool_use').map((b) => b.id));
    assertDispatchedOnClose(batch);
    assert.ok(startedAt.get('toolu_01A09q90qw90lq917835lq9')! < replay.streams[0]!.lastEventAt);
    messages.push({ role: 'assistant', content: message.content }, toAnthropicToolResults(batch) as Anthropic.MessageParam);
    const final = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages, tools });
    assert.equal(replay.requests[1]!.status, 200, replay.requests[1]!.problem);
    assert.equal(final.stop_reason, 'end_turn');
  });

  it('wait-for-end (what the SDK tool runners do): no call starts before the server wrote the last event (the check can fail: dispatch-on-close breaks it)', async () => {
    const run = async (policy: 'wait-for-end' | 'dispatch-on-close'): Promise<{ batch: StreamBatchResult; early: number }> => {
      replay.streams.splice(0);
      const { handlers, startedAt } = timedHandlers();
      const stream = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Weather?' }], stream: true });
      const batch = await runToolCallStream(stream, handlers, { policy });
      const last = replay.streams[0]!.lastEventAt;
      return { batch, early: [...startedAt.values()].filter((t) => t < last).length };
    };
    const wait = await run('wait-for-end');
    assert.equal(wait.batch.stream.policy, 'wait-for-end');
    assert.equal(wait.early, 0);
    for (const r of wait.batch.results) assert.ok(r.startedAt! >= wait.batch.stream.endMs, `${r.id} started at ${r.startedAt}, the stream ended at ${wait.batch.stream.endMs}`);
    assert.equal(wait.batch.stream.waitForEndMakespanMs, wait.batch.makespanMs);
    const onClose = await run('dispatch-on-close');
    assert.equal(onClose.early, 3, 'all three calls closed before message_delta and message_stop');
    // What waiting would have cost on this same stream: its end plus the calls' measured durations.
    assert.ok(onClose.batch.makespanMs < onClose.batch.stream.waitForEndMakespanMs, `dispatch-on-close ${onClose.batch.makespanMs.toFixed(0)} ms < wait-for-end ${onClose.batch.stream.waitForEndMakespanMs.toFixed(0)} ms`);
  });
});
