// Safety classes from MCP tool annotations: the retry and write-conflict checks, and the
// serialWrites option — stated in the plan, and listed by a real server (server-filesystem).
import { strict as assert } from 'node:assert';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../src/core/analysis/analyze';
import { simulate } from '../../../src/core/engine/simulate';
import { parsePlan } from '../../../src/core/plan/parse';
import type { Plan } from '../../../src/core/plan/types';
import { buildOnce, json, runCli } from '../cli/helpers';
import { FILESYSTEM } from './servers';

const servers = { fs: { command: 'node', args: ['fs.js'] } };
const call = (id: string, tool: string, annotations: Record<string, boolean> | undefined, extra: Record<string, unknown> = {}) =>
  ({ id, kind: 'mcp', args: { server: 'fs', tool, input: {} }, estimateMs: 100, timeoutMs: 1000, ...(annotations ? { annotations } : {}), ...extra });
const READ = { readOnlyHint: true };
const WRITE = { readOnlyHint: false, destructiveHint: true, idempotentHint: true };
const APPEND = { readOnlyHint: false, destructiveHint: false, idempotentHint: false };

function load(tools: unknown[], extra: Record<string, unknown> = {}): { plan: Plan; codes: string[]; messages: string[] } {
  const r = parsePlan(JSON.stringify({ mcpServers: servers, maxConcurrency: 8, tools, ...extra }), { fileName: 's.toolplan.json' });
  const a = analyze(r.plan as Plan, r.diagnostics);
  return { plan: r.plan as Plan, codes: a.diagnostics.map((d) => d.code), messages: a.diagnostics.map((d) => d.message) };
}

