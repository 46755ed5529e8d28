// Adaptive limits (README "Adaptive limits"): AIMD per resource, against a service that rejects
// with 429 above a concurrency it does not announce.
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runToolCalls, type ToolCall, type ToolCallEvent } from '../../../src/core/index';
import { execute } from '../../../src/core/engine/execute';
import { VirtualClock } from '../../../src/core/engine/clock';
import type { RunEvent, ToolRunner } from '../../../src/core/engine/types';
import { makePlan } from '../helpers/planBuilder';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlan } from '../../../src/core/plan/parse';
import { createRealClock } from '../../../src/core/engine/clock';
import { createNodeRunners } from '../../../src/core/tools';
import { buildOnce, json, runCli } from '../cli/helpers';

class SdkApiError extends Error {
  constructor(readonly status: number, readonly headers: Record<string, string> = {}) {
    super(`${status} Too Many Requests`);
  }
}

describe('adaptive limits: the AIMD rule (virtual clock)', () => {
  /** A service taking `capacity` calls at once, each `ms` long; above it, an instant 429. */
  function service(capacity: number, ms: number): { runner: ToolRunner; rejected: () => number; peak: () => number } {
    let running = 0;
    let rejected = 0;
    let peak = 0;
    return {
      runner: {
        async run(ctx) {
          if (running >= capacity) {
            rejected++;
            throw new SdkApiError(429);
          }
          running++;
          peak = Math.max(peak, running);
          try {
            await ctx.clock.sleep(ms, ctx.signal);
          } finally {
            running--;
          }
          return 'ok';
        },
      },
      rejected: () => rejected,
      peak: () => peak,
    };
  }

  const plan = (n: number) => makePlan(Array.from({ length: n }, (_, i) => ({ id: `c${i}`, kind: 'function' as const, resource: 'api', retries: 50, retryDelayMs: 5 })), { limits: Object.assign(Object.create(null), { api: 8 }) });

  it('halves once per congestion event, grows by one per window of successes, and stays within min and max', async () => {
    const svc = service(3, 100);
    const events: RunEvent[] = [];
    const record = await execute(plan(40), { runners: { function: svc.runner }, clock: new VirtualClock(), adaptiveLimits: { api: { min: 2 } }, random: () => 0.5, onEvent: (e) => events.push(e) });
    assert.equal(record.status, 'succeeded');
    const changes = events.filter((e): e is Extract<RunEvent, { type: 'limit-changed' }> => e.type === 'limit-changed');
    // Eight start together; five are rejected in the same instant: one cut, 8 → 4, not 8 → 1.
    assert.deepEqual(changes[0] && [changes[0].previous, changes[0].limit, changes[0].why], [8, 4, 'rate-limited']);
    const cuts = changes.filter((c) => c.why === 'rate-limited').map((c) => c.at);
    assert.equal(new Set(cuts).size, cuts.length, `one cut per instant of rejections: cuts at ${cuts.join(', ')}`);
    assert.ok(changes.every((c) => c.limit >= 2 && c.limit <= 8), JSON.stringify(changes.map((c) => c.limit)));
    assert.ok(changes.some((c) => c.why === 'successes'), 'it grew back after successes');
    for (const c of changes.filter((x) => x.why === 'successes')) assert.equal(c.limit, c.previous + 1);
    for (const c of changes.filter((x) => x.why === 'rate-limited')) assert.equal(c.limit, Math.max(2, Math.floor(c.previous / 2)));
    // No more calls of the resource ran at once than its limit allowed when each started.
    let limit = 8;
    let running = 0;
    for (const e of events) {
      if (e.type === 'limit-changed') limit = e.limit;
      if (e.type === 'started') assert.ok(++running <= limit, `${running} running at ${e.at} ms under a limit of ${limit}`);
      if (e.type === 'attempt-failed' || e.type === 'succeeded') running--;
    }
  });

  it('without adaptive, the same run keeps its limit of 8 and is rejected far more', async () => {
    const fixed = service(3, 100);
    await execute(plan(40), { runners: { function: fixed.runner }, clock: new VirtualClock(), random: () => 0.5 });
    const adaptive = service(3, 100);
    await execute(plan(40), { runners: { function: adaptive.runner }, clock: new VirtualClock(), adaptiveLimits: { api: {} }, random: () => 0.5 });
    console.log(`      40 calls of 100 ms, capacity 3 (virtual clock): 429s fixed ${fixed.rejected()}, adaptive ${adaptive.rejected()}`);
    assert.ok(adaptive.rejected() * 2 < fixed.rejected(), `429s: adaptive ${adaptive.rejected()}, fixed ${fixed.rejected()}`);
  });
});

