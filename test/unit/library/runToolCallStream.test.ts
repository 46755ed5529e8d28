// runToolCallStream without the SDKs (those are in sdkStreamReplay.test.ts): the edges — a stream
// cut at max_tokens, caps and per-resource limits on calls that close while others run, a cancel
// in the middle of the stream, a stream that throws, a call without a handler, bad arguments.
// Streams are async generators pacing recorded events on the real clock.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runToolCallStream, toAnthropicToolResults, type ToolCallStreamEvent } from '../../../src/core/index';
import { readStream } from '../../../src/core/plan/importers/streamEvents';

const sleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
});

const fixture = (name: string): unknown[] => readStream(readFileSync(join(__dirname, '../../fixtures/payloads/streams', name), 'utf8'), 'sse').events.map((e) => e.data);

/** An Anthropic stream of `n` tool_use blocks (`tool` names them), `gapMs` between events. */
async function* anthropicCalls(n: number, gapMs: number, tool = (i: number): string => 'work', after?: { stop?: boolean }): AsyncGenerator<unknown> {
  yield { type: 'message_start', message: { id: 'msg_1', model: 'claude-test', content: [] } };
  for (let i = 0; i < n; i++) {
    await sleep(gapMs);
    yield { type: 'content_block_start', index: i, content_block: { type: 'tool_use', id: `toolu_${i}`, name: tool(i), input: {} } };
    yield { type: 'content_block_delta', index: i, delta: { type: 'input_json_delta', partial_json: `{"n":${i}` } };
    yield { type: 'content_block_delta', index: i, delta: { type: 'input_json_delta', partial_json: '}' } };
    yield { type: 'content_block_stop', index: i };
  }
  await sleep(gapMs);
  yield { type: 'message_delta', delta: { stop_reason: 'tool_use' } };
  yield { type: 'message_stop' };
  if (after) after.stop = true;
}

/** Handlers that note how many ran at once, overall and per name. */
function counting(ms: number): { handlers: Record<string, (args: { n: number }, ctx: { signal: AbortSignal }) => Promise<number>>; peak: Map<string, number> } {
  const now = new Map<string, number>();
  const peak = new Map<string, number>();
  const bump = (k: string, d: number): void => {
    now.set(k, (now.get(k) ?? 0) + d);
    peak.set(k, Math.max(peak.get(k) ?? 0, now.get(k)!));
  };
  const make = (name: string) => async ({ n }: { n: number }, { signal }: { signal: AbortSignal }): Promise<number> => {
    bump('*', 1);
    bump(name, 1);
    try {
      await sleep(ms, signal);
      return n;
    } finally {
      bump('*', -1);
      bump(name, -1);
    }
  };
  return { handlers: { work: make('work'), fetch: make('fetch'), db: make('db') }, peak };
}