describe('safety classes from annotations', () => {
  it('retry-not-idempotent for retried calls that are not idempotent or are destructive; quiet for reads', () => {
    const r = load([
      call('read', 'read_file', READ, { retries: 2 }),
      call('write', 'write_file', WRITE, { retries: 2 }),
      call('append', 'append', APPEND, { retries: 1 }),
      call('unknown', 'mystery', undefined, { retries: 1 }),
      call('safe', 'mkdir', { readOnlyHint: false, destructiveHint: false, idempotentHint: true }, { retries: 1 }),
    ]);
    const retry = r.messages.filter((_, i) => r.codes[i] === 'retry-not-idempotent');
    assert.equal(retry.length, 2, retry.join('\n'));
    assert.match(retry[0], /^Tool 'write' calls 'write_file' on MCP server 'fs', which its annotations mark as destructive and is retried \(retries: 2\)/);
    assert.match(retry[1], /^Tool 'append' calls 'append' on MCP server 'fs', which its annotations mark as not idempotent/);
    // The fix names the hint that would change it: write_file already says idempotentHint: true.
    assert.match(retry[0], /state that it is not destructive \(annotations\.destructiveHint: false\)/);
    assert.match(retry[1], /state that it is idempotent \(annotations\.idempotentHint: true\)/);
  });

  it('write-conflict for destructive calls to one server that may overlap; ordered or serialWrites: quiet', () => {
    const tools = [call('w1', 'write_file', WRITE), call('w2', 'write_file', WRITE), call('r', 'read_file', READ), call('a', 'append', APPEND)];
    const r = load(tools);
    const wc = r.messages.filter((_, i) => r.codes[i] === 'write-conflict');
    assert.equal(wc.length, 1, wc.join('\n'));
    assert.match(wc[0], /^'w1' and 'w2' are destructive calls to MCP server 'fs' \(by its tools' annotations\) and may run at the same time.*"serialWrites": true/);
    assert.ok(!load([call('w1', 'write_file', WRITE), call('w2', 'write_file', WRITE, { dependsOn: ['w1'] })]).codes.includes('write-conflict'));
    assert.ok(!load(tools, { serialWrites: true }).codes.includes('write-conflict'));
  });

  it('serialWrites runs writing calls one at a time per server and reads concurrently; the simulation shows the cost', async () => {
    const tools = [call('w1', 'write_file', WRITE), call('w2', 'write_file', WRITE), call('a', 'append', APPEND), call('r1', 'read_file', READ), call('r2', 'read_file', READ)];
    const free = await simulate(load(tools).plan);
    const serial = await simulate(load(tools, { serialWrites: true }).plan);
    assert.equal(free.makespanMs, 100);
    assert.equal(serial.makespanMs, 300);
    const span = (id: string) => serial.tools.find((t) => t.id === id)?.attempts[0] as { startedAt: number; endedAt: number };
    for (const [x, y] of [['w1', 'w2'], ['w1', 'a'], ['w2', 'a']]) assert.ok(span(x).endedAt <= span(y).startedAt || span(y).endedAt <= span(x).startedAt, `${x} and ${y} do not overlap`);
    assert.equal(span('r1').startedAt, 0);
    assert.equal(span('r2').startedAt, 0);
  });

  describe('with annotations listed by server-filesystem (CLI --mcp-config)', function () {
    this.timeout(60_000);
    let dir: string;
    before(() => {
      buildOnce();
      dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-mcp-safety-')));
      writeFileSync(join(dir, 'mcp.json'), JSON.stringify({ mcpServers: { fs: { command: process.execPath, args: [FILESYSTEM, dir] } } }));
      const fsCall = (id: string, tool: string, input: Record<string, unknown>) => ({ id, kind: 'mcp', args: { server: 'fs', tool, input }, estimateMs: 100, timeoutMs: 5000 });
      const tools = [
        fsCall('w1', 'write_file', { path: join(dir, 'a.txt'), content: 'a' }),
        fsCall('w2', 'write_file', { path: join(dir, 'b.txt'), content: 'b' }),
        fsCall('w3', 'write_file', { path: join(dir, 'c.txt'), content: 'c' }),
        fsCall('l1', 'list_directory', { path: dir }),
        fsCall('l2', 'list_allowed_directories', {}),
      ];
      writeFileSync(join(dir, 'free.toolplan.json'), JSON.stringify({ name: 'free', tools }));
      writeFileSync(join(dir, 'serial.toolplan.json'), JSON.stringify({ name: 'serial', serialWrites: true, tools }));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('the server\'s annotations drive write-conflict and the serialWrites simulation', async () => {
      const a = json(await runCli(['analyze', 'free.toolplan.json', '--json', '--mcp-config', 'mcp.json'], { cwd: dir }));
      const wc = (a.diagnostics as { code: string; tools: string[] }[]).filter((d) => d.code === 'write-conflict');
      assert.deepEqual(wc.map((d) => d.tools), [['w1', 'w2', 'w3']]);
      const quiet = json(await runCli(['analyze', 'serial.toolplan.json', '--json', '--mcp-config', 'mcp.json'], { cwd: dir }));
      assert.ok(!(quiet.diagnostics as { code: string }[]).some((d) => d.code === 'write-conflict'));
      const free = json(await runCli(['simulate', 'free.toolplan.json', '--json', '--mcp-config', 'mcp.json'], { cwd: dir }));
      const serial = json(await runCli(['simulate', 'serial.toolplan.json', '--json', '--mcp-config', 'mcp.json'], { cwd: dir }));
      assert.equal(free.makespanMs, 100);
      assert.equal(serial.makespanMs, 300);
    });

    it('a real run with serialWrites: the writes never overlap, the reads run beside them', async () => {
      const r = await runCli(['run', 'serial.toolplan.json', '--json', '--mcp-config', 'mcp.json', '--approve', 'all'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      const tools = (json(r).tools as { id: string; attempts: { startedAt: number; endedAt: number }[] }[]);
      const span = (id: string) => tools.find((t) => t.id === id)?.attempts[0] as { startedAt: number; endedAt: number };
      const writes = ['w1', 'w2', 'w3'].map(span).sort((x, y) => x.startedAt - y.startedAt);
      for (let k = 1; k < writes.length; k++) assert.ok(writes[k - 1].endedAt <= writes[k].startedAt, JSON.stringify(writes));
      assert.ok(span('l1').startedAt < writes[writes.length - 1].startedAt, 'a read did not wait for the writes');
    });
  });
});