describe('adaptive limits: runToolCalls against a real server that returns 429 above 3 concurrent requests', () => {
  const CAPACITY = 3;
  let server: Server;
  let url = '';
  let inFlight = 0;
  let rejected = 0;
  let served = 0;
  let peak = 0;
  /** Sent with every 429 when set (the plan-file tests): the wait the server asks for, in seconds. */
  let retryAfter: string | undefined;
  before(async () => {
    server = createServer((req, res) => {
      if (inFlight >= CAPACITY) {
        rejected++;
        res.writeHead(429, { 'content-type': 'application/json', ...(retryAfter !== undefined ? { 'retry-after': retryAfter } : {}) });
        res.end('{"error":{"type":"rate_limit_error","message":"too many concurrent requests"}}');
        return;
      }
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        served++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: req.url }));
      }, 30);
    });
    server.keepAliveTimeout = 1;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  /** A handler as an agent writes it: fetch, and throw the status and headers as the SDKs do. */
  const fetchTool = async ({ q }: { q: string }, { signal }: { signal: AbortSignal }): Promise<unknown> => {
    const res = await fetch(`${url}/search?q=${encodeURIComponent(q)}`, { signal });
    if (!res.ok) {
      await res.body?.cancel();
      throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status, headers: res.headers });
    }
    return res.json();
  };
  const calls: ToolCall[] = Array.from({ length: 48 }, (_, i) => ({ id: `call_${i}`, name: 'search', args: { q: `q${i}` } }));

  async function run(limit: number | { max: number; adaptive: true }): Promise<{ rejected: number; makespanMs: number; events: ToolCallEvent[]; ok: boolean }> {
    rejected = 0;
    served = 0;
    const events: ToolCallEvent[] = [];
    const batch = await runToolCalls(calls, { search: fetchTool }, { limits: { search: limit }, retries: 30, retryDelayMs: 20, onEvent: (e) => events.push(e) });
    return { rejected, makespanMs: batch.makespanMs, events, ok: batch.status === 'succeeded' && served === calls.length };
  }

  it('the adaptive run finishes every call with fewer 429s than the fixed cap of 8', async function () {
    this.timeout(60_000);
    const fixed = await run(8);
    const adaptive = await run({ max: 8, adaptive: true });
    assert.ok(fixed.ok && adaptive.ok, 'every call succeeded in both runs');
    const limits = adaptive.events.filter((e) => e.type === 'limit-changed').map((e) => e.type === 'limit-changed' && e.limit);
    console.log(`      48 calls, server capacity ${CAPACITY}: fixed cap 8 → ${fixed.rejected} × 429 in ${Math.round(fixed.makespanMs)} ms; adaptive (max 8) → ${adaptive.rejected} × 429 in ${Math.round(adaptive.makespanMs)} ms; limit ${[8, ...limits].join(' → ')}`);
    assert.ok(adaptive.rejected < fixed.rejected, `429s: adaptive ${adaptive.rejected}, fixed ${fixed.rejected}`);
    assert.ok(limits.length > 0 && limits[0] === 4, `the first cut was 8 → ${limits[0]}`);
  });

  /** A plan file of 24 http calls on resource `api`, as a user writes it. */
  const planText = (limit: string): string => [
    'name: adaptive plan',
    `limits: { api: ${limit} }`,
    'defaults: { retries: 30, retryDelayMs: 20, timeoutMs: 10000 }',
    'tools:',
    ...Array.from({ length: 24 }, (_, i) => `  - { id: s${i}, kind: http, resource: api, args: { url: "${url}/search?q=${i}" } }`),
  ].join('\n');

  describe('in a plan file (limits: { api: { max: 8, adaptive: true } }), 429 with Retry-After', () => {
    beforeEach(() => {
      retryAfter = '0.05';
    });
    afterEach(() => {
      retryAfter = undefined;
    });

    it('drives the same AIMD controller for http tools: the first 429 halves the limit 8 → 4, every call succeeds', async function () {
      this.timeout(60_000);
      const parsed = parsePlan(planText('{ max: 8, adaptive: true }'), { fileName: 'adaptive.toolplan.yaml' });
      assert.deepEqual(parsed.diagnostics.filter((d) => d.severity === 'error'), []);
      const plan = parsed.plan!;
      assert.equal(plan.limits.api, 8);
      assert.deepEqual({ ...plan.adaptiveLimits }, { api: {} });
      rejected = 0;
      served = 0;
      const node = createNodeRunners({ cwd: tmpdir() });
      const events: RunEvent[] = [];
      try {
        const r = await execute(plan, { runners: node.runners, clock: createRealClock(), onEvent: (e) => events.push(e) });
        assert.equal(r.status, 'succeeded', JSON.stringify(r.tools.filter((t) => t.status !== 'succeeded').map((t) => t.error)));
      } finally {
        await node.dispose();
      }
      assert.equal(served, 24);
      assert.ok(rejected > 0, 'the server did reject');
      const changes = events.filter((e): e is Extract<RunEvent, { type: 'limit-changed' }> => e.type === 'limit-changed');
      assert.ok(changes.length > 0, 'the limit changed');
      assert.deepEqual([changes[0].resource, changes[0].previous, changes[0].limit, changes[0].why], ['api', 8, 4, 'rate-limited']);
      // The waits were the server's Retry-After (50 ms), not the plain backoff.
      const waits = events.filter((e) => e.type === 'retrying');
      assert.ok(waits.length > 0 && waits.every((e) => e.type === 'retrying' && e.retryAfterMs === 50));
    });

    it('a plain number limit stays fixed on the same server (no limit-changed event)', async function () {
      this.timeout(60_000);
      const plan = parsePlan(planText('8'), { fileName: 'fixed.toolplan.yaml' }).plan!;
      assert.equal(plan.adaptiveLimits, undefined);
      const node = createNodeRunners({ cwd: tmpdir() });
      const events: RunEvent[] = [];
      try {
        const r = await execute(plan, { runners: node.runners, clock: createRealClock(), onEvent: (e) => events.push(e) });
        assert.equal(r.status, 'succeeded');
      } finally {
        await node.dispose();
      }
      assert.ok(!events.some((e) => e.type === 'limit-changed'));
    });

    it('fanout run on the plan file: every call succeeds (exit 0) with the adaptive limit, analyze accepts it', async function () {
      this.timeout(60_000);
      buildOnce();
      const dir = mkdtempSync(join(tmpdir(), 'fanout-adaptive-'));
      try {
        const file = join(dir, 'adaptive.toolplan.yaml');
        writeFileSync(file, planText('{ max: 8, adaptive: true, min: 2 }'));
        assert.equal((await runCli(['analyze', file])).code, 0);
        served = 0;
        const r = await runCli(['run', file, '--json', '--approve', 'all', '--max-concurrency', '6']);
        assert.equal(r.code, 0, r.stderr);
        const record = json(r) as { status: string; tools: { status: string }[]; caps: unknown };
        assert.equal(record.status, 'succeeded');
        // The record states what the run ran under: the --max-concurrency and the adaptive limit.
        assert.deepEqual(record.caps, { maxConcurrency: 6, limits: { api: { max: 8, adaptive: true, min: 2 } } });
        assert.equal(record.tools.filter((t) => t.status === 'succeeded').length, 24);
        assert.equal(served, 24);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('limits given as objects are checked', async () => {
    await assert.rejects(runToolCalls(calls, {}, { limits: { search: { adaptive: true } as never } }), /limits\["search"\] needs max/);
    await assert.rejects(runToolCalls(calls, {}, { limits: { search: { max: 2, min: 3, adaptive: true } } }), /min \(3\) is above its max \(2\)/);
    await assert.rejects(runToolCalls(calls, {}, { limits: { search: { max: 2, adaptve: true } as never } }), /unknown key "adaptve"/);
    await assert.rejects(runToolCalls(calls, {}, { limits: { search: { max: 0 } } }), /limits\["search"\]\.max must be a whole number ≥ 1/);
  });
});
