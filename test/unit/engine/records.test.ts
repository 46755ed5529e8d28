import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunRecord, writeRunRecord } from '../../../src/core/engine/records';
import { learnEstimates, median, samplesFromRun, EWMA_ALPHA } from '../../../src/core/engine/history';
import { simulate } from '../../../src/core/engine/simulate';
import { estimateKey } from '../../../src/core/analysis/durations';
import type { RunEvent, RunRecord } from '../../../src/core/engine/types';
import { makePlan } from '../helpers/planBuilder';
import { RunRecordBuilder } from '../../../src/core/engine/recordBuilder';
import { toViewEvents, toViewRecord } from '../../../src/extension/planView/toView';
import { RunModel } from '../../../src/webview/planView/runModel';

describe('run records on disk', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fanout-records-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a record that reads back equal, creating the folder', async () => {
    const record = await simulate(makePlan([{ id: 'a', durationMs: 5 }, { id: 'b', durationMs: 3, dependsOn: ['a'] }]));
    const path = join(dir, 'runs', 'r1.json');
    await writeRunRecord(path, record);
    assert.deepEqual(await readRunRecord(path), JSON.parse(JSON.stringify(record)));
    assert.deepEqual(await readdir(join(dir, 'runs')), ['r1.json']);
  });

  it('a failed write leaves the previous file intact and no temporary file behind', async () => {
    const path = join(dir, 'r.json');
    await writeFile(path, 'previous');
    const bad = { status: 'succeeded', makespanMs: 1n } as unknown as RunRecord; // BigInt cannot be serialized
    await assert.rejects(writeRunRecord(path, bad));
    assert.equal(await readFile(path, 'utf8'), 'previous');
    assert.deepEqual(await readdir(dir), ['r.json']);
  });

  it('a failed rename (target is a folder) cleans up its temporary file', async () => {
    const record = await simulate(makePlan([{ id: 'a', durationMs: 1 }]));
    const target = join(dir, 'taken');
    await mkdir(join(target, 'inside'), { recursive: true });
    await assert.rejects(writeRunRecord(target, record));
    assert.deepEqual(await readdir(dir), ['taken']);
  });

  it('readRunRecord rejects files that are not records, with the path', async () => {
    const path = join(dir, 'x.json');
    await writeFile(path, '{"hello": 1}');
    await assert.rejects(readRunRecord(path), /x\.json: not a run record/);
    await writeFile(path, '{oops');
    await assert.rejects(readRunRecord(path), /invalid JSON/);
  });
});

describe('estimates from history', () => {
  it('samplesFromRun: one sample per tool that succeeded, from its successful attempt', async () => {
    const plan = makePlan([
      { id: 's1', kind: 'simulate', args: { durationMs: 40 } },
      { id: 'flaky', args: { durationMs: 10, failTimes: 1 }, retries: 1, retryDelayMs: 1000 },
      { id: 'bad', args: { durationMs: 10, error: 'x' } },
    ]);
    const record = await simulate(plan);
    const samples = samplesFromRun(plan, record);
    assert.deepEqual(samples, [
      { key: estimateKey(plan.tools[0]), ms: 40 },
      { key: estimateKey(plan.tools[1]), ms: 10 },
    ]);
  });

  it('learnEstimates: median of the batch, blended into history with an EWMA; other keys kept', () => {
    const first = learnEstimates([{ key: 'http:search', ms: 100 }, { key: 'http:search', ms: 120 }, { key: 'http:search', ms: 5000 }]);
    assert.equal(first.get('http:search'), 120); // the 5 s straggler does not move the median
    const second = learnEstimates([{ key: 'http:search', ms: 220 }, { key: 'shell:build', ms: 7 }], new Map([...first, ['cpu:old', 3]]));
    assert.equal(second.get('http:search'), 120 + EWMA_ALPHA * (220 - 120));
    assert.equal(second.get('shell:build'), 7);
    assert.equal(second.get('cpu:old'), 3);
    assert.equal(first.get('http:search'), 120, 'the previous table is not mutated');
  });

  it('learnEstimates ignores invalid samples and converges to a lasting change', () => {
    let table = learnEstimates([{ key: 'k', ms: 100 }, { key: 'k', ms: NaN }, { key: 'k', ms: -5 }]);
    assert.equal(table.get('k'), 100);
    for (let run = 0; run < 15; run++) table = learnEstimates([{ key: 'k', ms: 300 }], table);
    assert.ok(Math.abs((table.get('k') ?? 0) - 300) < 2);
    assert.equal(median([3, 1, 2, 10]), 2.5);
  });

  it('learned estimates feed simulate(): a tool without durationMs takes its learned time', async () => {
    const plan = makePlan([{ id: 'q', kind: 'http', args: { url: 'http://example.invalid' } }]);
    const r = await simulate(plan, { estimates: new Map([[estimateKey(plan.tools[0]), 250]]) });
    assert.equal(r.makespanMs, 250);
  });
});

describe('run record builder: attempts are lossless', () => {
  it('keeps a timed-out attempt\'s flag after run-ended ([true, false] live stays [true, false]), and through the plan view\'s fold', () => {
    const events: RunEvent[] = [
      { type: 'run-started', at: 0, tools: ['a'] },
      { type: 'queued', at: 0, id: 'a' },
      { type: 'started', at: 0, id: 'a', attempt: 1 },
      { type: 'attempt-failed', at: 100, id: 'a', attempt: 1, error: 'timed out after 100 ms', timedOut: true },
      { type: 'retrying', at: 100, id: 'a', attempt: 2, delayMs: 10 },
      { type: 'started', at: 110, id: 'a', attempt: 2 },
      { type: 'failed', at: 150, id: 'a', error: 'HTTP 500' },
      { type: 'run-ended', at: 150, status: 'failed' },
    ];
    const b = new RunRecordBuilder({ ids: ['a'], maxConcurrency: Infinity });
    for (const e of events) b.add(e);
    const record = b.build();
    const live = events.filter((e) => e.type === 'attempt-failed' || e.type === 'failed').map((e) => e.type === 'attempt-failed' && e.timedOut);
    assert.deepEqual(live, [true, false]);
    assert.deepEqual(record.tools[0].attempts.map((a) => a.timedOut === true), [true, false]);
    // A final timed-out event closes its attempt as timed out too.
    const t = new RunRecordBuilder({ ids: ['a'], maxConcurrency: Infinity });
    for (const e of [events[0], events[1], events[2], { type: 'timed-out', at: 100, id: 'a', error: 'timed out' } as const]) t.add(e);
    assert.deepEqual(t.build().tools[0].attempts.map((a) => a.timedOut === true), [true]);
    // The webview's fold (the only UI-side one) agrees live and after the record replaces it.
    const view = toViewRecord(record);
    const m = new RunModel();
    m.start('r', 'run', ['a'], null);
    m.apply(toViewEvents(events));
    const liveFlags = m.tools[0].attempts.map((a) => a.timedOut);
    m.finishWith('r', 'run', view);
    assert.deepEqual(liveFlags, [true, false]);
    assert.deepEqual(m.tools[0].attempts.map((a) => a.timedOut), [true, false]);
  });
});
