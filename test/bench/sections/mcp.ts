// Section: MCP servers (issue 15). Against a real server-everything over stdio:
// 1. per-call overhead of Fanout's mcp runner (engine + Ajv input check + the runner) against the
//    raw SDK client, on the same connection, sequential echo calls. Two baselines: callTool with
//    the options Fanout needs (an AbortSignal for cancellation, onprogress) — like for like, the
//    target ≤ 1.1× — and a plain callTool, whose gap is what those two SDK options cost;
// 2. eight 1 s calls (trigger-long-running-operation) at cap 8 on one server, against the same
//    eight one at a time: the shared client really runs them concurrently.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { createRealClock } from '../../../src/core/engine/clock';
import { execute } from '../../../src/core/engine/execute';
import { parsePlan } from '../../../src/core/plan/parse';
import type { McpServerConfig, Plan } from '../../../src/core/plan/types';
import { createMcpRunner } from '../../../src/core/tools/mcp/runner';
import { McpSession } from '../../../src/core/tools/mcp/session';
import { fx, ms, table, tick, type BenchContext, type SectionResult, type Target } from '../report';
import { median, round } from '../stats';

function planOf(server: McpServerConfig, tools: unknown[], maxConcurrency: number): Plan {
  const r = parsePlan(JSON.stringify({ maxConcurrency, mcpServers: { ev: server }, tools }), { fileName: 'bench.toolplan.json' });
  if (!r.plan) throw new Error('mcp bench: plan did not parse');
  return r.plan;
}

export async function mcpSection(ctx: BenchContext): Promise<SectionResult> {
  const server: McpServerConfig = { command: process.execPath, args: [join(ctx.root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'] };
  const session = new McpSession({ ev: server }, { expand: { env: process.env }, cwd: ctx.root });
  const runner = createMcpRunner(session);
  try {
    const { conn } = await session.connect('ev');
    const calls = ctx.quick ? 100 : 400;
    const rounds = ctx.quick ? 3 : 9;
    const echo = (k: number) => ({ id: `e${k}`, kind: 'mcp', args: { server: 'ev', tool: 'echo', input: { message: `call ${k}` } } });
    const chain = planOf(server, Array.from({ length: calls }, (_, k) => echo(k)), 1);
    // Warm both paths (JIT, Ajv compilation, the server's own caches).
    for (let k = 0; k < 20; k++) await conn.client.callTool({ name: 'echo', arguments: { message: 'warm' } });
    await execute(planOf(server, [echo(0), echo(1)], 1), { runners: { mcp: runner }, clock: createRealClock() });
    const raw: number[] = [];
    const plain: number[] = [];
    const fanout: number[] = [];
    const ratios: number[] = [];
    const plainRatios: number[] = [];
    const planning: number[] = [];
    for (let r = 0; r < rounds; r++) {
      ctx.progress(`mcp: overhead round ${r + 1}/${rounds} (${calls} echo calls each way)`);
      // Interleaved, so drift in machine load hits both sides alike.
      let t0 = performance.now();
      for (let k = 0; k < calls; k++) await conn.client.callTool({ name: 'echo', arguments: { message: `call ${k}` } });
      plain.push((performance.now() - t0) / calls);
      t0 = performance.now();
      for (let k = 0; k < calls; k++) {
        await conn.client.callTool({ name: 'echo', arguments: { message: `call ${k}` } }, undefined, { signal: new AbortController().signal, onprogress: () => undefined });
      }
      raw.push((performance.now() - t0) / calls);
      // Per call: the run's makespan, from its start (after planning the graph and priority, once
      // per run, reported apart) to its end.
      t0 = performance.now();
      const rec = await execute(chain, { runners: { mcp: runner }, clock: createRealClock() });
      if (rec.status !== 'succeeded') throw new Error(`mcp bench: ${rec.tools.find((t) => t.error)?.error}`);
      fanout.push(rec.makespanMs / calls);
      planning.push(performance.now() - t0 - rec.makespanMs);
      ratios.push(fanout[r] / raw[r]);
      plainRatios.push(fanout[r] / plain[r]);
    }
    const plainMs = median(plain);
    const plainOverhead = median(plainRatios);
    const rawMs = median(raw);
    const fanoutMs = median(fanout);
    // The median of per-round ratios: each round's two sides ran back to back, under the same load.
    const overhead = median(ratios);

    const second = (k: number) => ({ id: `op${k}`, kind: 'mcp', args: { server: 'ev', tool: 'trigger-long-running-operation', input: { duration: 1, steps: 1 } } });
    const eight = Array.from({ length: 8 }, (_, k) => second(k));
    ctx.progress('mcp: eight 1 s calls at cap 8');
    const parallel = await execute(planOf(server, eight, 8), { runners: { mcp: runner }, clock: createRealClock() });
    ctx.progress('mcp: eight 1 s calls one at a time');
    const sequential = await execute(planOf(server, eight, 1), { runners: { mcp: runner }, clock: createRealClock() });
    for (const rec of [parallel, sequential]) if (rec.status !== 'succeeded') throw new Error(`mcp bench: ${rec.tools.find((t) => t.error)?.error}`);
    const speedup = sequential.makespanMs / parallel.makespanMs;
    const targets: Target[] = [
      { section: 'mcp', name: 'mcp runner per-call time ÷ raw SDK client (same options)', target: '≤ 1.1', value: round(overhead, 3), unit: '×', met: overhead <= 1.1 },
      { section: 'mcp', name: 'eight 1 s calls: sequential ÷ cap 8', target: '≥ 7', value: round(speedup, 2), unit: '×', met: speedup >= 7 },
    ];
    const lines = [
      ...table(['measure', 'raw SDK client', 'Fanout mcp runner', 'ratio'], [
        [`per echo call, SDK with signal + onprogress (median of ${rounds} × ${calls})`, ms(rawMs, 3), ms(fanoutMs, 3), `${fx(overhead, 3)}×`],
        ['per echo call, plain SDK callTool', ms(plainMs, 3), ms(fanoutMs, 3), `${fx(plainOverhead, 3)}×`],
        [`planning, once per run of ${calls} calls`, '—', ms(median(planning), 1), '—'],
        ['eight 1 s calls', `sequential ${ms(sequential.makespanMs, 0)}`, `cap 8 ${ms(parallel.makespanMs, 0)}`, `${fx(speedup, 2)}×`],
      ]),
      `one connection for all calls (connect ${ms(conn.connectMs, 0)}); overhead ${tick(overhead <= 1.1)} (≤ 1.1×), concurrency ${tick(speedup >= 7)} (≥ 7×)`,
    ];
    return {
      key: 'mcp',
      title: 'MCP servers: runner overhead and concurrent calls on one stdio server',
      json: { planningMs: round(median(planning), 2), plainPerCallMs: round(plainMs, 4), plainOverhead: round(plainOverhead, 4), rawPerCallMs: round(rawMs, 4), fanoutPerCallMs: round(fanoutMs, 4), overhead: round(overhead, 4), calls, rounds, parallelMs: round(parallel.makespanMs, 1), sequentialMs: round(sequential.makespanMs, 1), speedup: round(speedup, 3), connectMs: round(conn.connectMs, 1) },
      lines,
      targets,
    };
  } finally {
    await session.close();
  }
}
