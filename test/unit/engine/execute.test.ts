import assert from 'node:assert/strict';
import { execute, missingRunnerMessage } from '../../../src/core/engine/execute';
import { VirtualClock, createRealClock } from '../../../src/core/engine/clock';
import { simulate, seededRandom } from '../../../src/core/engine/simulate';
import { simulateRunner } from '../../../src/core/tools/simulate';
import type { RunEvent, RunRecord, ToolRunner } from '../../../src/core/engine/types';
import type { JsonValue } from '../../../src/core/plan/types';
import { makePlan } from '../helpers/planBuilder';
import { checkEvents, recorder } from './helpers';

const tool = (r: RunRecord, id: string) => {
  const t = r.tools.find((x) => x.id === id);
  assert.ok(t, `no tool ${id}`);
  return t;
};

/** Sleeps on the clock WITHOUT listening to its signal: a badly behaved runner. */
const stubborn: ToolRunner = {
  async run(ctx) {
    await ctx.clock.sleep(Number(ctx.args.durationMs));
    return 'finished anyway';
  },
};

describe('execute', () => {
  it('retries with failTimes: each attempt recorded, jittered exponential backoff, then success', async () => {
    const plan = makePlan([{ id: 'flaky', args: { durationMs: 10, failTimes: 2, result: 'ok' }, retries: 3, retryDelayMs: 100 }]);
    const rec = recorder();
    const r = await execute(plan, { runners: { simulate: simulateRunner }, clock: new VirtualClock(), random: () => 0.5, onEvent: rec.onEvent });
    const t = tool(r, 'flaky');
    assert.equal(t.status, 'succeeded');
    assert.equal(t.output, 'ok');
    assert.equal(t.attempts.length, 3);
    assert.deepEqual(t.attempts.map((a) => a.error === null), [false, false, true]);
    const delays = rec.events.filter((e): e is Extract<RunEvent, { type: 'retrying' }> => e.type === 'retrying').map((e) => e.delayMs);
    // equal jitter with random 0.5: 3/4 of 100, then of 200
    assert.deepEqual(delays, [75, 150]);
    assert.deepEqual(rec.events.filter((e) => e.type === 'attempt-failed').map((e) => (e as { attempt: number }).attempt), [1, 2]);
    assert.equal(t.attempts[1].startedAt, 10 + 75);
    assert.equal(r.makespanMs, 10 + 75 + 10 + 150 + 10);
  });

  it('gives up after the last retry: failed, with the last error', async () => {
    const plan = makePlan([{ id: 'bad', args: { durationMs: 5, failTimes: 9 }, retries: 1, retryDelayMs: 1 }, { id: 'after', durationMs: 1, dependsOn: ['bad'] }]);
    const r = await execute(plan, { runners: { simulate: simulateRunner }, clock: new VirtualClock(), random: seededRandom(3) });
    assert.equal(tool(r, 'bad').status, 'failed');
    assert.equal(tool(r, 'bad').attempts.length, 2);
    assert.match(tool(r, 'bad').error ?? '', /attempt 2/);
    assert.equal(tool(r, 'after').status, 'skipped');
    assert.equal(r.status, 'failed');
  });

  it('times out a runner that ignores its signal, without waiting for it (virtual clock)', async () => {
    const plan = makePlan([{ id: 'hang', args: { durationMs: 1_000_000 }, timeoutMs: 50, retries: 1, retryDelayMs: 10 }, { id: 'next', durationMs: 5, dependsOn: ['hang'] }], { defaults: {} });
    const r = await execute(plan, { runners: { simulate: stubborn }, clock: new VirtualClock(), random: () => 0 });
    const t = tool(r, 'hang');
    assert.equal(t.status, 'timed-out');
    assert.equal(t.attempts.length, 2);
    assert.match(t.error ?? '', /timed out after 50 ms/);
    assert.equal(tool(r, 'next').status, 'skipped');
    assert.match(tool(r, 'next').error ?? '', /'hang' timed out/);
    assert.equal(r.makespanMs, 50 + 5 + 50);
  });

  it('times out a runner that ignores its signal on the real clock, within generous bounds', async () => {
    const plan = makePlan([{ id: 'hang', args: { durationMs: 1500 } }], { defaults: { timeoutMs: 30 } });
    const started = Date.now();
    const r = await execute(plan, { runners: { simulate: stubborn }, clock: createRealClock() });
    assert.equal(tool(r, 'hang').status, 'timed-out');
    assert.ok(Date.now() - started < 1000, 'the run waited for the hung runner');
  });

  it('a timeout reaches the runner as its signal abort, with a timeout reason', async () => {
    let reason: unknown;
    const runner: ToolRunner = {
      run: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => { reason = ctx.signal.reason; reject(ctx.signal.reason); })),
    };
    const plan = makePlan([{ id: 'x', args: { durationMs: 1 }, timeoutMs: 20 }]);
    const r = await execute(plan, { runners: { simulate: runner }, clock: new VirtualClock() });
    assert.equal(tool(r, 'x').status, 'timed-out');
    assert.ok(reason instanceof Error && /timed out/.test(reason.message));
  });

  it('skip-dependents: independent branches finish and keep their results; dependents are skipped with the reason', async () => {
    const plan = makePlan([
      { id: 'a', args: { durationMs: 10, error: 'api down' } },
      { id: 'b', dependsOn: ['a'], durationMs: 5 },
      { id: 'c', dependsOn: ['b'], durationMs: 5 },
      { id: 'x', args: { durationMs: 30, result: 42 } },
      { id: 'y', dependsOn: ['x'], args: { durationMs: 1, result: '${x.output}' } },
    ]);
    const rec = recorder();
    const r = await simulate(plan, { onEvent: rec.onEvent });
    assert.deepEqual(checkEvents(plan, rec.events), []);
    assert.deepEqual(r.tools.map((t) => t.status), ['failed', 'skipped', 'skipped', 'succeeded', 'succeeded']);
    assert.equal(tool(r, 'b').error, "dependency 'a' failed");
    assert.match(tool(r, 'c').error ?? '', /'b' was skipped \('a' failed\)/);
    assert.equal(tool(r, 'y').output, 42);
    assert.equal(r.status, 'failed');
  });

  it('fail-fast: running tools are cancelled, the rest skipped', async () => {
    const plan = makePlan([
      { id: 'a', args: { durationMs: 10, error: 'boom' } },
      { id: 'long', durationMs: 100 },
      { id: 'later', durationMs: 5, dependsOn: ['long'] },
      { id: 'queued', durationMs: 5 },
    ], { failurePolicy: 'fail-fast', maxConcurrency: 2 });
    const rec = recorder();
    const r = await simulate(plan, { onEvent: rec.onEvent });
    assert.deepEqual(checkEvents(plan, rec.events), []);
    assert.deepEqual(r.tools.map((t) => t.status), ['failed', 'cancelled', 'skipped', 'skipped']);
    assert.match(tool(r, 'long').error ?? '', /fail-fast: 'a' failed/);
    assert.equal(tool(r, 'long').endedAt, 10);
    assert.equal(tool(r, 'long').attempts.length, 1);
    assert.equal(r.status, 'failed');
    assert.equal(r.makespanMs, 10);
  });

  it('fail-fast also stops a tool waiting out its retry backoff, and a dedupe twin waiting for a result', async () => {
    const plan = makePlan([
      { id: 'boom', args: { durationMs: 50, error: 'boom' } },
      { id: 'flaky', args: { durationMs: 10, failTimes: 3 }, retries: 3, retryDelayMs: 1000 },
      { id: 'call1', label: 'call', args: { durationMs: 500 } },
      { id: 'call2', label: 'call', args: { durationMs: 500 } },
    ], { failurePolicy: 'fail-fast', dedupe: true });
    const rec = recorder();
    const r = await simulate(plan, { onEvent: rec.onEvent });
    assert.deepEqual(checkEvents(plan, rec.events), []);
    assert.deepEqual(r.tools.map((t) => t.status), ['failed', 'cancelled', 'cancelled', 'cancelled']);
    assert.equal(tool(r, 'flaky').attempts.length, 1);
    assert.equal(tool(r, 'call2').attempts.length, 0);
    assert.ok(r.tools.every((t) => t.endedAt === 50 || t.id === 'flaky'));
    assert.equal(r.makespanMs, 50);
  });

  it('cancellation on the virtual clock: running and pending tools end cancelled, the record is complete', async () => {
    const plan = makePlan([
      { id: 'a', durationMs: 10 },
      { id: 'b', durationMs: 100, dependsOn: ['a'] },
      { id: 'c', durationMs: 10, dependsOn: ['b'] },
      { id: 'd', args: { durationMs: 100, failTimes: 5 }, retries: 5, retryDelayMs: 1000 },
    ]);
    const ac = new AbortController();
    const clock = new VirtualClock();
    const rec = recorder();
    const run = simulate(plan, { clock, signal: ac.signal, onEvent: (e) => {
      rec.onEvent(e);
      if (e.type === 'started' && e.id === 'b') void clock.sleep(50).then(() => ac.abort());
    } });
    const r = await run;
    assert.deepEqual(checkEvents(plan, rec.events), []);
    assert.deepEqual(r.tools.map((t) => t.status), ['succeeded', 'cancelled', 'cancelled', 'cancelled']);
    assert.equal(r.status, 'cancelled');
    assert.equal(tool(r, 'b').endedAt, 60);
    assert.equal(tool(r, 'b').error, 'run cancelled');
    assert.equal(tool(r, 'c').startedAt, null);
    assert.equal(r.makespanMs, 60);
  });

  it('cancellation on the real clock (signal already aborted, and mid-run)', async () => {
    const plan = makePlan([{ id: 'a', durationMs: 5 }, { id: 'slow', durationMs: 5000, dependsOn: ['a'] }, { id: 'c', durationMs: 1, dependsOn: ['slow'] }]);
    const pre = new AbortController();
    pre.abort();
    const r0 = await execute(plan, { runners: { simulate: simulateRunner }, clock: createRealClock(), signal: pre.signal });
    assert.deepEqual(r0.tools.map((t) => t.status), ['cancelled', 'cancelled', 'cancelled']);
    assert.equal(r0.status, 'cancelled');

    const ac = new AbortController();
    const started = Date.now();
    const r = await execute(plan, {
      runners: { simulate: simulateRunner }, clock: createRealClock(), signal: ac.signal,
      onEvent: (e) => { if (e.type === 'started' && e.id === 'slow') setTimeout(() => ac.abort(), 20); },
    });
    assert.deepEqual(r.tools.map((t) => t.status), ['succeeded', 'cancelled', 'cancelled']);
    assert.ok(Date.now() - started < 3000);
    const slow = tool(r, 'slow');
    assert.ok(slow.endedAt !== null && slow.startedAt !== null && slow.endedAt - slow.startedAt >= 15);
  });

  it('passes outputs: a whole-string reference keeps the raw value, embedded ones become text or JSON', async () => {
    let seen: JsonValue = null;
    const capture: ToolRunner = { run: async (ctx) => { seen = ctx.args; return null; } };
    const plan = makePlan([
      { id: 'w', args: { durationMs: 1, result: { temp: 21, tags: ['a', 'b'], city: 'Oslo' } } },
      { id: 'use', kind: 'shell', dependsOn: ['w'], args: {
        whole: '${w.output}', num: '${w.output.temp}', arr: '${w.output.tags}', item: '${w.output.tags.1}',
        text: 'It is ${w.output.temp} C in ${w.output.city}, tags ${w.output.tags}', nested: [{ deep: '${w.output.city}' }],
      } },
    ]);
    const r = await execute(plan, { runners: { simulate: simulateRunner, shell: capture }, clock: new VirtualClock() });
    assert.equal(r.status, 'succeeded');
    assert.deepEqual(seen, {
      whole: { temp: 21, tags: ['a', 'b'], city: 'Oslo' }, num: 21, arr: ['a', 'b'], item: 'b',
      text: 'It is 21 C in Oslo, tags ["a","b"]', nested: [{ deep: 'Oslo' }],
    });
  });

  it('a reference to a missing field fails that tool with a clear message, not the run', async () => {
    const plan = makePlan([
      { id: 'w', args: { durationMs: 1, result: { temp: 21 } } },
      { id: 'use', dependsOn: ['w'], args: { durationMs: 1, result: '${w.output.wind.speed}' } },
      { id: 'after', dependsOn: ['use'], durationMs: 1 },
      { id: 'other', durationMs: 1 },
    ]);
    const r = await simulate(plan);
    assert.equal(tool(r, 'use').status, 'failed');
    assert.match(tool(r, 'use').error ?? '', /\$\{w\.output\.wind\.speed\}.*fields 'temp'.*no field 'wind'/);
    assert.equal(tool(r, 'use').attempts.length, 0);
    assert.equal(tool(r, 'after').status, 'skipped');
    assert.equal(tool(r, 'other').status, 'succeeded');
  });

  it('dedupe: identical calls run once and share the result; both are recorded', async () => {
    let calls = 0;
    const counting: ToolRunner = { run: async (ctx) => { calls++; await ctx.clock.sleep(20, ctx.signal); return { q: ctx.args.q ?? null }; } };
    const plan = makePlan([
      { id: 's1', kind: 'http', args: { q: 'x', n: { a: 1, b: 2 } } },
      { id: 's2', kind: 'http', args: { n: { b: 2, a: 1 }, q: 'x' } },
      { id: 's3', kind: 'http', args: { q: 'y' } },
      { id: 'late', kind: 'http', dependsOn: ['s3'], args: { q: 'x', n: { a: 1, b: 2 } } },
    ], { dedupe: true });
    const rec = recorder();
    const r = await execute(plan, { runners: { http: counting }, clock: new VirtualClock(), onEvent: rec.onEvent });
    assert.deepEqual(checkEvents(plan, rec.events), []);
    assert.equal(calls, 2);
    assert.deepEqual(r.tools.map((t) => t.status), ['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    assert.equal(tool(r, 's2').dedupedFrom, 's1');
    assert.equal(tool(r, 'late').dedupedFrom, 's1');
    assert.deepEqual(tool(r, 's2').output, { q: 'x' });
    assert.equal(tool(r, 's2').endedAt, 20);
    assert.equal(tool(r, 's2').attempts.length, 0);
    assert.equal(r.maxObservedConcurrency, 2);
  });

  it('dedupe: simulated and cpu tools are one call only when their label matches too, as duplicate-call decides', async () => {
    const plan = makePlan([
      { id: 'embed_1', kind: 'cpu', args: { durationMs: 100 } },
      { id: 'embed_2', kind: 'cpu', args: { durationMs: 100 } },
      { id: 'lookup', label: 'get_weather', args: { durationMs: 100 } },
      { id: 'lookup_again', label: 'get_weather', args: { durationMs: 100 } },
      { id: 'other', args: { durationMs: 100 } },
    ], { dedupe: true });
    const r = await simulate(plan);
    assert.deepEqual(r.tools.map((t) => t.dedupedFrom ?? null), [null, null, null, 'lookup', null]);
    assert.equal(tool(r, 'embed_2').attempts.length, 1, 'two chunks with the same duration are two pieces of work');
  });

  it('without dedupe, identical calls each run', async () => {
    let calls = 0;
    const counting: ToolRunner = { run: async () => { calls++; return 1; } };
    const plan = makePlan([{ id: 'a', kind: 'http', args: { q: 1 } }, { id: 'b', kind: 'http', args: { q: 1 } }]);
    await execute(plan, { runners: { http: counting }, clock: new VirtualClock() });
    assert.equal(calls, 2);
  });

  it('a kind without a runner fails with a clear message and its dependents are skipped', async () => {
    const plan = makePlan([
      { id: 'ask', kind: 'vscode.lm', args: { tool: 'search', input: {} } },
      { id: 'use', dependsOn: ['ask'], durationMs: 1 },
      { id: 'ok', durationMs: 1 },
    ]);
    const r = await execute(plan, { runners: { simulate: simulateRunner }, clock: new VirtualClock() });
    assert.equal(tool(r, 'ask').status, 'failed');
    assert.equal(tool(r, 'ask').error, 'vscode.lm tools only run inside VS Code.');
    assert.equal(missingRunnerMessage('shell'), "No runner for 'shell' tools in this host.");
    assert.equal(tool(r, 'use').status, 'skipped');
    assert.equal(tool(r, 'ok').status, 'succeeded');
  });

  it('reports results in plan order whatever the finish order', async () => {
    const plan = makePlan([{ id: 'slow', durationMs: 30 }, { id: 'mid', durationMs: 20 }, { id: 'fast', durationMs: 10 }]);
    const rec = recorder();
    const r = await simulate(plan, { onEvent: rec.onEvent });
    assert.deepEqual(r.tools.map((t) => t.id), ['slow', 'mid', 'fast']);
    assert.deepEqual(rec.events.filter((e) => e.type === 'succeeded').map((e) => (e as { id: string }).id), ['fast', 'mid', 'slow']);
  });

  it('dispatches the longest remaining path first, and a full resource does not block other ready tools', async () => {
    const plan = makePlan([
      { id: 'short', durationMs: 10 },
      { id: 'head', durationMs: 10, resource: 'api' },
      { id: 'tail', durationMs: 50, dependsOn: ['head'] },
      { id: 'api2', durationMs: 60, resource: 'api' },
      { id: 'free', durationMs: 5 },
    ], { maxConcurrency: 2, limits: Object.assign(Object.create(null) as Record<string, number>, { api: 1 }) });
    const r = await simulate(plan);
    // head→tail and api2 both have 60 ms left; head unlocks a successor, so it goes first. api2 is
    // then ready but 'api' is full: it must not block the second slot, which goes to 'short'.
    assert.equal(tool(r, 'head').startedAt, 0);
    assert.equal(tool(r, 'short').startedAt, 0);
    assert.equal(tool(r, 'api2').startedAt, 10);
    assert.equal(tool(r, 'tail').startedAt, 10);
    assert.equal(r.makespanMs, 70);
    assert.equal(r.maxObservedConcurrency, 2);
  });

  it('never rejects on an invalid plan: every tool is skipped with the reason', async () => {
    const plan = makePlan([{ id: 'a', durationMs: 1, dependsOn: ['b'] }, { id: 'b', durationMs: 1, dependsOn: ['a'] }]);
    const r = await simulate(plan);
    assert.equal(r.status, 'failed');
    assert.deepEqual(r.tools.map((t) => t.status), ['skipped', 'skipped']);
    assert.match(r.tools[0].error ?? '', /invalid.*cycle/i);
  });

  it('an empty plan succeeds at once', async () => {
    const r = await simulate(makePlan([]));
    assert.equal(r.status, 'succeeded');
    assert.equal(r.makespanMs, 0);
  });

  it('a throwing event listener does not break the run', async () => {
    const plan = makePlan([{ id: 'a', durationMs: 1 }]);
    const r = await simulate(plan, { onEvent: () => { throw new Error('ui bug'); } });
    assert.equal(r.status, 'succeeded');
  });
});
