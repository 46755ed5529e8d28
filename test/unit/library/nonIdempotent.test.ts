// Calls that must not run twice (README "Use it in your agent", docs/library.md "Calls that must
// not run twice"): annotated not idempotent or destructive, they are never retried after a
// failure or a timeout (only after a 429) and never deduplicated.
import { strict as assert } from 'node:assert';
import { runToolCalls, type ToolCall, type ToolCallHandler } from '../../../src/core/index';

const call = (id: string, name: string, args: Record<string, unknown> = {}): ToolCall => ({ id, name, args: args as ToolCall['args'] });
const sleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
});
const annotated = (fn: ToolCallHandler, annotations: Record<string, unknown>): ToolCallHandler => Object.assign(fn, { annotations });

describe('library: calls that must not run twice', () => {
  it('a destructive or non-idempotent handler that fails is not retried; idempotent and read-only ones are', async () => {
    const tries: Record<string, number> = {};
    const failing = (name: string): ToolCallHandler => () => { tries[name] = (tries[name] ?? 0) + 1; throw new Error('connection reset'); };
    const batch = await runToolCalls(
      [call('1', 'send_email'), call('2', 'charge'), call('3', 'put_file'), call('4', 'read_file'), call('5', 'plain')],
      {
        send_email: annotated(failing('send_email'), { destructiveHint: true }),
        charge: annotated(failing('charge'), {}), // MCP defaults: not read-only, not idempotent
        put_file: annotated(failing('put_file'), { destructiveHint: false, idempotentHint: true }),
        read_file: annotated(failing('read_file'), { readOnlyHint: true }),
        plain: failing('plain'),
      },
      { retries: 2, retryDelayMs: 1 },
    );
    assert.deepEqual(tries, { send_email: 1, charge: 1, put_file: 3, read_file: 3, plain: 3 });
    assert.deepEqual(batch.results.map((r) => r.attempts), [1, 1, 3, 3, 3]);
    assert.match(batch.results[0]!.error!, /^connection reset \('send_email' is not idempotent \(its annotations\), so it is not retried \(retries: 2 applies only after a 429\)\)$/);
  });

  it('a non-idempotent call that times out ends timed-out with "outcome unknown", not retried', async () => {
    let n = 0;
    const batch = await runToolCalls([call('1', 'transfer')], {
      transfer: annotated(async (_a, { signal }) => { n++; await sleep(5_000, signal); }, { idempotentHint: false }),
    }, { timeoutMs: 30, retries: 3, retryDelayMs: 1 });
    assert.equal(n, 1);
    assert.equal(batch.results[0]!.status, 'timed-out');
    assert.match(batch.results[0]!.error!, /^timed out after 30 ms; outcome unknown: the call may have taken effect\. 'transfer' is not idempotent/);
  });

  it('with no retries a non-idempotent call that times out still says "outcome unknown"; an idempotent one does not', async () => {
    // One function per handler: annotated() sets the annotations on the function itself.
    const hang = (): ToolCallHandler => async (_a, { signal }) => { await sleep(5_000, signal); };
    const batch = await runToolCalls([call('1', 'send_email'), call('2', 'lookup')], {
      send_email: annotated(hang(), { destructiveHint: true }),
      lookup: annotated(hang(), { readOnlyHint: true }),
    }, { timeoutMs: 30 });
    assert.deepEqual(batch.results.map((r) => r.status), ['timed-out', 'timed-out']);
    assert.match(batch.results[0]!.error!, /^timed out after 30 ms; outcome unknown: the call may have taken effect \('send_email' is not idempotent/);
    assert.equal(batch.results[1]!.error, 'timed out after 30 ms');
  });

  it('an idempotent but destructive call (a delete) is not retried, and its error calls it destructive, never "not idempotent" (reader finding S3)', async () => {
    let n = 0;
    const hang: ToolCallHandler = async (_a, { signal }) => { n++; await sleep(5_000, signal); };
    const del = { destructiveHint: true, idempotentHint: true };
    const once = await runToolCalls([call('1', 'delete_file')], { delete_file: annotated(hang, del) }, { timeoutMs: 30 });
    assert.equal(once.results[0]!.error, "timed out after 30 ms; outcome unknown: the call may have taken effect ('delete_file' is destructive by its annotations: check before calling it again)");
    const failing: ToolCallHandler = () => { n++; throw new Error('connection reset'); };
    const retried = await runToolCalls([call('1', 'delete_file')], { delete_file: annotated(failing, del) }, { retries: 2, retryDelayMs: 1 });
    assert.equal(retried.results[0]!.error, "connection reset ('delete_file' is destructive (its annotations), so it is not retried (retries: 2 applies only after a 429))");
    assert.equal(n, 2, 'one attempt each');
  });

  it('a 429 is retried even for a non-idempotent call: the server refused it before it ran', async () => {
    let n = 0;
    const batch = await runToolCalls([call('1', 'send_email')], {
      send_email: annotated(() => {
        if (++n === 1) throw Object.assign(new Error('rate limited'), { status: 429, headers: { 'retry-after': '0.01' } });
        return 'sent';
      }, { destructiveHint: true }),
    }, { retries: 1 });
    assert.deepEqual([batch.results[0]!.status, batch.results[0]!.attempts], ['succeeded', 2]);
  });

  it('identical non-idempotent calls both run under dedupe; identical reads run once', async () => {
    const ran: string[] = [];
    const batch = await runToolCalls(
      [call('a', 'send_email', { to: 'x' }), call('b', 'send_email', { to: 'x' }), call('c', 'lookup', { q: 1 }), call('d', 'lookup', { q: 1 })],
      {
        send_email: annotated(async (_a, { call: c }) => { ran.push(c.id); await sleep(5); return 'sent'; }, { destructiveHint: true }),
        lookup: annotated(async (_a, { call: c }) => { ran.push(c.id); await sleep(5); return 42; }, { readOnlyHint: true }),
      },
      { dedupe: true },
    );
    assert.deepEqual(ran.sort(), ['a', 'b', 'c']);
    assert.deepEqual(batch.results.map((r) => r.attempts), [1, 1, 1, 0]);
  });

  it('annotationsOf marks calls per call, over the handler\'s own; bad hints are a TypeError before any call', async () => {
    let n = 0;
    const batch = await runToolCalls([call('1', 'http', { method: 'POST' }), call('2', 'http', { method: 'GET' })], {
      http: ({ method }: { method: string }) => { n++; throw new Error(`${method} failed`); },
    }, { retries: 1, retryDelayMs: 1, annotationsOf: (c) => (c.args as { method: string }).method === 'POST' ? { idempotentHint: false } : { readOnlyHint: true } });
    assert.equal(n, 3);
    assert.deepEqual(batch.results.map((r) => r.attempts), [1, 2]);
    await assert.rejects(runToolCalls([call('1', 'f')], { f: () => 1 }, { annotationsOf: () => ({ idempotentHint: 'no' } as never) }), /the annotations of "f": idempotentHint must be true or false, got "no"/);
    await assert.rejects(runToolCalls([call('1', 'f')], { f: () => 1 }, { annotationsOf: 'x' as never }), /annotationsOf must be a function/);
  });
});
