// The mcp tool kind against real MCP servers from npm (server-everything over stdio and
// Streamable HTTP, server-filesystem on a temp folder, server-memory): no mocks.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRealClock } from '../../../src/core/engine/clock';
import { execute } from '../../../src/core/engine/execute';
import type { RunEvent, RunRecord, ToolRecord } from '../../../src/core/engine/types';
import { parsePlan } from '../../../src/core/plan/parse';
import type { McpServerConfig, Plan } from '../../../src/core/plan/types';
import { createMcpRunner } from '../../../src/core/tools/mcp/runner';
import { McpSession } from '../../../src/core/tools/mcp/session';
import { eventually, isGone } from '../tools/helpers';
import { EVERYTHING, everythingStdio, filesystemStdio, memoryStdio, startEverythingHttp } from './servers';

function planOf(servers: Record<string, McpServerConfig>, tools: unknown[], extra: Record<string, unknown> = {}): Plan {
  const r = parsePlan(JSON.stringify({ mcpServers: servers, tools, ...extra }), { fileName: 'mcp.toolplan.json' });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return r.plan as Plan;
}

async function runPlan(plan: Plan, opts: { signal?: AbortSignal; onEvent?: (e: RunEvent, s: McpSession) => void; session?: McpSession } = {}): Promise<{ record: RunRecord; events: RunEvent[]; session: McpSession }> {
  const session = opts.session ?? new McpSession(plan.mcpServers ?? {}, { expand: { env: process.env }, cwd: process.cwd(), killGraceMs: 300 });
  const events: RunEvent[] = [];
  try {
    const record = await execute(plan, {
      runners: { mcp: createMcpRunner(session), simulate: { run: async (ctx) => { await ctx.clock.sleep(Number(ctx.args.durationMs), ctx.signal); return null; } } },
      clock: createRealClock(),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onEvent: (e) => {
        events.push(e);
        opts.onEvent?.(e, session);
      },
    });
    return { record, events, session };
  } finally {
    await session.close();
  }
}

const tool = (r: RunRecord, id: string): ToolRecord => r.tools.find((t) => t.id === id) as ToolRecord;
const long = (id: string, seconds: number, steps = 1, extra: Record<string, unknown> = {}) =>
  ({ id, kind: 'mcp', args: { server: 'ev', tool: 'trigger-long-running-operation', input: { duration: seconds, steps } }, ...extra });

