import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runToolCalls, readRunFile, type ToolCall } from '../../../src/core/index';

// How recordFile writes (src/core/library/recordWriter.ts, docs/library.md "What a record
// costs"): the record is prepared while the calls run and the old one is unlinked after the
// rename, and still a reader sees the old record or the new one, never part of one; the new one
// is complete at the path when runToolCalls resolves; a failed write leaves the old one as it was.
const calls = (n: number, args: Record<string, unknown> = {}): ToolCall[] =>
  Array.from({ length: n }, (_, k) => ({ id: `c${k}`, name: 'f', args: { k, ...args } as ToolCall['args'] }));
const handlers = { f: async ({ k }: { k: number }) => { await new Promise((r) => setTimeout(r, 1)); return { k }; } };

/** Waits (bounded) for the directory to hold exactly `names`: the hidden name goes in the background. */
async function settles(dir: string, names: readonly string[]): Promise<void> {
  for (let i = 0; i < 200 && readdirSync(dir).sort().join() !== [...names].sort().join(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(readdirSync(dir).sort(), [...names].sort(), 'no temporary file and no hidden name left beside the record');
}

describe('library: how recordFile writes', function () {
  this.timeout(60_000);
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fanout-recordwriter-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the new record is complete at the path when runToolCalls resolves, batch after batch on the same path', async () => {
    const file = join(dir, 'turn.fanoutrun.json');
    for (let turn = 1; turn <= 8; turn++) {
      // Odd turns are large (over 64 KiB: written asynchronously), even ones small (synchronously).
      const batch = await runToolCalls(calls(3, turn % 2 ? { text: 'x'.repeat(40_000) } : {}), handlers, { recordFile: file, name: `turn ${turn}` });
      assert.equal(batch.recordError, undefined);
      const read = readRunFile(readFileSync(file, 'utf8'));
      assert.ok(read.ok, JSON.stringify(!read.ok && read.errors));
      assert.equal(read.run.name, `turn ${turn}`, 'the path holds this batch\'s record as soon as it resolved');
      assert.deepEqual(JSON.parse(JSON.stringify(read.run.tools.map((t) => t.output))), [{ k: 0 }, { k: 1 }, { k: 2 }]);
    }
    await settles(dir, ['turn.fanoutrun.json']);
  });

  it('a reader in another thread never sees part of a record, nor the path missing, while it is rewritten', async () => {
    const file = join(dir, 'live.fanoutrun.json');
    await runToolCalls(calls(2), handlers, { recordFile: file, name: 'turn 0' });
    // [0]: stop, [1]: reads so far (the writes go on until the reader has read a good many times).
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const reader = new Worker(`
      const { readFileSync } = require('node:fs');
      const { workerData, parentPort } = require('node:worker_threads');
      const shared = new Int32Array(workerData.shared);
      let reads = 0, bad = [];
      while (Atomics.load(shared, 0) === 0) {
        try { JSON.parse(readFileSync(workerData.file, 'utf8')); reads++; Atomics.store(shared, 1, reads); }
        catch (e) { if (bad.length < 3) bad.push(String(e && e.message).slice(0, 120)); else bad.length++; }
      }
      parentPort.postMessage({ reads, bad: bad.length, first: bad.slice(0, 3) });
    `, { eval: true, workerData: { file, shared: shared.buffer } });
    const seen = new Promise<{ reads: number; bad: number; first: string[] }>((resolve, reject) => { reader.once('message', resolve); reader.once('error', reject); });
    const started = Date.now();
    while (Atomics.load(shared, 1) === 0 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 5));
    const from = Atomics.load(shared, 1);
    for (let turn = 1; turn <= 40 || (Atomics.load(shared, 1) - from < 200 && Date.now() - started < 20_000); turn++) {
      const batch = await runToolCalls(calls(4, turn % 4 === 0 ? { text: 'y'.repeat(30_000) } : {}), handlers, { recordFile: file, name: `turn ${turn}` });
      assert.equal(batch.recordError, undefined);
    }
    Atomics.store(shared, 0, 1);
    const { reads, bad, first } = await seen;
    await reader.terminate();
    assert.ok(reads - from >= 200, `the reader read the file ${reads - from} times while it was rewritten`);
    assert.equal(bad, 0, `the reader saw ${bad} partial or missing records, e.g. ${first.join(' | ')}`);
  });

  it('a write that fails leaves the old record as it was, says why in recordError, and leaves no file beside it', async () => {
    const file = join(dir, 'kept.fanoutrun.json');
    await runToolCalls(calls(2), handlers, { recordFile: file, name: 'the good one' });
    const before = readFileSync(file, 'utf8');
    // Arguments that JSON cannot hold: the record cannot be serialised once the calls ended.
    const batch = await runToolCalls(calls(2, { big: 10n }), handlers, { recordFile: file, name: 'the bad one' });
    assert.equal(batch.status, 'succeeded', 'the calls themselves ran');
    assert.match(batch.recordError ?? '', /^could not write the record file ".*kept\.fanoutrun\.json": .*BigInt/);
    assert.equal(readFileSync(file, 'utf8'), before, 'the old record is untouched');
    await settles(dir, ['kept.fanoutrun.json']);
  });

  it('the directory removed while the calls run: recordError names the file, the results are kept', async () => {
    const sub = join(dir, 'gone');
    mkdirSync(sub);
    const file = join(sub, 'r.fanoutrun.json');
    const batch = await runToolCalls(calls(2), { f: async () => { await new Promise((r) => setTimeout(r, 20)); rmSync(sub, { recursive: true, force: true }); return 1; } }, { recordFile: file });
    assert.equal(batch.status, 'succeeded');
    assert.deepEqual(batch.results.map((r) => r.output), [1, 1]);
    assert.match(batch.recordError ?? '', /^could not write the record file ".*r\.fanoutrun\.json": ENOENT/);
    // Removed before the temporary file is opened (the loop turn after the calls start).
    mkdirSync(sub);
    const early = runToolCalls(calls(2), handlers, { recordFile: file });
    rmSync(sub, { recursive: true, force: true });
    const late = await early;
    assert.equal(late.status, 'succeeded');
    assert.match(late.recordError ?? '', /^could not write the record file ".*r\.fanoutrun\.json": ENOENT/);
  });

  it('two batches recording to the same path at once: both succeed, the path holds one of the two records, nothing is left beside it', async () => {
    const file = join(dir, 'both.fanoutrun.json');
    await runToolCalls(calls(1), handlers, { recordFile: file, name: 'before' });
    const [a, b] = await Promise.all([
      runToolCalls(calls(3), handlers, { recordFile: file, name: 'a' }),
      runToolCalls(calls(3), handlers, { recordFile: file, name: 'b' }),
    ]);
    assert.equal(a.recordError, undefined);
    assert.equal(b.recordError, undefined);
    const read = readRunFile(readFileSync(file, 'utf8'));
    assert.ok(read.ok && (read.run.name === 'a' || read.run.name === 'b'), 'one batch\'s complete record');
    await settles(dir, ['both.fanoutrun.json']);
  });

  it('a hidden name left by a process that ended mid-write is removed by the next write to the path', async () => {
    const file = join(dir, 'left.fanoutrun.json');
    await runToolCalls(calls(1), handlers, { recordFile: file, name: 'first' });
    writeFileSync(join(dir, '.left.fanoutrun.json.fanout-replaced'), 'an old record');
    const batch = await runToolCalls(calls(1), handlers, { recordFile: file, name: 'second' });
    assert.equal(batch.recordError, undefined);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { name: string }).name, 'second');
    await settles(dir, ['left.fanoutrun.json']);
  });
});
