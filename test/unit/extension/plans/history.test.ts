import { strict as assert } from 'node:assert';
import type { RunRecord, ToolRecord } from '../../../../src/core/engine/types';
import { addToIndex, ago, historyPickItem, makeEntry, newRunId, pruneIndex, readIndex, recordFileName } from '../../../../src/extension/plans/historyIndex';
import { endNotice, isFinalToolEvent, summaryLines, toolLine } from '../../../../src/extension/plans/runLog';

const tool = (id: string, status: ToolRecord['status'], extra: Partial<ToolRecord> = {}): ToolRecord => ({
  id, status, queuedAt: 0, startedAt: 1, endedAt: 801, attempts: [{ startedAt: 1, endedAt: 801, error: null }], output: null, error: null, ...extra,
});
const record = (status: RunRecord['status'], tools: ToolRecord[] = [tool('a', 'succeeded')]): RunRecord => ({
  status, makespanMs: 1300, sequentialMs: 4000, criticalPathMs: 1290, lowerBoundMs: 1290, maxObservedConcurrency: 3, tools,
});
const entry = (i: number, uri = 'file:///p.toolplan.json') => makeEntry({ runId: `r${i}`, uri, planName: 'P', mode: 'run', startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)), record: record('succeeded') });

describe('extension: run history index', () => {
  it('keeps the newest first and prunes to the size, reporting what fell off', () => {
    let index = readIndex(undefined);
    const pruned: string[] = [];
    for (let i = 0; i < 5; i++) {
      const u = addToIndex(index, entry(i), 3);
      index = [...u.index];
      pruned.push(...u.pruned.map((e) => e.runId));
    }
    assert.deepEqual(index.map((e) => e.runId), ['r4', 'r3', 'r2']);
    assert.deepEqual(pruned, ['r0', 'r1']);
    const smaller = pruneIndex(index, 1);
    assert.deepEqual(smaller.index.map((e) => e.runId), ['r4']);
    assert.deepEqual(smaller.pruned.map((e) => e.runId), ['r3', 'r2']);
    assert.deepEqual(addToIndex(index, entry(9), 0).index, []);
  });

  it('re-adding a run id replaces it rather than duplicating it', () => {
    const u = addToIndex([entry(1), entry(2)], entry(2), 10);
    assert.deepEqual(u.index.map((e) => e.runId), ['r2', 'r1']);
    assert.deepEqual(u.pruned, []);
  });

  it('drops malformed entries read back from workspace state', () => {
    const good = entry(1);
    assert.deepEqual(readIndex([good, { runId: 3 }, null, 'x', { ...good, mode: 'other' }]), [good]);
    assert.deepEqual(readIndex({ not: 'a list' }), []);
  });

  it('run ids sort by time and are safe file names', () => {
    const a = newRunId(new Date(Date.UTC(2026, 10, 24, 22, 5, 1)), () => 0.5);
    const b = newRunId(new Date(Date.UTC(2026, 10, 24, 22, 5, 2)), () => 0.1);
    assert.ok(a < b);
    assert.match(a, /^20261124T220501-[0-9a-z]{6}$/);
    assert.equal(recordFileName('../x y'), '___x_y.json');
  });

  it('describes a past run for the QuickPick', () => {
    const now = new Date(Date.UTC(2026, 0, 1, 2, 0));
    const item = historyPickItem(entry(0), now, 'p.toolplan.json');
    assert.equal(item.label, '$(pass) P');
    assert.equal(item.description, 'run · succeeded · 1.3 s');
    assert.equal(item.detail, '2 h ago · 1 tool · p.toolplan.json');
    assert.equal(ago(new Date(now.getTime() - 30_000).toISOString(), now), 'just now');
  });
});

describe('extension: run log', () => {
  it('one readable line per tool with its final state', () => {
    assert.equal(toolLine(tool('weather', 'succeeded')), '  ✓ weather succeeded 800 ms (ended at 801 ms)');
    assert.equal(toolLine(tool('summary', 'failed', { error: 'exit code 2\nstack', attempts: [{ startedAt: 1, endedAt: 2, error: 'x' }, { startedAt: 3, endedAt: 801, error: 'exit code 2' }] })),
      '  ✗ summary failed 800 ms, 2 attempts (ended at 801 ms): exit code 2 ⏎ stack');
    assert.equal(toolLine(tool('later', 'skipped', { startedAt: null, endedAt: null, attempts: [], error: "dependency 'summary' failed" })),
      "  ↷ later skipped: dependency 'summary' failed");
  });

  it('the summary compares sequential, makespan and critical path', () => {
    const lines = summaryLines('run', record('succeeded', [tool('a', 'succeeded'), tool('b', 'succeeded')]));
    assert.equal(lines[0], 'Run succeeded in 1.3 s: 2 succeeded.');
    assert.match(lines[1], /sequential 4 s · makespan 1\.3 s · critical path 1\.29 s/);
    assert.match(lines[2], /speedup 3\.08× over sequential · 1\.01× the lower bound · up to 3 at once/);
    assert.match(endNotice('simulate', 'P', record('cancelled')), /Simulation of "P" was cancelled/);
    assert.match(endNotice('run', 'P', record('failed', [tool('a', 'failed')])), /1 tool did not succeed/);
  });

  it('knows which events end a tool', () => {
    assert.ok(isFinalToolEvent({ type: 'skipped', at: 1, id: 'a', reason: 'x' }));
    assert.ok(!isFinalToolEvent({ type: 'started', at: 1, id: 'a', attempt: 1 }));
    assert.ok(!isFinalToolEvent({ type: 'run-ended', at: 1, status: 'failed' }));
  });
});