describe('mcp runner (real servers)', function () {
  this.timeout(60_000);

  it('runs parallel calls concurrently on one connection to one server process', async () => {
    const plan = planOf({ ev: everythingStdio }, [long('a', 1), long('b', 1), long('c', 1), long('d', 1)]);
    let pids = new Set<number>();
    const { record } = await runPlan(plan, { onEvent: (e, s) => { if (e.type === 'started') { const p = s.pidOf('ev'); if (p) pids.add(p); } } });
    assert.equal(record.status, 'succeeded');
    // One connection, opened by the first call; every call overlaps every other one.
    assert.equal(record.connections?.length, 1);
    assert.equal(record.connections?.[0].server, 'ev');
    assert.ok(pids.size <= 1, `one server process, saw ${[...pids].join(', ')}`);
    const spans = record.tools.map((t) => t.attempts[0]);
    for (const x of spans) for (const y of spans) assert.ok(x.startedAt < y.endedAt && y.startedAt < x.endedAt, 'calls overlap');
    assert.equal(record.maxObservedConcurrency, 4);
    assert.match(String(tool(record, 'a').output), /Long running operation completed/);
  });

  it('records the connection as a phase of its own and the progress notifications on the call', async () => {
    const plan = planOf({ ev: everythingStdio }, [long('p', 1, 4)]);
    const { record, events } = await runPlan(plan);
    const c = record.connections?.[0];
    assert.ok(c && c.endedAt > c.startedAt && c.id === 'p' && c.transport === 'stdio' && c.error === null, JSON.stringify(c));
    const p = tool(record, 'p').progress ?? [];
    assert.ok(p.length >= 3, `progress: ${JSON.stringify(p)}`);
    assert.deepEqual(p.map((x) => x.progress).slice(0, 3), [1, 2, 3]);
    assert.ok(p.every((x) => x.total === 4));
    // Progress comes after the connection and inside the call's attempt.
    const a = tool(record, 'p').attempts[0];
    assert.ok(p.every((x) => x.at >= c.endedAt && x.at <= a.endedAt));
    assert.ok(events.some((e) => e.type === 'connected') && events.filter((e) => e.type === 'progress').length === p.length);
  });

  it('structured content is the output, so ${id.output.field} reaches into it', async () => {
    const plan = planOf({ ev: everythingStdio }, [
      { id: 'weather', kind: 'mcp', args: { server: 'ev', tool: 'get-structured-content', input: { location: 'Chicago' } } },
      { id: 'say', kind: 'mcp', dependsOn: ['weather'], args: { server: 'ev', tool: 'echo', input: { message: 'it is ${weather.output.temperature} degrees' } } },
    ]);
    const { record } = await runPlan(plan);
    const out = tool(record, 'weather').output as { temperature: number };
    assert.equal(typeof out.temperature, 'number');
    assert.equal(tool(record, 'say').output, `Echo: it is ${out.temperature} degrees`);
  });

  it('a timeout ends the call (and the server keeps serving the others)', async () => {
    const plan = planOf({ ev: everythingStdio }, [long('slow', 10, 10, { timeoutMs: 1500 }), { id: 'after', kind: 'mcp', dependsOn: [], args: { server: 'ev', tool: 'echo', input: { message: 'still here' } } }]);
    const { record } = await runPlan(plan);
    assert.equal(tool(record, 'slow').status, 'timed-out');
    assert.equal(tool(record, 'slow').error, 'timed out after 1500 ms');
    assert.equal(tool(record, 'after').output, 'Echo: still here');
    assert.ok(record.makespanMs < 9000, `the run did not wait for the 10 s call: ${record.makespanMs}`);
  });

  it('cancelling mid-call cancels the request and still records every tool', async () => {
    const plan = planOf({ ev: everythingStdio }, [long('a', 10, 20), long('b', 10, 20), { id: 'later', kind: 'mcp', dependsOn: ['a'], args: { server: 'ev', tool: 'echo', input: { message: 'x' } } }]);
    const stop = new AbortController();
    let pid: number | undefined;
    const { record } = await runPlan(plan, { signal: stop.signal, onEvent: (e, s) => { if (e.type === 'progress' && !stop.signal.aborted) { pid = s.pidOf('ev'); stop.abort(); } } });
    assert.equal(record.status, 'cancelled');
    assert.deepEqual(record.tools.map((t) => t.status), ['cancelled', 'cancelled', 'cancelled']);
    assert.ok(tool(record, 'a').progress?.length, 'the call was running (it had reported progress)');
    // The session closed with the run: the server process is gone.
    assert.ok(pid !== undefined && (await eventually(() => isGone(pid as number), 3000)), 'no server outlives the run');
  });

  it('a server that dies mid-run fails its in-flight and later calls with the reason; the rest continues', async () => {
    const plan = planOf({ ev: everythingStdio }, [
      long('inflight', 20, 40),
      // Long enough that the server is dead (killed at the in-flight call's first progress) before 'later' starts, even on a loaded machine.
      { id: 'other', kind: 'simulate', args: { durationMs: 6000 } },
      { id: 'later', kind: 'mcp', dependsOn: ['other'], args: { server: 'ev', tool: 'echo', input: { message: 'x' } } },
    ]);
    let killed = false;
    const { record } = await runPlan(plan, {
      onEvent: (e, s) => {
        if (e.type === 'progress' && !killed) {
          killed = true;
          process.kill(s.pidOf('ev') as number, 'SIGKILL');
        }
      },
    });
    assert.equal(tool(record, 'inflight').status, 'failed');
    assert.match(String(tool(record, 'inflight').error), /^MCP server 'ev' was killed by SIGKILL while the call was running/);
    assert.equal(tool(record, 'other').status, 'succeeded');
    assert.equal(tool(record, 'later').status, 'failed');
    assert.match(String(tool(record, 'later').error), /^MCP server 'ev' was killed by SIGKILL; the call was not sent/);
  });

  it('checks the input against the inputSchema before calling, and names unknown tools', async () => {
    const plan = planOf({ ev: everythingStdio }, [
      { id: 'bad', kind: 'mcp', args: { server: 'ev', tool: 'get-sum', input: { a: 'one', b: 2 } } },
      { id: 'missing', kind: 'mcp', args: { server: 'ev', tool: 'echo', input: {} } },
      { id: 'typo', kind: 'mcp', args: { server: 'ev', tool: 'ecko', input: { message: 'x' } } },
      { id: 'noserver', kind: 'mcp', args: { server: 'evv', tool: 'echo', input: { message: 'x' } } },
    ]);
    const { record } = await runPlan(plan);
    assert.equal(tool(record, 'bad').error, "invalid-arguments: input.a must be number (tool 'get-sum' on MCP server 'ev').");
    assert.equal(tool(record, 'missing').error, "invalid-arguments: input.message is required but missing (tool 'echo' on MCP server 'ev').");
    assert.match(String(tool(record, 'typo').error), /^unknown-tool: MCP server 'ev' has no tool 'ecko' — did you mean 'echo'\?/);
    assert.match(String(tool(record, 'noserver').error), /^unknown-tool: there is no MCP server named 'evv' — did you mean 'ev'\?/);
  });

  it('server-filesystem on a temp folder: writes, reads and fails with the server\'s text (isError)', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-mcp-fs-')));
    try {
      writeFileSync(join(dir, 'in.txt'), 'hello from disk');
      const plan = planOf({ fs: filesystemStdio(dir) }, [
        { id: 'read', kind: 'mcp', args: { server: 'fs', tool: 'read_text_file', input: { path: join(dir, 'in.txt') } } },
        { id: 'write', kind: 'mcp', dependsOn: ['read'], args: { server: 'fs', tool: 'write_file', input: { path: join(dir, 'out.txt'), content: 'copied: ${read.output.content}' } } },
        { id: 'outside', kind: 'mcp', args: { server: 'fs', tool: 'read_text_file', input: { path: '/etc/hostname' } } },
      ]);
      const { record } = await runPlan(plan);
      assert.equal(tool(record, 'read').status, 'succeeded', String(tool(record, 'read').error));
      assert.equal(tool(record, 'write').status, 'succeeded', String(tool(record, 'write').error));
      assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'copied: hello from disk');
      assert.equal(tool(record, 'outside').status, 'failed');
      assert.match(String(tool(record, 'outside').error), /access denied|outside allowed/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('server-memory: writes, then a dependent read of the graph, on one connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanout-mcp-mem-'));
    try {
      const entity = (name: string) => ({ entities: [{ name, entityType: 'city', observations: [`${name} was visited`] }] });
      const plan = planOf({ memory: memoryStdio(join(dir, 'memory.jsonl')) }, [
        { id: 'paris', kind: 'mcp', args: { server: 'memory', tool: 'create_entities', input: entity('Paris') } },
        { id: 'rome', kind: 'mcp', dependsOn: ['paris'], args: { server: 'memory', tool: 'create_entities', input: entity('Rome') } },
        { id: 'graph', kind: 'mcp', dependsOn: ['rome'], args: { server: 'memory', tool: 'read_graph', input: {} } },
      ]);
      const { record } = await runPlan(plan);
      assert.equal(record.status, 'succeeded', JSON.stringify(record.tools.map((t) => t.error)));
      const graph = tool(record, 'graph').output as { entities: { name: string }[] };
      assert.deepEqual(graph.entities.map((e) => e.name).sort(), ['Paris', 'Rome']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('Streamable HTTP', () => {
    let server: Awaited<ReturnType<typeof startEverythingHttp>>;
    before(async () => {
      server = await startEverythingHttp();
    });
    after(async () => server.stop());

    it('runs parallel calls on one session, with headers from the environment', async () => {
      process.env.FANOUT_TEST_MCP_TOKEN = 'secret-token';
      const plan = planOf({ ev: { url: server.url, headers: { Authorization: 'Bearer ${env:FANOUT_TEST_MCP_TOKEN}' } } }, [long('a', 1, 2), long('b', 1, 2), long('c', 1, 2)]);
      const { record } = await runPlan(plan);
      assert.equal(record.status, 'succeeded', JSON.stringify(record.tools.map((t) => t.error)));
      assert.equal(record.connections?.length, 1);
      assert.equal(record.connections?.[0].transport, 'http');
      const spans = record.tools.map((t) => t.attempts[0]);
      for (const x of spans) for (const y of spans) assert.ok(x.startedAt < y.endedAt && y.startedAt < x.endedAt, 'calls overlap');
      assert.ok((tool(record, 'a').progress ?? []).length >= 1, 'progress over HTTP');
    });

    it('cancelling aborts the HTTP request mid-call; a timeout too', async () => {
      const plan = planOf({ ev: { url: server.url } }, [long('c', 10, 20), long('t', 10, 20, { timeoutMs: 1200 })]);
      const stop = new AbortController();
      const { record } = await runPlan(plan, { signal: stop.signal, onEvent: (e) => { if (e.type === 'attempt-failed' && e.id === 't') stop.abort(); } });
      assert.equal(tool(record, 't').status, 'timed-out');
      assert.equal(tool(record, 'c').status, 'cancelled');
      assert.ok(record.makespanMs < 8000, String(record.makespanMs));
    });

    it('a server that dies mid-call fails the in-flight and later calls with a clear reason; the rest continues', async () => {
      const own = await startEverythingHttp();
      try {
        const plan = planOf({ ev: { url: own.url } }, [
          long('inflight', 20, 40),
          { id: 'other', kind: 'simulate', args: { durationMs: 1500 } },
          { id: 'later', kind: 'mcp', dependsOn: ['other'], args: { server: 'ev', tool: 'echo', input: { message: 'x' } } },
          { id: 'after', kind: 'simulate', dependsOn: ['inflight'], args: { durationMs: 1 } },
        ]);
        let killed = false;
        const { record } = await runPlan(plan, {
          onEvent: (e) => {
            if (e.type === 'progress' && !killed) {
              killed = true;
              own.child.kill('SIGKILL');
            }
          },
        });
        assert.ok(killed, 'the call reported progress before the kill');
        const lost = `the connection to MCP server 'ev' (${own.url}) was lost (its response stream broke: the server closed the connection in the middle of the answer`;
        assert.equal(tool(record, 'inflight').status, 'failed');
        assert.ok(String(tool(record, 'inflight').error).startsWith(lost), String(tool(record, 'inflight').error));
        assert.match(String(tool(record, 'inflight').error), /\) while the call was running\.$/);
        assert.equal(tool(record, 'other').status, 'succeeded');
        assert.equal(tool(record, 'later').status, 'failed');
        assert.ok(String(tool(record, 'later').error).startsWith(lost), String(tool(record, 'later').error));
        assert.match(String(tool(record, 'later').error), /\); the call was not sent\.$/);
        assert.equal(tool(record, 'after').status, 'skipped');
        assert.equal(tool(record, 'after').error, "dependency 'inflight' failed");
      } finally {
        await own.stop();
      }
    });

    it('an unset ${env:…} in a header fails the calls with the variable named', async () => {
      delete process.env.FANOUT_TEST_MCP_UNSET;
      const plan = planOf({ ev: { url: server.url, headers: { Authorization: '${env:FANOUT_TEST_MCP_UNSET}' } } }, [long('a', 1)]);
      const { record } = await runPlan(plan);
      assert.match(String(tool(record, 'a').error), /FANOUT_TEST_MCP_UNSET is not set in the environment/);
      assert.match(String(record.connections?.[0].error), /FANOUT_TEST_MCP_UNSET/);
    });
  });

  it('a protocol error (a JSON-RPC error, not isError) fails the call with the server\'s text', async () => {
    const plan = planOf({ pe: { command: process.execPath, args: [join(__dirname, 'fixtures/protocol-error-server.cjs')] } },
      [{ id: 'x', kind: 'mcp', args: { server: 'pe', tool: 'refuse', input: {} } }]);
    const { record } = await runPlan(plan);
    assert.equal(tool(record, 'x').status, 'failed');
    assert.match(String(tool(record, 'x').error), /MCP error -32600: refuse is out of service today/);
  });

  it('a stdio server ends with its whole process group when the run ends: a child it started is gone too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanout-mcp-group-'));
    try {
      const pidFile = join(dir, 'child.pid');
      // The server starts a child of its own (as wrappers like npx do), then becomes the server.
      const script = `sleep 300 & echo $! > ${JSON.stringify(pidFile)}; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(EVERYTHING)} stdio`;
      const plan = planOf({ ev: { command: 'sh', args: ['-c', script] } }, [{ id: 'echo', kind: 'mcp', args: { server: 'ev', tool: 'echo', input: { message: 'hi' } } }]);
      let child = 0;
      const { record } = await runPlan(plan, { onEvent: (e) => { if (e.type === 'succeeded') child = Number(readFileSync(pidFile, 'utf8').trim()); } });
      assert.equal(tool(record, 'echo').status, 'succeeded', tool(record, 'echo').error ?? '');
      assert.ok(child > 0, 'the server wrote its child\'s pid');
      assert.ok(await eventually(() => isGone(child), 3000), `the server's child ${child} outlived the run`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a server that cannot start fails its calls with a clear reason', async () => {
    const plan = planOf({ nope: { command: '/no/such/mcp-server' } }, [{ id: 'x', kind: 'mcp', args: { server: 'nope', tool: 't', input: {} } }]);
    const { record } = await runPlan(plan);
    assert.match(String(tool(record, 'x').error), /MCP server 'nope' .* could not be started: '\/no\/such\/mcp-server' was not found/);
  });
});
