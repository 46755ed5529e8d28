// Run and Cancel through the real commands, observed on the extension's exported run bus.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunEndedInfo, RunStartedInfo } from '../../../src/extension/runBus';
import { api, closeAllEditors, fixture, runAndWait, waitFor } from '../helpers';

describe('runs', () => {
  before(async () => {
    await api();
  });
  after(closeAllEditors);

  it('Run completes with every tool succeeded, in dependency order', async () => {
    const uri = fixture('basic.toolplan.yaml');
    const ended = await runAndWait('fanout.run', uri);
    const { record } = ended;
    assert.equal(ended.mode, 'run');
    assert.equal(record.status, 'succeeded');
    assert.deepEqual(record.tools.map((t) => t.id).sort(), ['flights', 'hotels', 'summary', 'weather']);
    for (const t of record.tools) {
      assert.equal(t.status, 'succeeded', `${t.id}: ${t.error}`);
      assert.ok(t.startedAt !== null && t.endedAt !== null && t.endedAt >= t.startedAt, `${t.id} has start and end times`);
    }
    const byId = new Map(record.tools.map((t) => [t.id, t]));
    const summary = byId.get('summary')!;
    for (const dep of ['weather', 'flights', 'hotels']) {
      assert.ok(summary.startedAt! >= byId.get(dep)!.endedAt!, `summary starts after ${dep} ends`);
    }
    // The reference was resolved from weather's output when summary started.
    assert.equal(summary.output, 'It is 21 C');
    // The three independent tools ran at the same time.
    assert.ok(record.maxObservedConcurrency >= 2, `concurrency ${record.maxObservedConcurrency}`);
  });

  it('Simulate completes on the virtual clock with the same tools', async () => {
    const ended = await runAndWait('fanout.simulate', fixture('basic.toolplan.yaml'));
    assert.equal(ended.mode, 'simulate');
    assert.equal(ended.record.status, 'succeeded');
    assert.equal(ended.record.tools.length, 4);
    // Virtual time: exactly the critical path (200 ms flights + 50 ms summary).
    assert.equal(Math.round(ended.record.makespanMs), 250);
  });

  it('Cancel stops a long run promptly and records every tool', async () => {
    const { runBus } = await api();
    const uri = fixture('long.toolplan.yaml');
    const started = new Promise<RunStartedInfo>((resolve) => {
      const sub = runBus.onDidStartRun((e) => {
        if (e.uri === uri.toString()) { sub.dispose(); resolve(e); }
      });
    });
    const ended = new Promise<RunEndedInfo>((resolve) => {
      const sub = runBus.onDidEndRun((e) => {
        if (e.uri === uri.toString()) { sub.dispose(); resolve(e); }
      });
    });
    const running = vscode.commands.executeCommand('fanout.run', uri);
    const info = await started;
    assert.deepEqual([...info.tools], ['slow-a', 'slow-b', 'queued', 'after']);
    // Let the first two tools start (maxConcurrency 2) before cancelling.
    const { runBus: bus } = await api();
    let startedTools = 0;
    const sub = bus.onDidRunEvents((e) => {
      if (e.runId === info.runId) startedTools += e.events.filter((ev) => ev.type === 'started').length;
    });
    await waitFor('two tools to start', () => startedTools >= 2, 10_000).finally(() => sub.dispose());
    const t0 = Date.now();
    await vscode.commands.executeCommand('fanout.cancelRun', uri);
    const { record } = await Promise.race([ended, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the run did not end within 15 s of cancelRun')), 15_000))]);
    await running;
    assert.ok(Date.now() - t0 < 10_000, 'cancel took effect long before the 60 s tools would have finished');
    assert.equal(record.status, 'cancelled');
    assert.deepEqual(record.tools.map((t) => t.id).sort(), ['after', 'queued', 'slow-a', 'slow-b']);
    const status = new Map(record.tools.map((t) => [t.id, t.status]));
    assert.equal(status.get('slow-a'), 'cancelled');
    assert.equal(status.get('slow-b'), 'cancelled');
    for (const t of record.tools) {
      assert.ok(['cancelled', 'skipped'].includes(t.status), `${t.id} ended ${t.status}`);
    }
  });
});
