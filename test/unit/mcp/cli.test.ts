// `--mcp-config` and the mcp kind through the built CLI (a real process), against real servers.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, collect, json, runCli, startCli } from '../cli/helpers';
import { eventually } from '../tools/helpers';
import { EVERYTHING, MEMORY, processesMatching } from './servers';

describe('cli: MCP servers (real processes)', function () {
  this.timeout(90_000);
  let dir: string;
  before(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'fanout-mcp-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
    return path;
  };
  const vscodeConfig = (extra: Record<string, unknown> = {}) => write('mcp.json', `{
    // VS Code's .vscode/mcp.json shape: "servers", with a type
    "servers": {
      "everything": { "type": "stdio", "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(EVERYTHING)}, "stdio"] },
      "memory": { "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(MEMORY)}], "env": { "MEMORY_FILE_PATH": ${JSON.stringify(join(dir, 'memory.jsonl'))} } }
    }${Object.keys(extra).length ? `, ${JSON.stringify(extra).slice(1, -1)}` : ''}
  }`);

  it('binds an imported OpenAI batch through an mcp.json and runs the bound calls for real', async () => {
    const config = vscodeConfig();
    const batch = write('openai.json', {
      role: 'assistant',
      tool_calls: [
        { id: 'call_echo', type: 'function', function: { name: 'echo', arguments: '{"message":"hi"}' } },
        { id: 'call_sum', type: 'function', function: { name: 'get-sum', arguments: '{"a":2,"b":3}' } },
        { id: 'call_graph', type: 'function', function: { name: 'read_graph', arguments: '{}' } },
        { id: 'call_web', type: 'function', function: { name: 'web_search', arguments: '{"q":"x"}' } },
      ],
    });
    const r = await runCli(['run', batch, '--json', '--mcp-config', config], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const o = json(r) as { status: string; tools: { id: string; output: unknown }[]; connections: { server: string; startedAt: number; endedAt: number }[] };
    const out = Object.fromEntries(o.tools.map((t) => [t.id, t.output]));
    assert.equal(out.call_echo, 'Echo: hi');
    assert.match(String(out.call_sum), /5/);
    assert.deepEqual(out.call_graph, { entities: [], relations: [] });
    // Not offered by any server: still a simulation.
    assert.equal(out.call_web, null);
    // The servers were listed (connected) before the run: their phases end at or before 0.
    assert.deepEqual(o.connections.map((c) => c.server).sort(), ['everything', 'memory']);
    assert.ok(o.connections.every((c) => c.startedAt < c.endedAt && c.endedAt <= 0), JSON.stringify(o.connections));
  });

  it('analyze --mcp-config: unknown-tool and invalid-arguments are errors at the call', async () => {
    const config = vscodeConfig();
    const plan = write('bad.toolplan.yaml', [
      'name: Bad calls',
      'tools:',
      '  - id: typo',
      '    kind: mcp',
      '    args: { server: everything, tool: ecko, input: { message: hi } }',
      '  - id: wrong',
      '    kind: mcp',
      '    args:',
      '      server: everything',
      '      tool: get-sum',
      '      input: { a: one, b: 2 }',
      '  - id: fine',
      '    kind: mcp',
      '    args: { server: everything, tool: echo, input: { message: "${wrong.output}" } }',
      '    dependsOn: [wrong]',
      '',
    ].join('\n'));
    const r = await runCli(['analyze', plan, '--json', '--mcp-config', config], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    const o = json(r) as { valid: boolean; diagnostics: { code: string; severity: string; line: number; column: number; message: string; tools: string[] }[] };
    assert.equal(o.valid, false);
    const typo = o.diagnostics.find((d) => d.code === 'unknown-tool');
    assert.ok(typo, JSON.stringify(o.diagnostics));
    assert.deepEqual([typo.line, typo.tools], [5, ['typo']]);
    assert.match(typo.message, /MCP server 'everything' has no tool 'ecko' — did you mean 'echo'\?/);
    const wrong = o.diagnostics.find((d) => d.code === 'invalid-arguments');
    assert.ok(wrong);
    assert.deepEqual([wrong.line, wrong.tools], [9, ['wrong']]);
    assert.match(wrong.message, /input\.a must be number/);
    // A reference is checked when the call starts, not now.
    assert.ok(!o.diagnostics.some((d) => d.tools.includes('fine') && d.severity === 'error'));
    // Without the config the same plan cannot know the tools: no such errors (its server is unknown).
    const bare = await runCli(['analyze', plan, '--json'], { cwd: dir });
    assert.ok(!(json(bare).diagnostics as { code: string }[]).some((d) => d.code === 'invalid-arguments'));
  });

  it('a name two servers offer binds to the first with a warning; server.tool picks one', async () => {
    const config = write('two.json', { mcpServers: {
      one: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
      two: { command: process.execPath, args: [EVERYTHING, 'stdio'] },
    } });
    const batch = write('anthropic.json', { role: 'assistant', content: [
      { type: 'tool_use', id: 'toolu_a', name: 'echo', input: { message: 'a' } },
      { type: 'tool_use', id: 'toolu_b', name: 'two.echo', input: { message: 'b' } },
    ] });
    const a = json(await runCli(['analyze', batch, '--json', '--mcp-config', config], { cwd: dir })) as { diagnostics: { code: string; severity: string; message: string }[] };
    const amb = a.diagnostics.filter((d) => d.code === 'ambiguous-tool');
    assert.equal(amb.length, 1, JSON.stringify(a.diagnostics));
    assert.equal(amb[0].severity, 'warning');
    assert.match(amb[0].message, /is a tool of 'one' and 'two': it runs on 'one'.*'two\.echo'/);
    const r = await runCli(['run', batch, '--json', '--mcp-config', config], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((json(r).tools as { output: unknown }[]).map((t) => t.output), ['Echo: a', 'Echo: b']);
  });

  it('refuses an mcp.json with input prompts, naming the way out', async () => {
    const config = write('prompts.json', {
      inputs: [{ type: 'promptString', id: 'api-key', description: 'API key', password: true }],
      servers: { remote: { type: 'http', url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer ${input:api-key}' } } },
    });
    const r = await runCli(['run', write('p.toolplan.json', { tools: [{ id: 'x', kind: 'simulate', args: { durationMs: 1 } }] }), '--mcp-config', config], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /uses \$\{input:api-key\}, an input prompt only VS Code can show\. Outside VS Code put the value in an environment variable and write \$\{env:NAME\} instead\./);
  });

  it('--json with an unusable config still prints one object, and --trace holds the connection and progress', async () => {
    const bad = await runCli(['analyze', write('ok.toolplan.json', { tools: [{ id: 'x', kind: 'simulate', args: { durationMs: 1 } }] }), '--json', '--mcp-config', 'missing.json'], { cwd: dir });
    assert.equal(bad.code, 2);
    const o = json(bad) as { valid: boolean; diagnostics: { code: string; message: string }[] };
    assert.equal(o.valid, false);
    assert.equal(o.diagnostics[0].code, 'parse-error');
    assert.match(o.diagnostics[0].message, /The MCP config 'missing\.json' does not exist/);
    const plan = write('progress.toolplan.json', {
      mcpServers: { ev: { command: process.execPath, args: [EVERYTHING, 'stdio'] } },
      tools: [{ id: 'op', kind: 'mcp', timeoutMs: 20000, args: { server: 'ev', tool: 'trigger-long-running-operation', input: { duration: 1, steps: 3 } } }],
    });
    const r = await runCli(['run', plan, '--trace', 'out.trace.json', '--approve', 'all'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /◌/);
    assert.match(r.stdout, /progress \d\/3/);
    assert.match(r.stdout, /MCP connections: ev \(stdio\) .* by op/);
    const trace = JSON.parse(readFileSync(join(dir, 'out.trace.json'), 'utf8')) as { traceEvents: { cat?: string; name: string }[] };
    assert.ok(trace.traceEvents.some((e) => e.cat === 'mcp-connect' && e.name === 'connect ev'));
    assert.ok(trace.traceEvents.filter((e) => e.cat === 'progress').length >= 2);
  });

  it("the course's MCP samples run for real on their servers: four overlapping calls on one connection, with progress (mcp-everything), and mcp-filesystem", async () => {
    const root = join(__dirname, '../../..');
    const r = await runCli(['run', 'lessons/samples/mcp-everything.toolplan.yaml', '--approve', 'all', '--json'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    type T = { id: string; status: string; attempts: { startedAt: number; endedAt: number }[]; progress?: { progress: number; total?: number }[] };
    const o = json(r) as { status: string; tools: T[]; connections?: { server: string }[]; maxObservedConcurrency: number };
    assert.deepEqual(o.tools.map((t) => `${t.id} ${t.status}`), ['slow succeeded', 'medium succeeded', 'sum succeeded', 'echo succeeded', 'report succeeded']);
    assert.deepEqual(o.connections?.map((c) => c.server), ['everything'], 'one connection for the four calls');
    assert.equal(o.maxObservedConcurrency, 4);
    const slow = o.tools[0];
    assert.ok((slow.progress ?? []).length >= 3 && slow.progress?.every((p) => p.total === 5), JSON.stringify(slow.progress));
    const fs = await runCli(['run', 'lessons/samples/mcp-filesystem.toolplan.yaml', '--approve', 'all', '--json'], { cwd: root });
    assert.equal(fs.code, 0, fs.stderr);
    assert.equal((json(fs) as { status: string }).status, 'succeeded');
  });

  it("--approve read-only without --mcp-config: the plan's own servers are listed first (one connection), so calls the server marks readOnlyHint run and the others are denied", async () => {
    const plan = write('readonly.toolplan.json', {
      mcpServers: { ev: { command: process.execPath, args: [EVERYTHING, 'stdio'] } },
      tools: [
        { id: 'echo', kind: 'mcp', args: { server: 'ev', tool: 'echo', input: { message: 'hi' } } },
        { id: 'sum', kind: 'mcp', args: { server: 'ev', tool: 'get-sum', input: { a: 2, b: 3 } } },
        // readOnlyHint: false on the server: denied, and so is its dependent's start.
        { id: 'toggle', kind: 'mcp', args: { server: 'ev', tool: 'toggle-simulated-logging', input: {} } },
        { id: 'after', kind: 'simulate', dependsOn: ['toggle'], args: { durationMs: 1 } },
      ],
    });
    const r = await runCli(['run', plan, '--approve', 'read-only', '--json'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    type T = { id: string; status: string; output?: unknown; error?: string };
    const o = json(r) as { tools: T[]; connections?: { server: string; endedAt: number; id?: string }[] };
    assert.deepEqual(o.tools.map((t) => `${t.id} ${t.status}`), ['echo succeeded', 'sum succeeded', 'toggle denied', 'after skipped']);
    assert.equal(o.tools[0].output, 'Echo: hi');
    assert.match(String(o.tools[2].error), /denied by --approve read-only/);
    // Listed before the run on the client the calls then used: one connection, before the start.
    assert.deepEqual(o.connections?.map((c) => c.server), ['ev'], JSON.stringify(o.connections));
    assert.ok((o.connections?.[0].endedAt ?? 1) <= 0 && o.connections?.[0].id === undefined, JSON.stringify(o.connections));

    // No terminal and no --approve: a plan whose calls the server marks read-only is not refused;
    // one with a call that is not is refused, naming only that call.
    const reads = write('reads.toolplan.json', {
      mcpServers: { ev: { command: process.execPath, args: [EVERYTHING, 'stdio'] } },
      tools: [{ id: 'echo', kind: 'mcp', args: { server: 'ev', tool: 'echo', input: { message: 'hi' } } }],
    });
    const ok = await runCli(['run', reads, '--json'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    const refused = await runCli(['run', plan], { cwd: dir });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /1 call needs approval \(toggle: toggle-simulated-logging on MCP server 'ev'\) and there is no terminal/);
  });

  it('SIGINT during a run cancels the calls, reports, and leaves no server process behind', async () => {
    const marker = `fanout-sigint-${process.pid}-${Date.now()}`;
    const plan = write('long.toolplan.json', {
      mcpServers: { ev: { command: process.execPath, args: [EVERYTHING, 'stdio', marker] } },
      tools: [1, 2, 3].map((n) => ({ id: `op${n}`, kind: 'mcp', args: { server: 'ev', tool: 'trigger-long-running-operation', input: { duration: 30, steps: 30 } } })),
    });
    const child = startCli(['run', plan, '--json', '--approve', 'all'], { cwd: dir });
    const done = collect(child);
    assert.ok(await eventually(() => processesMatching(marker).length > 0, 15000), 'the server started');
    await new Promise((r) => setTimeout(r, 1500)); // the calls are in flight
    child.kill('SIGINT');
    const r = await done;
    assert.equal(r.code, 1, r.stderr);
    const o = json(r) as { status: string; tools: { status: string }[] };
    assert.equal(o.status, 'cancelled');
    assert.deepEqual(o.tools.map((t) => t.status), ['cancelled', 'cancelled', 'cancelled']);
    assert.ok(await eventually(() => processesMatching(marker).length === 0, 3000), `left behind: ${processesMatching(marker).join(', ')}`);
  });
});
