// Rate limits the way providers signal them (README "Rate limits", DESIGN §8): SDK-shaped 429/503
// errors and an http tool's 429 against a real server on 127.0.0.1.
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runToolCalls, type ToolCall, type ToolCallEvent } from '../../../src/core/index';
import { parseRetryAfter, rateLimitSignal, retryAfterFromHeaders } from '../../../src/core/engine/rateLimit';
import { execute } from '../../../src/core/engine/execute';
import { createRealClock } from '../../../src/core/engine/clock';
import { httpRunner } from '../../../src/core/tools/http';
import { makePlan } from '../helpers/planBuilder';

const call = (id: string, name: string, args: Record<string, unknown> = {}): ToolCall => ({ id, name, args: args as ToolCall['args'] });
const sleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
});

/** The shape of openai's and @anthropic-ai/sdk's RateLimitError: status and the response headers. */
class SdkApiError extends Error {
  constructor(readonly status: number, readonly headers: Headers | Record<string, string>) {
    super(`${status} rate limited`);
  }
}

describe('rate limits: reading Retry-After', () => {
  it('reads seconds, fractions, retry-after-ms and HTTP dates, from Headers and plain objects', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    assert.equal(parseRetryAfter('120'), 120_000);
    assert.equal(parseRetryAfter(' 0.5 '), 500);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now), 0, 'a date in the past: retry now');
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter('-3'), undefined);
    assert.equal(parseRetryAfter(''), undefined);
    assert.equal(retryAfterFromHeaders(new Headers({ 'Retry-After': '2' })), 2000);
    assert.equal(retryAfterFromHeaders({ 'Retry-After': '3' }), 3000, 'plain object, any case');
    assert.equal(retryAfterFromHeaders({ 'retry-after-ms': '250', 'retry-after': '9' }), 250, 'retry-after-ms wins (OpenAI)');
    assert.equal(retryAfterFromHeaders({ 'retry-after-ms': 'x', 'retry-after': '9' }), 9000);
    assert.equal(retryAfterFromHeaders(undefined), undefined);
  });

  it('takes the signal from 429 and 503 errors only', () => {
    assert.deepEqual(rateLimitSignal(new SdkApiError(429, { 'retry-after': '1' })), { status: 429, retryAfterMs: 1000 });
    assert.deepEqual(rateLimitSignal(new SdkApiError(503, {})), { status: 503 });
    assert.deepEqual(rateLimitSignal({ statusCode: 429 }), { status: 429 });
    assert.equal(rateLimitSignal(new SdkApiError(500, { 'retry-after': '1' })), undefined);
    assert.equal(rateLimitSignal(new Error('429 Too Many Requests')), undefined, 'a message is not a status');
    assert.equal(rateLimitSignal('429'), undefined);
  });
});

