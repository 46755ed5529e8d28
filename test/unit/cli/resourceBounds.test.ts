import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce, json, runCli } from './helpers';

// Issue 12, resource bounds through the real CLI: what used to end in "fanout: internal error"
// with a RangeError stack, or never end, gives a record and an exit code.
describe('cli: resource bounds (real process)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'fanout-bounds-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('simulate --json: a string doubled down 40 tools fails the tool at the limit; the record prints (exit 0, as any simulation)', async () => {
    const tools = [{ id: 't0', kind: 'simulate', args: { durationMs: 1, result: 'ab' } }];
    for (let k = 1; k <= 40; k++) tools.push({ id: `t${k}`, kind: 'simulate', args: { durationMs: 1, result: `\${t${k - 1}.output}\${t${k - 1}.output}` }, dependsOn: [`t${k - 1}`] } as (typeof tools)[0]);
    writeFileSync(join(dir, 'double.toolplan.json'), JSON.stringify({ name: 'doubling', tools }));
    const r = await runCli(['simulate', 'double.toolplan.json', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|RangeError/);
    const record = json(r) as { tools: { id: string; status: string; error: string | null }[] };
    const failed = record.tools.filter((t) => t.status === 'failed');
    assert.deepEqual(failed.map((t) => t.id), ['t25']);
    assert.match(failed[0].error ?? '', /more than 64 Mi characters/);
  });

  it('run --json: `yes` with no timeout is stopped at the output cap and its output is marked (exit 0)', async () => {
    writeFileSync(join(dir, 'yes.toolplan.json'), JSON.stringify({ name: 'yes', tools: [{ id: 'y', kind: 'shell', args: { command: 'yes' } }] }));
    const r = await runCli(['run', 'yes.toolplan.json', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const [tool] = (json(r) as { tools: { status: string; output: string }[] }).tools;
    assert.equal(tool.status, 'succeeded');
    assert.equal(tool.output.length, 1024 * 1024 + '\n…[truncated by fanout: stdout passed the 1 MiB a shell tool keeps; the command was stopped there]'.length);
    assert.match(tool.output, /truncated by fanout: stdout passed the 1 MiB a shell tool keeps; the command was stopped there\]$/);
  });
});
