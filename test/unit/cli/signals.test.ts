import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, collect, json, startCli } from './helpers';
import { EVERYTHING, processesMatching } from '../mcp/servers';
import { eventually } from '../tools/helpers';

// Issue 12: a signal to `fanout run` (Ctrl-C, `kill`, a service manager) cancels every running
// tool, still prints the record and writes the trace with every tool's final state, exits
// 128 + the signal number, and leaves no child or grandchild behind: a shell tool's background
// jobs, one that ignores SIGTERM, and a stdio MCP server.
describe('cli: SIGINT and SIGTERM during run (real process, real child trees)', function () {
  this.timeout(90_000);
  let dir: string;
  before(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'fanout-signals-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: every tool cancelled, record and trace complete, exit 1, nothing left running`, async () => {
      // Unique sleep lengths mark this test's processes in /proc.
      const mark = `${process.pid % 1000}.${Date.now() % 100000}${code}`;
      const sleeps = [`sleep 1${mark}`, `sleep 2${mark}`, `sleep 3${mark}`];
      const serverMark = `fanout-signal-${mark}`;
      const file = join(dir, `${signal}.toolplan.json`);
      writeFileSync(file, JSON.stringify({
        name: `stopped by ${signal}`,
        mcpServers: { ev: { command: process.execPath, args: [EVERYTHING, 'stdio', serverMark] } },
        tools: [
          // A child in the background, a grandchild that ignores SIGTERM (SIGKILL after the
          // grace period must reach it), and the foreground sleep.
          { id: 'tree', kind: 'shell', timeoutMs: 60000, args: { command: `${sleeps[0]} & (trap '' TERM; exec ${sleeps[1]}) >/dev/null 2>&1 & touch ${signal}.flag; ${sleeps[2]}` } },
          { id: 'op', kind: 'mcp', timeoutMs: 60000, args: { server: 'ev', tool: 'trigger-long-running-operation', input: { duration: 30, steps: 30 } } },
          { id: 'slow', kind: 'simulate', args: { durationMs: 30000 } },
          { id: 'after', kind: 'simulate', dependsOn: ['slow'], args: { durationMs: 10 } },
        ],
      }));
      const child = startCli(['run', file, '--approve', 'all', '--json', '--trace', `${signal}.trace.json`], { cwd: dir });
      const done = collect(child);
      assert.ok(await eventually(() => existsSync(join(dir, `${signal}.flag`)) && processesMatching(serverMark).length > 0 &&
        sleeps.every((s) => processesMatching(s).length > 0), 20000), 'the shell tree and the MCP server are running');
      await new Promise((r) => setTimeout(r, 500)); // the MCP call is in flight
      child.kill(signal);
      const r = await done;
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`interrupted \\(${signal}\\); running tools were cancelled`));
      const o = json(r) as { status: string; tools: { id: string; status: string; endedAt: number | null }[] };
      assert.equal(o.status, 'cancelled');
      const by = Object.fromEntries(o.tools.map((t) => [t.id, t.status]));
      assert.deepEqual({ tree: by.tree, op: by.op, slow: by.slow }, { tree: 'cancelled', op: 'cancelled', slow: 'cancelled' });
      assert.ok(['cancelled', 'skipped'].includes(by.after), by.after);
      for (const t of o.tools) assert.notEqual(t.endedAt, null, `${t.id} has a final time`);
      const trace = JSON.parse(readFileSync(join(dir, `${signal}.trace.json`), 'utf8')) as { traceEvents: { ph: string; name: string; args?: Record<string, unknown> }[] };
      for (const id of ['tree', 'op', 'slow']) assert.equal(trace.traceEvents.find((e) => e.ph === 'X' && e.name === id)?.args?.status, 'cancelled', id);
      // The CLI has exited: whatever it started must be gone too (or be a zombie nobody waits for).
      const left = (): number[] => [...sleeps, serverMark].flatMap((s) => processesMatching(s));
      assert.ok(await eventually(() => left().length === 0, 3000), `left behind: ${left().join(', ')}`);
    });
  }

  it('a second signal while the run winds down stops at once, still killing every process group', async () => {
    const mark = `${process.pid % 1000}.${Date.now() % 100000}9`;
    const file = join(dir, 'twice.toolplan.json');
    // The grandchild ignores SIGTERM, so winding down waits for the grace period; the second
    // signal does not.
    writeFileSync(file, JSON.stringify({ tools: [{ id: 'stubborn', kind: 'shell', timeoutMs: 60000, args: { command: `(trap '' TERM; exec sleep 4${mark}) & touch twice.flag; wait` } }] }));
    const child = startCli(['run', file, '--approve', 'all', '--json'], { cwd: dir });
    const done = collect(child);
    assert.ok(await eventually(() => existsSync(join(dir, 'twice.flag')) && processesMatching(`sleep 4${mark}`).length > 0, 20000), 'started');
    child.kill('SIGINT');
    child.kill('SIGTERM');
    const r = await done;
    assert.ok(r.code === 130 || r.code === 143, `exit ${r.code}: ${r.stderr}`);
    assert.ok(await eventually(() => processesMatching(`sleep 4${mark}`).length === 0, 3000), 'the stubborn grandchild is gone');
  });
});