describe('rate limits: runToolCalls', () => {
  it('a 429 with Retry-After makes the retry wait that long instead of the backoff', async () => {
    let n = 0;
    const starts: number[] = [];
    const events: ToolCallEvent[] = [];
    const t0 = performance.now();
    const batch = await runToolCalls([call('c', 'api')], {
      api: () => {
        starts.push(performance.now() - t0);
        if (++n === 1) throw new SdkApiError(429, new Headers({ 'retry-after': '0.3' }));
        return 'ok';
      },
    }, { retries: 2, retryDelayMs: 1, onEvent: (e) => events.push(e) });
    assert.equal(batch.results[0]!.status, 'succeeded');
    assert.equal(batch.results[0]!.attempts, 2);
    assert.ok(starts[1]! - starts[0]! >= 295, `the second attempt came ${starts[1]! - starts[0]!} ms after the first; Retry-After said 300`);
    const retrying = events.find((e) => e.type === 'retrying');
    assert.ok(retrying && retrying.type === 'retrying');
    assert.equal(retrying.delayMs, 300);
    assert.equal(retrying.retryAfterMs, 300);
  });

  it('the waiting call gives its slot back, and its resource starts no other call until the wait is over', async () => {
    let limited = false;
    const calls = [call('a1', 'search'), call('a2', 'search'), call('b', 'weather')];
    const batch = await runToolCalls(calls, {
      search: async (_a, { call: c }) => {
        if (c.id === 'a1' && !limited) {
          limited = true;
          throw new SdkApiError(429, { 'retry-after': '0.25' });
        }
        await sleep(5);
        return c.id;
      },
      weather: async () => {
        await sleep(5);
        return 'sunny';
      },
    }, { maxConcurrency: 1, retries: 1, retryDelayMs: 1 });
    assert.deepEqual(batch.results.map((r) => r.status), ['succeeded', 'succeeded', 'succeeded']);
    // With the slot kept (as a plain backoff does), b could not start before a1's retry.
    assert.ok(batch.results[2]!.startedAt! < 150, `b started at ${batch.results[2]!.startedAt} ms: a1 kept its slot while waiting`);
    // a2 is on the paused resource: it waits for the Retry-After though a slot is free at once.
    assert.ok(batch.results[1]!.startedAt! >= 245, `a2 started at ${batch.results[1]!.startedAt} ms, inside a1's Retry-After`);
  });

  it('a wait longer than maxRetryAfterMs fails the call at once, with the server\'s wait in the error', async () => {
    const t0 = performance.now();
    const batch = await runToolCalls([call('c', 'api')], {
      api: () => { throw new SdkApiError(429, { 'retry-after': '3600' }); },
    }, { retries: 3, maxRetryAfterMs: 10_000 });
    assert.equal(batch.results[0]!.status, 'failed');
    assert.equal(batch.results[0]!.attempts, 1);
    assert.match(batch.results[0]!.error!, /asked to wait 3600 s before retrying, longer than this run waits: maxRetryAfterMs 10000 ms; not retried/);
    assert.ok(performance.now() - t0 < 5000);
  });

  it('a 503 without Retry-After backs off as any failure does', async () => {
    let n = 0;
    const events: ToolCallEvent[] = [];
    const batch = await runToolCalls([call('c', 'api')], {
      api: () => { if (++n === 1) throw new SdkApiError(503, {}); return 'ok'; },
    }, { retries: 1, retryDelayMs: 1, onEvent: (e) => events.push(e) });
    assert.equal(batch.results[0]!.status, 'succeeded');
    const r = events.find((e) => e.type === 'retrying');
    assert.ok(r && r.type === 'retrying' && r.retryAfterMs === undefined && r.delayMs <= 1);
  });

  it('cancelling the batch during a Retry-After wait cancels the waiting call at once', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t0 = performance.now();
    const batch = await runToolCalls([call('c', 'api'), call('d', 'api')], {
      api: () => { throw new SdkApiError(429, { 'retry-after': '30' }); },
    }, { retries: 1, retryDelayMs: 1, signal: ac.signal, maxConcurrency: 1 });
    assert.ok(performance.now() - t0 < 2000, 'the batch ended with the cancellation');
    assert.deepEqual(batch.results.map((r) => [r.status, r.attempts]), [['cancelled', 1], ['cancelled', 0]]);
  });

  it('the last attempt rate-limited ends failed with the server\'s message; the resource is still paused for the others', async () => {
    const starts: number[] = [];
    const t0 = performance.now();
    const batch = await runToolCalls([call('a', 'api'), call('b', 'api')], {
      api: (_x, { call: c }) => {
        starts.push(performance.now() - t0);
        if (c.id === 'a') throw new SdkApiError(429, { 'retry-after': '0.2' });
        return 'ok';
      },
    }, { maxConcurrency: 1 });
    assert.deepEqual(batch.results.map((r) => r.status), ['failed', 'succeeded']);
    assert.match(batch.results[0]!.error!, /429 rate limited/);
    assert.ok(starts[1]! >= 195, `b started at ${starts[1]} ms, inside the Retry-After`);
  });
});

describe('rate limits: an http tool against a real server', () => {
  let server: Server;
  let base = '';
  const hits: number[] = [];
  before(async () => {
    server = createServer((req, res) => {
      hits.push(performance.now());
      if (req.url === '/limited' && hits.length === 1) {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        res.end('{"error":"slow down"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('a 429 with Retry-After: 1 makes the retry come a second later, not after the 10 ms backoff', async () => {
    const plan = makePlan([{ id: 'get', kind: 'http', args: { url: `${base}/limited` }, retries: 2, retryDelayMs: 10, resource: 'api' }]);
    const record = await execute(plan, { runners: { http: httpRunner }, clock: createRealClock() });
    assert.equal(record.status, 'succeeded');
    const t = record.tools[0]!;
    assert.equal(t.attempts.length, 2);
    assert.match(t.attempts[0]!.error!, /returned HTTP 429 Too Many Requests/);
    assert.ok(hits[1]! - hits[0]! >= 990, `second request ${hits[1]! - hits[0]!} ms after the first`);
    assert.deepEqual(t.output, { ok: true });
  });
});
