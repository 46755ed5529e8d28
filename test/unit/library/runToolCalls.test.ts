import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { runToolCalls, fromOpenAI, fromAnthropic, toAnthropicToolResults, type ToolCall, type ToolCallEvent } from '../../../src/core/index';

const sleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
});

const call = (id: string, name: string, args: Record<string, unknown> = {}): ToolCall => ({ id, name, args: args as ToolCall['args'] });

describe('library: runToolCalls', () => {
  it('runs the calls concurrently and answers in call order, paired by id, with the call given to the handler', async () => {
    const seen: string[] = [];
    const calls = [call('call_b', 'slow', { ms: 40 }), call('call_a', 'fast', { ms: 1 })];
    const batch = await runToolCalls(calls, {
      slow: async ({ ms }: { ms: number }, { call: c }) => { await sleep(ms); seen.push(c.id); return { done: c.id }; },
      fast: async ({ ms }: { ms: number }, { call: c }) => { await sleep(ms); seen.push(c.id); return 'fast ok'; },
    });
    assert.deepEqual(seen, ['call_a', 'call_b'], 'the fast one finished first');
    assert.equal(batch.status, 'succeeded');
    assert.deepEqual(batch.results.map((r) => [r.id, r.name, r.status, r.output, r.attempts]), [
      ['call_b', 'slow', 'succeeded', { done: 'call_b' }, 1],
      ['call_a', 'fast', 'succeeded', 'fast ok', 1],
    ]);
    assert.ok(batch.makespanMs < 200 && batch.makespanMs >= 35, `${batch.makespanMs}`);
    const [b] = batch.results;
    assert.ok(b!.startedAt !== null && b!.endedAt !== null && b!.endedAt >= b!.startedAt);
  });

  it('never rejects for tool failures: a throw, a thrown non-Error and a missing handler are failed results', async () => {
    const batch = await runToolCalls([call('1', 'boom'), call('2', 'nope'), call('3', 'weird'), call('4', 'ok')], {
      boom: () => { throw new Error('disk full'); },
      weird: () => Promise.reject({ code: 7 }),
      ok: () => 42,
    });
    assert.equal(batch.status, 'failed');
    assert.deepEqual(batch.results.map((r) => r.status), ['failed', 'failed', 'failed', 'succeeded']);
    assert.match(batch.results[0]!.error!, /disk full/);
    assert.match(batch.results[1]!.error!, /no handler for the tool "nope".*"boom", "weird", "ok"/);
    assert.match(batch.results[2]!.error!, /\{"code":7\}/);
    assert.equal(batch.results[3]!.output, 42);
  });

  it('timeoutMs aborts the handler\'s signal and the call ends timed-out; retries run again', async () => {
    let aborted = 0;
    let attempts = 0;
    const batch = await runToolCalls([call('t', 'hang'), call('r', 'flaky')], {
      hang: async (_a, { signal }) => { try { await sleep(10_000, signal); } catch (e) { aborted++; throw e; } },
      flaky: async () => { if (++attempts < 3) throw new Error(`try ${attempts}`); return 'third time'; },
    }, { timeoutMs: 30, retries: 2, retryDelayMs: 1 });
    assert.equal(aborted, 3, 'every attempt of the hanging call saw its signal fire');
    assert.deepEqual(batch.results.map((r) => [r.status, r.attempts]), [['timed-out', 3], ['succeeded', 3]]);
    assert.match(batch.results[0]!.error!, /timed out after 30 ms/);
  });

  it('the batch signal cancels running and queued calls; each still has a result', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const calls = [0, 1, 2, 3].map((i) => call(`c${i}`, 'wait'));
    const batch = await runToolCalls(calls, { wait: (_a, { signal }) => sleep(5_000, signal) }, { maxConcurrency: 2, signal: ac.signal });
    assert.equal(batch.status, 'cancelled');
    assert.deepEqual(batch.results.map((r) => r.id), ['c0', 'c1', 'c2', 'c3']);
    assert.ok(batch.results.every((r) => r.status === 'cancelled'), JSON.stringify(batch.results.map((r) => r.status)));
    assert.deepEqual(batch.results.map((r) => r.attempts), [1, 1, 0, 0]);
  });

  it('thirty calls each listening on their signal: no listener-limit warning, and the batch signal still reaches every handler', async () => {
    // Calls without a timeout share the run's signal (engine/execute.ts): its listener limit is lifted.
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const stop = new AbortController();
      let aborted = 0;
      const wait = (_: unknown, { signal }: { signal: AbortSignal }) => new Promise((_r, reject) => {
        signal.addEventListener('abort', () => { aborted++; reject(signal.reason); }, { once: true });
      });
      setTimeout(() => stop.abort(), 20);
      const calls = Array.from({ length: 30 }, (_, k) => ({ id: `w${k}`, name: 'wait', args: {} }));
      const batch = await runToolCalls(calls, { wait }, { signal: stop.signal });
      await new Promise((r) => setImmediate(r)); // warnings are emitted on a later tick
      assert.equal(batch.status, 'cancelled');
      assert.equal(aborted, 30, 'every handler heard the batch signal');
      assert.deepEqual(warnings.filter((w) => /MaxListeners|memory leak/.test(w)), []);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('onEvent reports the run with the provider\'s ids and positions', async () => {
    const events: ToolCallEvent[] = [];
    await runToolCalls([call('call_x', 'f'), call('call_x', 'f')], { f: () => 'ok' }, { onEvent: (e) => events.push(e) });
    assert.deepEqual(events[0]!.type === 'run-started' && events[0]!.tools, ['call_x', 'call_x']);
    const succeeded = events.filter((e) => e.type === 'succeeded');
    assert.deepEqual(succeeded.map((e) => 'index' in e && [e.id, e.index]), [['call_x', 0], ['call_x', 1]]);
    assert.equal(events.at(-1)!.type, 'run-ended');
  });

  it('makes every handler result JSON: primitives as they are, BigInt as digits, a Date as its JSON, a cycle a failed call', async () => {
    const cyc: Record<string, unknown> = { a: 1 };
    cyc.self = cyc;
    const results: Record<string, unknown> = {
      str: 'text', num: 2.5, nan: NaN, inf: -Infinity, bool: false, nul: null, undef: undefined, big: 12345678901234567890n,
      fn: () => 1, nested: { n: 1n, d: new Date(0), u: undefined, list: [1, undefined, 'x'] }, date: new Date(0), cycle: cyc,
    };
    const names = Object.keys(results);
    const handlers = Object.fromEntries(names.map((k, i) => [k, i % 2 ? () => results[k] : async () => results[k]]));
    const batch = await runToolCalls(names.map((k) => call(k, k)), handlers);
    const out = Object.fromEntries(batch.results.map((r) => [r.name, r.status === 'succeeded' ? r.output : r.error]));
    assert.deepEqual(out, {
      str: 'text', num: 2.5, nan: null, inf: null, bool: false, nul: null, undef: null, big: '12345678901234567890',
      fn: null, nested: { n: '1', d: '1970-01-01T00:00:00.000Z', list: [1, null, 'x'] }, date: '1970-01-01T00:00:00.000Z',
      cycle: out.cycle,
    });
    assert.match(String(out.cycle), /^the function returned a value that is not JSON \(Converting circular structure[^]*\); return plain data\.$/);
    assert.equal(batch.results.find((r) => r.name === 'cycle')!.status, 'failed');
  });

  it('an onEvent that throws does not stop the batch: every call runs, the listener keeps getting events, onEventError says so', async () => {
    const seen: string[] = [];
    let handled = 0;
    const calls = [0, 1, 2, 3].map((i) => call(`call_${i}`, 'f', { i }));
    const batch = await runToolCalls(calls, { f: async ({ i }: { i: number }) => { handled++; await sleep(2); return i; } }, {
      maxConcurrency: 2,
      retries: 0,
      onEvent: (e) => {
        seen.push(e.type);
        if (e.type === 'run-started') throw new Error('the UI is gone');
        if (e.type === 'started') throw 'a string';
      },
    });
    assert.equal(handled, 4);
    assert.equal(batch.status, 'succeeded');
    assert.deepEqual(batch.results.map((r) => [r.id, r.status, r.output]), calls.map((c, i) => [c.id, 'succeeded', i]));
    assert.equal(seen.filter((t) => t === 'succeeded').length, 4, 'events after the throws still arrive');
    assert.equal(seen.at(-1), 'run-ended');
    assert.equal(batch.onEventError, 'onEvent threw 5 times (first on the \'run-started\' event: the UI is gone); the batch went on and the listener kept getting events');
    const quiet = await runToolCalls(calls, { f: () => 1 }, { onEvent: () => undefined });
    assert.equal('onEventError' in quiet, false);
  });

  it('bad arguments reject with a TypeError that says what to pass', async () => {
    await assert.rejects(runToolCalls({} as never, {}), /calls must be an array/);
    await assert.rejects(runToolCalls([{ name: 'x' }] as never, {}), /calls\[0\] is not a call/);
    await assert.rejects(runToolCalls([], null as never), /handlers must be an object/);
  });

  it('from* and to*: an OpenAI completion and an Anthropic message round-trip with their own ids', async () => {
    const completion = {
      id: 'chatcmpl-1', object: 'chat.completion', model: 'gpt-4o',
      choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } },
      ] } }],
    };
    const calls = fromOpenAI(completion);
    assert.deepEqual(JSON.parse(JSON.stringify(calls)), [{ id: 'call_1', name: 'get_weather', args: { city: 'Paris' } }, { id: 'call_2', name: 'get_time', args: { tz: 'CET' } }]);
    const message = {
      id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'Looking both up.' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
        { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: { tz: 'CET' } },
      ],
    };
    const batch = await runToolCalls(fromAnthropic(message), { get_weather: ({ city }: { city: string }) => `sunny in ${city}` });
    const reply = toAnthropicToolResults(batch);
    assert.deepEqual(reply.content.map((b) => b.type === 'tool_result' && [b.tool_use_id, b.is_error ?? false]), [['toolu_1', false], ['toolu_2', true]]);
  });

  it('property: caps never exceeded, exactly one result per call, call order kept', async function () {
    this.timeout(60_000);
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ res: fc.constantFrom('a', 'b', 'c'), ms: fc.integer({ min: 0, max: 3 }), fail: fc.boolean(), handled: fc.boolean() }), { maxLength: 25 }),
      fc.integer({ min: 1, max: 6 }),
      fc.record({ a: fc.integer({ min: 1, max: 3 }), b: fc.integer({ min: 1, max: 3 }) }),
      async (specs, maxConcurrency, limits) => {
        let running = 0;
        let peak = 0;
        const perRes = new Map<string, number>();
        const calls = specs.map((s, i) => call(`id_${i % 7}`, s.handled ? `tool_${s.res}` : 'missing', { i, ...s }));
        const handler = async (args: { res: string; ms: number; fail: boolean }): Promise<string> => {
          running++;
          peak = Math.max(peak, running);
          const n = (perRes.get(args.res) ?? 0) + 1;
          perRes.set(args.res, n);
          assert.ok(n <= (limits as Record<string, number>)[args.res]! || args.res === 'c', `resource ${args.res} over its cap`);
          try {
            await sleep(args.ms);
            if (args.fail) throw new Error('fails');
            return args.res;
          } finally {
            running--;
            perRes.set(args.res, perRes.get(args.res)! - 1);
          }
        };
        const batch = await runToolCalls(calls, { tool_a: handler, tool_b: handler, tool_c: handler }, {
          maxConcurrency, limits, resourceOf: (c) => (c.args as { res: string }).res,
        });
        assert.ok(peak <= maxConcurrency, `peak ${peak} > ${maxConcurrency}`);
        assert.equal(batch.results.length, calls.length);
        assert.deepEqual(batch.results.map((r) => r.id), calls.map((c) => c.id));
        batch.results.forEach((r, i) => {
          const s = specs[i]!;
          assert.equal(r.status, s.handled && !s.fail ? 'succeeded' : 'failed');
        });
      },
    ), { numRuns: 60 });
  });
  it('passes arguments that look like plan references (${x.output}) to the handler as they are', async () => {
    const batch = await runToolCalls([call('a', 'echo', { text: 'use ${call0.output} here' }), call('b', 'echo', { text: '${nope.output}' })], { echo: async ({ text }: { text: string }) => text });
    assert.deepEqual(batch.results.map((r) => [r.status, r.output]), [['succeeded', 'use ${call0.output} here'], ['succeeded', '${nope.output}']]);
  });

  it('dedupe: identical calls (any key order) run once and share the outcome; a different name with the same arguments does not', async () => {
    let runs = 0;
    const search = async ({ q }: { q: string }) => { runs++; await sleep(10); return `results for ${q}`; };
    const calls = [call('c1', 'search', { q: 'x', n: 1 }), call('c2', 'search', { n: 1, q: 'x' }), call('c3', 'lookup', { q: 'x', n: 1 }), call('c4', 'search', { q: 'y', n: 1 })];
    const batch = await runToolCalls(calls, { search, lookup: search }, { dedupe: true });
    assert.equal(runs, 3);
    assert.deepEqual(batch.results.map((r) => [r.id, r.status, r.output, r.attempts]), [
      ['c1', 'succeeded', 'results for x', 1], ['c2', 'succeeded', 'results for x', 0], ['c3', 'succeeded', 'results for x', 1], ['c4', 'succeeded', 'results for y', 1],
    ]);
    runs = 0;
    await runToolCalls(calls, { search, lookup: search });
    assert.equal(runs, 4, 'without dedupe every call runs');
  });
  it('refuses options it would misread (a cap of 0, a negative timeout, a string) with a TypeError naming the option', async () => {
    const bad: readonly (readonly [Record<string, unknown>, RegExp])[] = [
      [{ maxConcurrency: 0 }, /maxConcurrency must be a whole number ≥ 1 \(leave it out for no cap\), got 0\./],
      [{ maxConcurrency: '2' }, /maxConcurrency must be a whole number ≥ 1 .*got "2"\./],
      [{ limits: { search: 0 } }, /limits\["search"\] must be a whole number ≥ 1 \(or \{ max, adaptive: true, min\? \}\), got 0\./],
      [{ maxRetryAfterMs: -1 }, /maxRetryAfterMs must be a number of milliseconds ≥ 0, got -1\./],
      [{ timeoutMs: -5 }, /timeoutMs must be a number of milliseconds > 0 \(leave it out for no timeout\), got -5\./],
      [{ retries: 1.5 }, /retries must be a whole number ≥ 0, got 1\.5\./],
      [{ onEvent: 'log' }, /onEvent must be a function, got "log"\./],
      [{ signal: {} }, /signal must be an AbortSignal/],
    ];
    let ran = 0;
    for (const [options, message] of bad) {
      await assert.rejects(runToolCalls([call('a', 'f')], { f: () => { ran++; return 1; } }, options as never), (e: Error) => e instanceof TypeError && message.test(e.message));
    }
    assert.equal(ran, 0);
  });
});
