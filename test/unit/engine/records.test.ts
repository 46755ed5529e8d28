import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunRecord, writeRunRecord } from '../../../src/core/engine/records';
import { learnEstimates, median, samplesFromRun, EWMA_ALPHA } from '../../../src/core/engine/history';
import { simulate } from '../../../src/core/engine/simulate';
import { estimateKey } from '../../../src/core/analysis/durations';
import type { RunRecord } from '../../../src/core/engine/types';
import { makePlan } from '../helpers/planBuilder';

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
