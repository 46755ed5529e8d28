import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, collect, FIXTURES, json, ROOT, runCli, startCli } from './helpers';

interface ToolJson {
  id: string;
  status: string;
  queuedAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  attempts: { startedAt: number; endedAt: number; error: string | null }[];
  output: unknown;
  error: string | null;
}

const RECORD_KEYS = ['status', 'makespanMs', 'sequentialMs', 'criticalPathMs', 'lowerBoundMs', 'maxObservedConcurrency', 'tools'];
const TOOL_KEYS = ['id', 'status', 'queuedAt', 'startedAt', 'endedAt', 'attempts', 'output', 'error'];

function assertRecordShape(o: Record<string, unknown>): ToolJson[] {
  for (const k of RECORD_KEYS) assert.ok(k in o, `record misses ${k}`);
  const tools = o.tools as ToolJson[];
  for (const t of tools) for (const k of TOOL_KEYS) assert.ok(k in t, `tool ${t.id} misses ${k}`);
  return tools;
}

describe('cli: simulate and run (real process)', function () {
  this.timeout(60_000);
  before(() => buildOnce());

  it('simulate --json prints the run record with the makespan the scheduler achieves', async () => {
    const r = await runCli(['simulate', 'fanout.toolplan.json', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const o = json(r);
    const tools = assertRecordShape(o);
    assert.equal(o.status, 'succeeded');
    // cap 3, longest-path first: search 0–300, weather 0–200, news 0–100, stocks 100–200, summary 300–350.
    assert.equal(o.makespanMs, 350);
    assert.equal(o.sequentialMs, 750);
    assert.equal(o.criticalPathMs, 350);
    assert.equal(o.maxObservedConcurrency, 3);
    assert.deepEqual(tools.map((t) => t.id), ['search', 'weather', 'news', 'stocks', 'summary']);
    const summary = tools[4];
    assert.deepEqual([summary.startedAt, summary.endedAt], [300, 350]);
    assert.equal(summary.output, 'x', 'the reference was resolved from search.output.q');
    const serial = json(await runCli(['simulate', 'fanout.toolplan.json', '--json', '--max-concurrency', '1']));
    assert.equal(serial.makespanMs, 750);
  });

  it('simulate --cores N: cpu tools share N cores', async () => {
    const sample = join(ROOT, 'lessons', 'samples', 'cpu-oversubscribed.toolplan.json');
    const on4 = await runCli(['simulate', sample, '--json', '--cores', '4']);
    assert.equal(on4.code, 0, on4.stderr);
    const r4 = json(on4);
    assert.equal(r4.makespanMs, 800);
    assert.deepEqual((r4.tools as ToolJson[]).map((t) => t.endedAt), Array(8).fill(800));
    assert.equal(json(await runCli(['simulate', sample, '--json', '--cores', '8'])).makespanMs, 400);
    const bad = await runCli(['simulate', sample, '--cores', '0']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /'--cores' needs a whole number of at least 1/);
  });

  it('simulate prints a timeline by default and writes a trace on request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanout-cli-'));
    try {
      const r = await runCli(['simulate', join(FIXTURES, 'fanout.toolplan.json'), '--trace', 'sim.trace.json'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Fan-out and join — simulated succeeded in 350 ms$/m);
      assert.match(r.stdout, /^✓ summary +│ +█+│ 50 ms$/m);
      assert.match(r.stdout, /makespan 350 ms/);
      const trace = JSON.parse(readFileSync(join(dir, 'sim.trace.json'), 'utf8')) as { traceEvents: { ph: string; name: string }[] };
      assert.equal(trace.traceEvents.filter((e) => e.ph === 'X' && !e.name.includes('(queued)')).length, 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an invalid plan is exit 2 with file:line:column diagnostics on stderr', async () => {
    for (const cmd of ['simulate', 'run']) {
      const r = await runCli([cmd, 'cycle.toolplan.yaml', '--json']);
      assert.equal(r.code, 2, cmd);
      // --json keeps stdout machine-readable: the errors, shaped as in analyze --json.
      assert.equal(json(r).valid, false);
      assert.match(r.stderr, /^cycle\.toolplan\.yaml:\d+:\d+ error cycle Dependency cycle: /m);
      const missing = await runCli([cmd, 'missing.toolplan.json']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /^missing\.toolplan\.json:1:1 error parse-error /m);
    }
  });

  it('run: a failing tool is exit 1, its dependents are skipped, and --trace is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanout-cli-'));
    try {
      const r = await runCli(['run', join(FIXTURES, 'failing.toolplan.json'), '--json', '--trace', join(dir, 'out.json')]);
      assert.equal(r.code, 1, r.stderr);
      const o = json(r);
      const tools = assertRecordShape(o);
      assert.equal(o.status, 'failed');
      const by = Object.fromEntries(tools.map((t) => [t.id, t]));
      assert.equal(by.ok.status, 'succeeded');
      assert.equal(by.broken.status, 'failed');
      assert.match(by.broken.error ?? '', /upstream said no/);
      assert.equal(by.after.status, 'skipped');
      assert.equal(by.last.status, 'skipped');
      assert.equal(by.after.startedAt, null);
      const trace = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { traceEvents: { ph: string; name: string; args?: Record<string, unknown> }[] };
      const broken = trace.traceEvents.find((e) => e.ph === 'X' && e.name === 'broken');
      assert.equal(broken?.args?.status, 'failed');
      assert.ok(trace.traceEvents.some((e) => e.ph === 'i' && e.name === 'after (skipped)'));
      assert.ok(!existsSync(join(dir, '.out.json.tmp')), 'no temporary file left behind');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('run: shell commands run from the plan file directory, and success is exit 0', async () => {
    const r = await runCli(['run', 'test/unit/cli/fixtures/shell.toolplan.json', '--json'], { cwd: ROOT });
    assert.equal(r.code, 0, r.stderr);
    const tools = assertRecordShape(json(r));
    assert.equal(tools[0].output, 'marker from the plan directory');
  });

  it('run: a --trace path in a missing directory is exit 2 before anything runs', async () => {
    const r = await runCli(['run', 'fanout.toolplan.json', '--trace', 'no/such/dir/t.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /does not exist/);
    assert.equal(r.stdout, '');
  });

  it('run: SIGINT cancels running tools, prints the record with every final state, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanout-sigint-'));
    try {
      writeFileSync(join(dir, 'long.toolplan.json'), JSON.stringify({
        name: 'Interrupted',
        tools: [
          { id: 'sleeper', kind: 'shell', timeoutMs: 60000, args: { command: 'touch started.flag; sleep 30' } },
          { id: 'slow', kind: 'simulate', args: { durationMs: 30000 } },
          { id: 'after', kind: 'simulate', dependsOn: ['slow'], args: { durationMs: 10 } },
        ],
      }));
      const child = startCli(['run', 'long.toolplan.json', '--json', '--trace', 'int.trace.json'], { cwd: dir });
      const done = collect(child);
      // Wait until the shell tool has really started (it touches a file), then interrupt.
      const flag = join(dir, 'started.flag');
      for (let i = 0; i < 300 && !existsSync(flag); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(existsSync(flag), 'the run started');
      child.kill('SIGINT');
      const r = await done;
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /interrupted \(SIGINT\)/);
      const o = json(r);
      const tools = assertRecordShape(o);
      assert.equal(o.status, 'cancelled');
      const by = Object.fromEntries(tools.map((t) => [t.id, t]));
      assert.equal(by.sleeper.status, 'cancelled');
      assert.equal(by.slow.status, 'cancelled');
      assert.ok(['cancelled', 'skipped'].includes(by.after.status), by.after.status);
      for (const t of tools) assert.notEqual(t.endedAt, null, `${t.id} has a final time`);
      assert.ok((o.makespanMs as number) < 25_000, 'did not wait for the 30 s tools');
      const trace = JSON.parse(readFileSync(join(dir, 'int.trace.json'), 'utf8')) as { traceEvents: { ph: string; name: string; args?: Record<string, unknown> }[] };
      assert.equal(trace.traceEvents.find((e) => e.ph === 'X' && e.name === 'sleeper')?.args?.status, 'cancelled');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