describe('library: runToolCallStream', () => {
  it('a call cut off at max_tokens is reported in stream.unclosed and never run; the batch is failed', async () => {
    let ran = 0;
    const batch = await runToolCallStream(fixture('anthropic-cut-off.sse'), { google_search: () => { ran++; return 'hits'; } });
    assert.equal(ran, 0);
    assert.equal(batch.status, 'failed');
    assert.deepEqual(batch.results, []);
    assert.equal(batch.stream.stopReason, 'max_tokens');
    assert.deepEqual(batch.stream.unclosed, [{ name: 'google_search', callId: 'toolu_01VqG2jCdyjoB9HMTFnCKeo2', openedAtEvent: 8 }]);
  });

  it('a recorded stream given as an array of events runs like the SDK stream (the whole arguments, the closing event)', async () => {
    const batch = await runToolCallStream(fixture('anthropic-tool-use.sse'), { google_search: ({ query }: { query: string }) => `hits for ${query}` });
    assert.equal(batch.status, 'succeeded');
    assert.deepEqual(batch.results.map((r) => [r.id, r.output]), [['toolu_01VqG2jCdyjoB9HMTFnCKeo2', 'hits for Foo Fighters']]);
    assert.equal(toAnthropicToolResults(batch).content.length, 1);
  });

  it('maxConcurrency holds while calls keep closing, and they still start before the stream ends', async () => {
    const { handlers, peak } = counting(40);
    const batch = await runToolCallStream(anthropicCalls(6, 5), handlers, { maxConcurrency: 2 });
    assert.equal(batch.status, 'succeeded');
    assert.deepEqual(batch.results.map((r) => r.output), [0, 1, 2, 3, 4, 5]);
    assert.equal(peak.get('*'), 2);
    assert.ok(batch.results[0]!.startedAt! < batch.stream.endMs);
    // A queued call starts when a slot frees, not at its close: the third waited for the first.
    assert.ok(batch.results[2]!.startedAt! >= batch.results[0]!.endedAt! - 1);
  });

  it('per-resource limits: a full resource never blocks a call on a free one', async () => {
    const { handlers: timed, peak } = counting(40);
    // The first fetch holds the only fetch slot until a db call has started (or 5 s pass), so the
    // check below does not depend on how fast a loaded machine replays the stream.
    let dbStarted = (): void => undefined;
    const dbGo = new Promise<void>((resolve) => { dbStarted = resolve; });
    const handlers = {
      fetch: async (args: { n: number }, ctx: { signal: AbortSignal }): Promise<number> => {
        if (args.n === 0) await Promise.race([dbGo, sleep(5000)]);
        return timed.fetch(args, ctx);
      },
      db: (args: { n: number }, ctx: { signal: AbortSignal }): Promise<number> => {
        dbStarted();
        return timed.db(args, ctx);
      },
    };
    const names = ['fetch', 'fetch', 'fetch', 'db', 'db'];
    const events: ToolCallStreamEvent[] = [];
    const batch = await runToolCallStream(anthropicCalls(5, 2, (i) => names[i]!), handlers, { limits: { fetch: 1 }, onEvent: (e) => events.push(e) });
    assert.equal(batch.status, 'succeeded');
    assert.equal(peak.get('fetch'), 1);
    assert.equal(peak.get('db'), 2);
    const db = batch.results[3]!;
    assert.ok(db.startedAt! < batch.results[1]!.startedAt!, 'the db call started while the second fetch waited');
    assert.deepEqual(events.filter((e) => 'index' in e && e.index === 1).map((e) => e.type), ['arrived', 'queued', 'started', 'succeeded']);
  });

  it('a cancel mid-stream stops reading it, aborts the running handlers, and gives every closed call a result', async () => {
    const controller = new AbortController();
    const after = { stop: false };
    const stream = anthropicCalls(4, 30, () => 'work', after);
    let reading = true;
    const guarded = (async function* () {
      try {
        yield* stream;
      } finally {
        reading = false;
      }
    })();
    const { handlers } = counting(10_000);
    setTimeout(() => controller.abort(), 80);
    const batch = await runToolCallStream(guarded, handlers, { signal: controller.signal });
    assert.equal(batch.status, 'cancelled');
    assert.ok(batch.results.length >= 1 && batch.results.length < 4, `${batch.results.length} calls closed before the cancel`);
    for (const r of batch.results) assert.equal(r.status, 'cancelled', `${r.id}: ${r.error}`);
    assert.equal(after.stop, false, 'the rest of the stream was never read');
    // An async generator handles return() once its pending next() settles: after the 30 ms gap.
    await sleep(60);
    assert.equal(reading, false, 'the stream was closed (its finally ran)');
    assert.ok(batch.makespanMs < 1_000);
  });

  it('a stream that throws: stream.error says after how many events; the calls that closed still ran', async () => {
    async function* broken(): AsyncGenerator<unknown> {
      yield* fixture('anthropic-tool-use.sse').slice(0, 15);
      throw new Error('socket hang up');
    }
    const batch = await runToolCallStream(broken(), { google_search: () => 'hits' });
    assert.equal(batch.status, 'failed');
    assert.match(batch.stream.error ?? '', /^the stream failed after 15 events: socket hang up$/);
    assert.deepEqual(batch.results.map((r) => [r.status, r.output]), [['succeeded', 'hits']], 'content_block_stop was event 15: the call had closed');
  });

  it('a call without a handler fails with the handlers named; the others succeed', async () => {
    const batch = await runToolCallStream(anthropicCalls(2, 1, (i) => (i === 0 ? 'nope' : 'work')), counting(1).handlers);
    assert.deepEqual(batch.results.map((r) => r.status), ['failed', 'succeeded']);
    assert.match(batch.results[0]!.error!, /no handler for the tool "nope"/);
  });

  it('a listener that throws costs nothing but a note', async () => {
    const batch = await runToolCallStream(anthropicCalls(2, 1), counting(1).handlers, { onStreamEvent: () => { throw new Error('ui gone'); } });
    assert.equal(batch.status, 'succeeded');
    assert.match(batch.onEventError ?? '', /threw \d+ times \(first onStreamEvent: ui gone\)/);
  });

  it('refuses what is not a stream, a bad policy or a bad cap, naming the fix', async () => {
    await assert.rejects(runToolCallStream({} as never, {}), /runToolCallStream: stream must be the provider's stream, an async iterable of events/);
    await assert.rejects(runToolCallStream([], {}, { policy: 'later' as never }), /policy must be 'dispatch-on-close' or 'wait-for-end', got "later"/);
    await assert.rejects(runToolCallStream([], {}, { maxConcurrency: 0 }), /runToolCallStream: maxConcurrency must be a whole number ≥ 1/);
  });
});
