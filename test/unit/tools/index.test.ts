import { strict as assert } from 'node:assert';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeRunners } from '../../../src/core/tools/index';
import { makeContext, rejection } from './helpers';

describe('createNodeRunners', () => {
  it('provides simulate, cpu, shell and http, and no vscode.* kinds', async () => {
    const node = createNodeRunners();
    try {
      assert.deepEqual(Object.keys(node.runners).sort(), ['cpu', 'function', 'http', 'shell', 'simulate']);
    } finally {
      await node.dispose();
    }
  });

  it('runs shell commands in the given directory and cpu tools on the given pool', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-runners-')));
    const node = createNodeRunners({ cwd: dir, cpuPoolSize: 1 });
    try {
      assert.equal(await node.runners.shell!.run(makeContext('shell', { command: 'pwd -P' })), dir);
      assert.deepEqual(await node.runners.simulate!.run(makeContext('simulate', { durationMs: 1, result: { ok: true } })), { ok: true });
      const out = await node.runners.cpu!.run(makeContext('cpu', { durationMs: 10 }));
      assert.equal(typeof (out as { busyMs: number }).busyMs, 'number');
      assert.match((await rejection(node.runners.http!.run(makeContext('http', { url: 'file:///etc/passwd' })))).message, /only http: and https:/);
    } finally {
      await node.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.match((await rejection(node.runners.cpu!.run(makeContext('cpu', { durationMs: 10 })))).message, /shut down/);
  });
});
