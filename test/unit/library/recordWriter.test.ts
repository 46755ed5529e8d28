import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runToolCalls, readRunFile, type ToolCall } from '../../../src/core/index';

// How recordFile writes (src/core/library/recordWriter.ts, docs/library.md "What a record
// costs"): the record is written just after runToolCalls resolves and the old one is unlinked
// after the rename, and still a reader sees the old record or the new one, never part of one; the
// new one is complete at the path when `batch.recorded` resolves; records to one path land in
// call order; a failed write leaves the old one as it was and says why in `recorded`.
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

  it('the new record is complete at the path when batch.recorded resolves, batch after batch on the same path', async () => {
    const file = join(dir, 'turn.fanoutrun.json');
    for (let turn = 1; turn <= 8; turn++) {
      // Odd turns are large (over 64 KiB), even ones small.
      const batch = await runToolCalls(calls(3, turn % 2 ? { text: 'x'.repeat(40_000) } : {}), handlers, { recordFile: file, name: `turn ${turn}` });
      assert.deepEqual(await batch.recorded, { ok: true, path: file });
      const read = readRunFile(readFileSync(file, 'utf8'));
      assert.ok(read.ok, JSON.stringify(!read.ok && read.errors));
      assert.equal(read.run.name, `turn ${turn}`, 'the path holds this batch\'s record as soon as recorded resolved');
      assert.deepEqual(JSON.parse(JSON.stringify(read.run.tools.map((t) => t.output))), [{ k: 0 }, { k: 1 }, { k: 2 }]);
    }
    await settles(dir, ['turn.fanoutrun.json']);
  });

  it('a reader in another thread never sees part of a record, nor the path missing, while it is rewritten', async () => {
    const file = join(dir, 'live.fanoutrun.json');
    await (await runToolCalls(calls(2), handlers, { recordFile: file, name: 'turn 0' })).recorded;
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
      assert.equal((await batch.recorded)?.ok, true);
    }
    Atomics.store(shared, 0, 1);
    const { reads, bad, first } = await seen;
    await reader.terminate();
    assert.ok(reads - from >= 200, `the reader read the file ${reads - from} times while it was rewritten`);
    assert.equal(bad, 0, `the reader saw ${bad} partial or missing records, e.g. ${first.join(' | ')}`);
  });

  it('a write that fails leaves the old record as it was, says why in recorded, and leaves no file beside it', async () => {
    const file = join(dir, 'kept.fanoutrun.json');
    await (await runToolCalls(calls(2), handlers, { recordFile: file, name: 'the good one' })).recorded;
    const before = readFileSync(file, 'utf8');
    // Arguments that JSON cannot hold: the record cannot be serialised once the calls ended.
    const batch = await runToolCalls(calls(2, { big: 10n }), handlers, { recordFile: file, name: 'the bad one' });
    assert.equal(batch.status, 'succeeded', 'the calls themselves ran');
    const outcome = await batch.recorded;
    assert.equal(outcome?.ok, false);
    assert.equal(outcome?.path, file);
    assert.match(outcome && !outcome.ok ? outcome.error : '', /^could not write the record file ".*kept\.fanoutrun\.json": .*BigInt/);
    assert.equal(batch.recordError, undefined, 'a late write error is in recorded only');
    assert.equal(readFileSync(file, 'utf8'), before, 'the old record is untouched');
    await settles(dir, ['kept.fanoutrun.json']);
  });

  it('the directory removed while the calls run, or just after they end: recorded names the file, the results are kept', async () => {
    const sub = join(dir, 'gone');
    mkdirSync(sub);
    const file = join(sub, 'r.fanoutrun.json');
    const batch = await runToolCalls(calls(2), { f: async () => { await new Promise((r) => setTimeout(r, 20)); rmSync(sub, { recursive: true, force: true }); return 1; } }, { recordFile: file });
    assert.equal(batch.status, 'succeeded');
    assert.deepEqual(batch.results.map((r) => r.output), [1, 1]);
    const failed = (o: Awaited<typeof batch.recorded>): string => (o && !o.ok ? o.error : `not a failure: ${JSON.stringify(o)}`);
    assert.match(failed(await batch.recorded), /^could not write the record file ".*r\.fanoutrun\.json": ENOENT/);
    // Removed after the results were handed back, before the record is written (the next loop turn).
    mkdirSync(sub);
    const late = await runToolCalls(calls(2), handlers, { recordFile: file });
    rmSync(sub, { recursive: true, force: true });
    assert.equal(late.status, 'succeeded');
    assert.match(failed(await late.recorded), /^could not write the record file ".*r\.fanoutrun\.json": ENOENT/);
  });

  it('two batches recording to the same path at once: both succeed, the path holds one of the two records, nothing is left beside it', async () => {
    const file = join(dir, 'both.fanoutrun.json');
    await (await runToolCalls(calls(1), handlers, { recordFile: file, name: 'before' })).recorded;
    const [a, b] = await Promise.all([
      runToolCalls(calls(3), handlers, { recordFile: file, name: 'a' }),
      runToolCalls(calls(3), handlers, { recordFile: file, name: 'b' }),
    ]);
    assert.equal((await a.recorded)?.ok, true);
    assert.equal((await b.recorded)?.ok, true);
    const read = readRunFile(readFileSync(file, 'utf8'));
    assert.ok(read.ok && (read.run.name === 'a' || read.run.name === 'b'), 'one batch\'s complete record');
    await settles(dir, ['both.fanoutrun.json']);
  });

  it('two batches back to back to one path, neither record awaited: the second record wins', async () => {
    const file = join(dir, 'order.fanoutrun.json');
    // Synchronous handlers: the three batches end before the loop turns, so all three records wait together.
    const now = { f: ({ k }: { k: number }) => ({ k }) };
    const first = await runToolCalls(calls(2), now, { recordFile: file, name: 'first' });
    const second = await runToolCalls(calls(2, { text: 'z'.repeat(70_000) }), now, { recordFile: file, name: 'second' });
    const third = await runToolCalls([], now, { recordFile: join(dir, 'other.fanoutrun.json'), name: 'elsewhere' });
    // Awaited in the other order: what lands last at the path is the record queued last.
    assert.equal((await second.recorded)?.ok, true);
    assert.equal((await first.recorded)?.ok, true);
    assert.equal((await third.recorded)?.ok, true);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { name: string }).name, 'second');
    await settles(dir, ['order.fanoutrun.json', 'other.fanoutrun.json']);
  });

  it('runToolCalls resolves before the record is written; the results do not wait for the file', async () => {
    const file = join(dir, 'later.fanoutrun.json');
    const batch = await runToolCalls(calls(2), handlers, { recordFile: file });
    assert.equal(existsSync(file), false, 'no record yet: it is written on the next loop turn');
    assert.ok(batch.recorded instanceof Promise);
    assert.deepEqual(await batch.recorded, { ok: true, path: file });
    assert.equal(existsSync(file), true);
    assert.equal((await runToolCalls(calls(1), handlers)).recorded, undefined, 'no recordFile, no recorded');
  });

  it('a process that calls process.exit(0) right after the await still gets its records, complete', () => {
    const file = join(dir, 'exit.fanoutrun.json');
    const other = join(dir, 'exit-2.fanoutrun.json');
    const lib = join(__dirname, '../../../src/core/index.ts');
    const script = `
      const { runToolCalls } = require(${JSON.stringify(lib)});
      (async () => {
        // Synchronous handlers: no loop turn between the batches and the exit, so only the exit hook can write.
        const f = ({ k }) => ({ k });
        await runToolCalls([{ id: 'a', name: 'f', args: { k: 0 } }], { f }, { recordFile: ${JSON.stringify(file)}, name: 'one' });
        await runToolCalls([{ id: 'b', name: 'f', args: { k: 1 } }], { f }, { recordFile: ${JSON.stringify(file)}, name: 'two' });
        await runToolCalls([{ id: 'c', name: 'f', args: { k: 2 } }], { f }, { recordFile: ${JSON.stringify(other)}, name: 'three' });
        process.exit(0);
      })();`;
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: join(__dirname, '../../..'), encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const one = readRunFile(readFileSync(file, 'utf8'));
    assert.ok(one.ok, JSON.stringify(!one.ok && one.errors));
    assert.equal(one.run.name, 'two', 'the later record to the path wins');
    const three = readRunFile(readFileSync(other, 'utf8'));
    assert.ok(three.ok && three.run.name === 'three');
    assert.deepEqual(readdirSync(dir).sort(), ['exit-2.fanoutrun.json', 'exit.fanoutrun.json'], 'no temporary file or hidden name left');
  });

  it('a hidden name left by a process that ended mid-write is removed by the next write to the path', async () => {
    const file = join(dir, 'left.fanoutrun.json');
    await (await runToolCalls(calls(1), handlers, { recordFile: file, name: 'first' })).recorded;
    writeFileSync(join(dir, '.left.fanoutrun.json.fanout-replaced'), 'an old record');
    const batch = await runToolCalls(calls(1), handlers, { recordFile: file, name: 'second' });
    assert.equal((await batch.recorded)?.ok, true);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { name: string }).name, 'second');
    await settles(dir, ['left.fanoutrun.json']);
  });
});
